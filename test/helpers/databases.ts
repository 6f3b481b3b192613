// The databases the store suite runs on: always a fresh SQLite file; PostgreSQL too when
// BADGEONS_TEST_DATABASE_URL names a server where this user may create databases (.ci/run starts
// one). Each PostgreSQL use gets a database of its own, dropped afterwards.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { newId } from '../../src/store/ids.js';
import { postgresDriver } from '../../src/store/postgres/index.js';
import type { SqlDriver } from '../../src/store/sql/driver.js';
import { sqliteDriver } from '../../src/store/sqlite/index.js';

export const POSTGRES_URL = process.env.BADGEONS_TEST_DATABASE_URL;

export interface TestDatabase {
  name: 'SQLite' | 'PostgreSQL';
  /** What the server needs to use it (DATA_DIR for SQLite's file, DATABASE_URL for PostgreSQL). */
  env: Record<string, string>;
  /** A new connection, for fixtures written beside the store. */
  driver(): SqlDriver;
  drop(): Promise<void>;
}

export async function freshPostgres(): Promise<{ url: string; drop(): Promise<void> }> {
  if (!POSTGRES_URL) throw new Error('BADGEONS_TEST_DATABASE_URL is not set');
  const name = `badgeons_${newId().toLowerCase().replace(/[^a-z0-9]/g, '')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.href,
    async drop() {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

export async function freshDatabase(kind: TestDatabase['name']): Promise<TestDatabase> {
  if (kind === 'PostgreSQL') {
    const { url, drop } = await freshPostgres();
    return { name: kind, env: { DATABASE_URL: url }, driver: () => postgresDriver(url), drop };
  }
  const dataDir = path.join(mkdtempSync(path.join(tmpdir(), 'badgeons-store-')), 'data');
  return { name: kind, env: { DATA_DIR: dataDir }, driver: () => sqliteDriver(path.join(dataDir, 'badgeons.sqlite')), async drop() {} };
}

/** SQLite always; PostgreSQL when a server is configured (otherwise its suite is reported pending). */
export const DATABASES: readonly TestDatabase['name'][] = ['SQLite', 'PostgreSQL'];
export const available = (kind: TestDatabase['name']): boolean => kind === 'SQLite' || !!POSTGRES_URL;
