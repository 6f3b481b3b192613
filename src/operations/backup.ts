// Backups of a whole instance in one file: a consistent snapshot of the database (taken while the
// server runs) and every issuer key, zipped, and sealed with AES-256-GCM when a passphrase is
// given (scrypt-derived key). Losing either the database or the keys means every badge issued
// stops verifying, so they travel together.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { databaseFile, type Config } from '../config.js';
import { seal, unseal } from '../ob3/sealed.js';
import type { Account, Store } from '../store/index.js';
import type { Context } from '../shared/context.js';
import { AppError } from '../shared/errors.js';

const SEALED = Buffer.from('BADGEONS-BACKUP-AES256GCM-1\n');
const MANIFEST = 'manifest.json';
const DATABASE = 'badgeons.sqlite';

function filesUnder(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full, `${prefix}${name}/`) : [`${prefix}${name}`];
  });
}

function sealBackup(plain: Uint8Array, passphrase: string): Buffer {
  return Buffer.concat([SEALED, seal(plain, passphrase)]);
}

function unsealBackup(bytes: Buffer, passphrase: string | undefined): Buffer {
  if (!passphrase) throw new AppError('BACKUP_PASSPHRASE_NEEDED', 400);
  const plain = unseal(bytes.subarray(SEALED.length), passphrase);
  if (!plain) throw new AppError('BACKUP_PASSPHRASE_WRONG', 400);
  return plain;
}

/** What the admin page shows of the last backup. */
export interface BackupRecord {
  at: string;
  bytes: number;
  sealed: boolean;
  /** Who made it: an admin's email (download), or `cli` with its file. */
  by: string;
  where: string;
}

export async function lastBackup(store: Store): Promise<BackupRecord | undefined> {
  const value = await store.settings.get('last_backup');
  return value ? (JSON.parse(value) as BackupRecord) : undefined;
}

export const recordBackup = (store: Store, record: BackupRecord): Promise<void> => store.settings.set('last_backup', JSON.stringify(record));

/** The backup file's bytes: database snapshot + keys (+ manifest), sealed when `passphrase` is set. */
export async function createBackup(store: Store, config: Config, now: Date, passphrase?: string): Promise<Buffer> {
  // PostgreSQL has its own tools (pg_dump): the README says how; the keys are copied as files.
  if (store.kind !== 'sqlite') throw new AppError('BACKUP_NEEDS_SQLITE', 409);
  const work = mkdtempSync(path.join(tmpdir(), 'badgeons-backup-'));
  try {
    const snapshot = path.join(work, DATABASE);
    await store.snapshot(snapshot);
    const keys = filesUnder(config.keysDir);
    const files: Record<string, Uint8Array> = {
      [MANIFEST]: Buffer.from(JSON.stringify({ format: 'badgeons-backup', version: 1, createdAt: now.toISOString(), publicUrl: config.publicUrl, keys: keys.length }, null, 2)),
      [DATABASE]: readFileSync(snapshot),
    };
    for (const key of keys) files[`keys/${key}`] = readFileSync(path.join(config.keysDir, key));
    const zip = zipSync(files, { level: 6 });
    return passphrase ? sealBackup(zip, passphrase) : Buffer.from(zip);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export interface RestoreReport {
  createdAt: string;
  publicUrl: string;
  keys: number;
}

/**
 * Writes a backup into DATA_DIR and KEYS_DIR (the server stopped). Refuses to overwrite an existing
 * database unless `force`; checks the whole file before writing anything.
 */
export function restoreBackup(config: Config, bytes: Buffer, options: { passphrase?: string; force?: boolean } = {}): RestoreReport {
  const plain = bytes.subarray(0, SEALED.length).equals(SEALED) ? unsealBackup(bytes, options.passphrase) : bytes;
  let files: Record<string, Uint8Array>;
  let manifest: { format?: string; createdAt?: string; publicUrl?: string };
  try {
    files = unzipSync(plain);
    manifest = JSON.parse(Buffer.from(files[MANIFEST]!).toString('utf8'));
  } catch {
    throw new AppError('BACKUP_INVALID', 400);
  }
  const database = files[DATABASE];
  if (manifest.format !== 'badgeons-backup' || !database || !Buffer.from(database.subarray(0, 16)).toString('latin1').startsWith('SQLite format 3')) {
    throw new AppError('BACKUP_INVALID', 400);
  }
  const keyNames = Object.keys(files).filter((name) => name.startsWith('keys/') && !name.endsWith('/'));
  if (keyNames.some((name) => name.split('/').some((part) => part === '..' || part === ''))) throw new AppError('BACKUP_INVALID', 400);
  const target = databaseFile(config);
  if (existsSync(target) && !options.force) throw new AppError('RESTORE_WOULD_OVERWRITE', 409);

  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  for (const suffix of ['-wal', '-shm']) rmSync(target + suffix, { force: true });
  writeFileSync(target, database, { mode: 0o600 });
  for (const name of keyNames) {
    const file = path.join(config.keysDir, name.slice('keys/'.length));
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, files[name]!, { mode: 0o600 });
  }
  return { createdAt: manifest.createdAt ?? '', publicUrl: manifest.publicUrl ?? '', keys: keyNames.length };
}

/** What the backups page shows: the last backup, and whether this database can be backed up from here. */
export async function backupStatus(ctx: Context): Promise<{ last: BackupRecord | undefined; sqlite: boolean }> {
  return { last: await lastBackup(ctx.store), sqlite: ctx.store.kind === 'sqlite' };
}

/** A backup downloaded by an instance admin, recorded as the last one (sealed with BADGEONS_BACKUP_PASSPHRASE when set). */
export async function downloadBackup(ctx: Context, by: Account): Promise<Buffer> {
  if (!by.instanceAdmin) throw new AppError('FORBIDDEN', 403);
  const passphrase = process.env.BADGEONS_BACKUP_PASSPHRASE || undefined;
  const bytes = await createBackup(ctx.store, ctx.config, ctx.now(), passphrase);
  await recordBackup(ctx.store, { at: ctx.now().toISOString(), bytes: bytes.length, sealed: !!passphrase, by: by.email, where: 'download' });
  return bytes;
}
