// What every use case needs: the store, the configuration, the clock and the issuers' keys.
import { inThisThread, type Workers } from '../workers/pool.js';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, linkSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pino, type Logger } from 'pino';
import type { Config } from '../config.js';
import { Ob3Error } from '../ob3/errors.js';
import { activeKey, generateKey, loadKeys, rotateKey, saveKey, type IssuerKey } from '../ob3/keys.js';
import { seal, unseal } from '../ob3/sealed.js';
import type { Store } from '../store/index.js';

export interface Context {
  store: Store;
  config: Config;
  now(): Date;
  keys: KeyRing;
  /** Where signing and proof checking run: worker threads in the server, this thread elsewhere. */
  workers: Workers;
  /** A line for the people running the server. */
  log(line: string): void;
  /** A structured entry (requests, errors): JSON fields in production logs. */
  record(message: string, fields: Record<string, unknown>, level?: 'info' | 'error'): void;
  /** True once the server was asked to stop: batches end after the badge in hand. */
  stopping(): boolean;
  stop(): void;
}

/**
 * Each collective's keys live in `<KEYS_DIR>/collectives/<collective id>/`, mode 0600; with a
 * passphrase (BADGEONS_KEYS_PASSPHRASE) their private halves are sealed, and keys found in clear
 * are sealed on first read. A folder is read again when it changes, so a rotation made by another
 * instance or by the CLI is seen at once.
 */
export class KeyRing {
  private readonly cache = new Map<string, { keys: IssuerKey[]; changed: number }>();
  private links?: Buffer;
  constructor(private readonly dir: string, private readonly passphrase?: string) {}

  /** The instance's secret for claim links (KEYS_DIR/links.key, 256 bits), made on first use. */
  linkKey(): Buffer {
    if (this.links) return this.links;
    const file = path.join(this.dir, 'links.key');
    if (!existsSync(file)) this.writeSecret(file, randomBytes(32), true);
    const text = readFileSync(file, 'utf8').trim();
    if (!text.startsWith('sealed:')) {
      this.links = Buffer.from(text, 'base64url');
      if (this.passphrase) this.writeSecret(file, this.links);
      return this.links;
    }
    if (!this.passphrase) throw new Ob3Error('KEY_PASSPHRASE_NEEDED', { path: file });
    const opened = unseal(Buffer.from(text.slice(7), 'base64url'), this.passphrase);
    if (!opened) throw new Ob3Error('KEY_PASSPHRASE_WRONG', { path: file });
    return (this.links = opened);
  }

  /** Writes the secret (sealed with a passphrase); `once`: unless another instance made it first. */
  private writeSecret(file: string, secret: Buffer, once = false): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const tmp = `${file}.tmp-${process.pid}`;
    writeFileSync(tmp, (this.passphrase ? `sealed:${seal(secret, this.passphrase).toString('base64url')}` : secret.toString('base64url')) + '\n', { mode: 0o600 });
    chmodSync(tmp, 0o600);
    if (!once) return renameSync(tmp, file);
    // Linking fails if another instance on the same KEYS_DIR made it first: then theirs is the one.
    try { linkSync(tmp, file); } catch { /* made meanwhile */ } finally { rmSync(tmp, { force: true }); }
  }

  private folder(collectiveId: string): string {
    return path.join(this.dir, 'collectives', collectiveId);
  }

  all(collectiveId: string): IssuerKey[] {
    const folder = this.folder(collectiveId);
    const changed = existsSync(folder) ? statSync(folder).mtimeMs : 0;
    const cached = this.cache.get(collectiveId);
    if (cached && cached.changed === changed) return cached.keys;
    const keys = loadKeys(folder, this.passphrase);
    if (this.passphrase) for (const key of keys.filter((k) => k.clear)) saveKey(folder, key, this.passphrase);
    this.cache.set(collectiveId, { keys, changed: existsSync(folder) ? statSync(folder).mtimeMs : 0 });
    return keys;
  }

  /** The signing key, generated on first use. */
  active(collectiveId: string, now = new Date()): IssuerKey {
    const key = activeKey(this.all(collectiveId));
    if (key) return key;
    const created = generateKey(now);
    saveKey(this.folder(collectiveId), created, this.passphrase);
    this.cache.delete(collectiveId);
    return created;
  }

  /** A new signing key; the previous ones are retired and stay published, so their badges verify. */
  rotate(collectiveId: string, now = new Date()): IssuerKey {
    this.all(collectiveId);
    const next = rotateKey(this.folder(collectiveId), now, this.passphrase);
    this.cache.delete(collectiveId);
    return next;
  }

  /** Marks a key untrusted from `from`; if it was signing, a new key takes over. */
  compromise(collectiveId: string, kid: string, from: Date, now = new Date()): IssuerKey {
    const key = this.all(collectiveId).find((k) => k.kid === kid);
    if (!key) throw new Ob3Error('KEY_FILE_UNREADABLE', { path: kid });
    if (!key.retired) this.rotate(collectiveId, now);
    const current = this.all(collectiveId).find((k) => k.kid === kid)!;
    current.compromised = from.toISOString();
    saveKey(this.folder(collectiveId), current, this.passphrase);
    this.cache.delete(collectiveId);
    return current;
  }
}

/** Where a context writes: pino in production (one JSON object per line on stdout), a function in tests and the CLI. */
export type LogSink = ((line: string) => void) | Pick<Logger, 'info' | 'error'>;

export function createContext(store: Store, config: Config, options: { now?: () => Date; log?: LogSink; workers?: Workers } = {}): Context {
  let stopping = false;
  const sink = options.log ?? pino();
  return {
    store,
    config,
    now: options.now ?? (() => new Date()),
    keys: new KeyRing(config.keysDir, config.keysPassphrase),
    workers: options.workers ?? inThisThread(),
    log: typeof sink === 'function' ? sink : (line) => sink.info(line),
    record: typeof sink === 'function'
      ? (message, fields) => sink(`${message} ${JSON.stringify(fields)}`)
      : (message, fields, level = 'info') => sink[level](fields, message),
    stopping: () => stopping,
    stop: () => { stopping = true; },
  };
}
