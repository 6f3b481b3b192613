// The embedded database: one SQLite file (better-sqlite3, WAL) under DATA_DIR. better-sqlite3 is
// synchronous and has one connection, so a transaction that awaits between statements holds a
// lock that every other statement waits for: nothing interleaves with it.
import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Store } from '../index.js';
import { bind, schemaTooNew, type Params, type Row, type SqlDriver, type SqlRunner } from '../sql/driver.js';
import { createSqlStore } from '../sql/store.js';

/** The file, owner-only from the start, in WAL mode, with foreign keys and deletes that overwrite. */
function openDatabase(file: string): Database.Database {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  // Owner-only from the start: SQLite gives its -wal and -shm files the database file's mode.
  closeSync(openSync(file, 'a', 0o600));
  chmodSync(file, 0o600);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // Deleted content is overwritten with zeros, so an erased person does not linger in free pages.
  db.pragma('secure_delete = ON');
  return db;
}

/** Statements prepared once per text: they are the hot path of public pages. */
function preparedRunner(db: Database.Database): SqlRunner {
  const statements = new Map<string, Database.Statement<unknown[], Row>>();
  const prepare = (sql: string) => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare<unknown[], Row>(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
  return {
    async all(sql, params?: Params) { const b = bind(sql, params); return prepare(b.sql).all(...b.values); },
    async get(sql, params?: Params) { const b = bind(sql, params); return prepare(b.sql).get(...b.values); },
    async run(sql, params?: Params) { const b = bind(sql, params); return prepare(b.sql).run(...b.values).changes; },
  };
}

export function sqliteDriver(file: string): SqlDriver {
  const db = openDatabase(file);
  const direct = preparedRunner(db);

  // While a transaction is open, everything else waits for `idle`. Each wait re-checks `open` and
  // runs its statement (or opens its transaction) in the same synchronous step, so none slips in.
  let idle: Promise<void> = Promise.resolve();
  let open = false;

  return {
    dialect: 'sqlite',
    forUpdate: '',
    async all(sql, params) { while (open) await idle; return direct.all(sql, params); },
    async get(sql, params) { while (open) await idle; return direct.get(sql, params); },
    async run(sql, params) { while (open) await idle; return direct.run(sql, params); },
    async transaction(fn) {
      while (open) await idle;
      open = true;
      let done!: () => void;
      idle = new Promise((resolve) => { done = resolve; });
      db.exec('BEGIN IMMEDIATE');
      try {
        const result = await fn(direct);
        db.exec('COMMIT');
        return result;
      } catch (error) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw error;
      } finally {
        open = false;
        done();
      }
    },
    async migrate(migrations) {
      const current = db.pragma('user_version', { simple: true }) as number;
      if (current > migrations.length) throw schemaTooNew(current, migrations.length);
      for (let v = current; v < migrations.length; v++) {
        db.transaction(() => {
          db.exec(migrations[v]!);
          db.pragma(`user_version = ${v + 1}`);
        })();
      }
    },
    // VACUUM INTO: a consistent, compact copy that carries no free pages, so nothing erased before it.
    async snapshot(target) { while (open) await idle; db.prepare('VACUUM INTO ?').run(target); },
    async forget() { while (open) await idle; db.pragma('wal_checkpoint(TRUNCATE)'); },
    async close() { while (open) await idle; db.close(); },
  };
}

export function openSqliteStore(file: string): Promise<Store> {
  return createSqlStore(sqliteDriver(file));
}
