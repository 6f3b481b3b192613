// badgeons backup <file> / badgeons restore <file> [--force]: the instance configured by the
// environment (DATA_DIR, KEYS_DIR). Backup works while the server runs; restore wants it stopped.
// BADGEONS_BACKUP_PASSPHRASE, when set, encrypts the backup (and is needed to restore it).
import { writeFileSync } from 'node:fs';
import { loadConfig } from '../config.js';
import { openContext } from '../server.js';
import { createBackup, recordBackup, restoreBackup } from '../operations/backup.js';
import { parse, readInputFile, usage, type Command } from './command.js';

const passphrase = () => process.env.BADGEONS_BACKUP_PASSPHRASE || undefined;

export const backup: Command = async (args) => {
  const { positionals } = parse(args, {});
  if (positionals.length !== 1) throw usage('badgeons backup <file>');
  const ctx = await openContext(loadConfig(), () => {});
  try {
    const bytes = await createBackup(ctx.store, ctx.config, ctx.now(), passphrase());
    writeFileSync(positionals[0]!, bytes, { mode: 0o600 });
    await recordBackup(ctx.store, { at: ctx.now().toISOString(), bytes: bytes.length, sealed: !!passphrase(), by: 'cli', where: positionals[0]! });
    process.stdout.write(`Backup written: ${positionals[0]} (${bytes.length} bytes${passphrase() ? ', encrypted' : ', NOT encrypted: it holds private keys'})\n`);
    return 0;
  } finally {
    await ctx.store.close();
  }
};

export const restore: Command = async (args) => {
  const { positionals, values } = parse(args, { force: { type: 'boolean' } });
  if (positionals.length !== 1) throw usage('badgeons restore <file> [--force]');
  const config = loadConfig();
  const report = restoreBackup(config, readInputFile(positionals[0]!), { ...(passphrase() ? { passphrase: passphrase()! } : {}), force: !!values.force });
  process.stdout.write(`Restored the backup of ${report.createdAt} (${report.keys} key file(s)) into ${config.dataDir} and ${config.keysDir}.\n`);
  if (report.publicUrl && report.publicUrl !== config.publicUrl) {
    process.stdout.write(`Warning: the backup was made with PUBLIC_URL=${report.publicUrl}; start the server with the same address, or its badges will not verify.\n`);
  }
  return 0;
};
