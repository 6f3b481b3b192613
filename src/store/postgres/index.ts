// PostgreSQL (DATABASE_URL=postgres://…), for several app instances behind one database: node-postgres
// with a pool; each transaction holds one connection. Migrations run under an advisory lock so
// instances starting together apply them once.
import pg from 'pg';
import type { Store } from '../index.js';
import { bind, schemaTooNew, type Params, type SqlDriver, type SqlRunner } from '../sql/driver.js';
import { createSqlStore } from '../sql/store.js';

/** Any number, so that two Badgeons on one server do not migrate at the same time. */
const MIGRATION_LOCK = 0x6261646765;

const numbered = new Map<string, string>();

/** `?` placeholders become `$1, $2…` (our SQL has no `?` anywhere else). */
function positional(sql: string): string {
  let text = numbered.get(sql);
  if (text === undefined) {
    let n = 0;
    text = sql.replace(/\?/g, () => `$${++n}`);
    numbered.set(sql, text);
  }
  return text;
}

/** SQLite's dialect in migrations, read for PostgreSQL. */
const translateDdl = (sql: string): string => sql.replace(/\bBLOB\b/g, 'BYTEA').replace(/ COLLATE NOCASE/g, '');

function runner(client: pg.Pool | pg.PoolClient): SqlRunner {
  const query = (sql: string, params?: Params) => {
    const b = bind(sql, params);
    return client.query(positional(b.sql), b.values);
  };
  return {
    async all(sql, params) { return (await query(sql, params)).rows; },
    async get(sql, params) { return (await query(sql, params)).rows[0]; },
    async run(sql, params) { return (await query(sql, params)).rowCount ?? 0; },
  };
}

async function inTransaction<T>(pool: pg.Pool, fn: (tx: SqlRunner, client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(runner(client), client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

export function postgresDriver(url: string): SqlDriver {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle connection the server dropped must not take the process down.
  pool.on('error', () => undefined);
  return {
    dialect: 'postgres',
    forUpdate: ' FOR UPDATE',
    ...runner(pool),
    transaction: (fn) => inTransaction(pool, (tx) => fn(tx)),
    async migrate(migrations) {
      await inTransaction(pool, async (tx, client) => {
        await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
        await client.query('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
        const row = await tx.get('SELECT version FROM schema_version');
        const current = (row?.version as number | undefined) ?? 0;
        if (current > migrations.length) throw schemaTooNew(current, migrations.length);
        for (let v = current; v < migrations.length; v++) await client.query(translateDdl(migrations[v]!));
        if (!row) await tx.run('INSERT INTO schema_version (version) VALUES (?)', [migrations.length]);
        else await tx.run('UPDATE schema_version SET version = ?', [migrations.length]);
      });
    },
    async snapshot() {
      throw new Error('with PostgreSQL, back up the database with pg_dump (see the README); badgeons backup covers SQLite');
    },
    // Dead rows are reclaimed by autovacuum; PostgreSQL has no secure_delete (README, Security).
    async forget() {},
    async close() { await pool.end(); },
  };
}

export function openPostgresStore(url: string): Promise<Store> {
  return createSqlStore(postgresDriver(url));
}
