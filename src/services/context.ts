// What every use case needs: the store, the configuration, the clock and the issuers' keys.
import { randomBytes } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';
import { activeKey, generateKey, loadKeys, saveKey, type IssuerKey } from '../ob3/keys.js';
import type { Store } from '../store/index.js';

export interface Context {
  store: Store;
  config: Config;
  now(): Date;
  keys: KeyRing;
  log(line: string): void;
  /** True once the server was asked to stop: batches end after the badge in hand. */
  stopping(): boolean;
  stop(): void;
}

/** Each collective's keys live in `<KEYS_DIR>/collectives/<collective id>/`, mode 0600. */
export class KeyRing {
  private readonly cache = new Map<string, IssuerKey[]>();
  private links?: Buffer;
  constructor(private readonly dir: string) {}

  /** The instance's secret for claim links (KEYS_DIR/links.key, 256 bits), made on first use. */
  linkKey(): Buffer {
    if (this.links) return this.links;
    const file = path.join(this.dir, 'links.key');
    try {
      this.links = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64url');
    } catch {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      const tmp = `${file}.tmp-${process.pid}`;
      writeFileSync(tmp, randomBytes(32).toString('base64url') + '\n', { mode: 0o600 });
      chmodSync(tmp, 0o600);
      // Linking fails if another instance on the same KEYS_DIR made it first: then theirs is the one.
      try { linkSync(tmp, file); } catch { /* made meanwhile */ } finally { rmSync(tmp, { force: true }); }
      this.links = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64url');
    }
    return this.links;
  }

  private folder(collectiveId: string): string {
    return path.join(this.dir, 'collectives', collectiveId);
  }

  all(collectiveId: string): IssuerKey[] {
    let keys = this.cache.get(collectiveId);
    if (!keys) {
      keys = loadKeys(this.folder(collectiveId));
      this.cache.set(collectiveId, keys);
    }
    return keys;
  }

  /** The signing key, generated on first use. */
  active(collectiveId: string, now = new Date()): IssuerKey {
    const key = activeKey(this.all(collectiveId));
    if (key) return key;
    const created = generateKey(now);
    saveKey(this.folder(collectiveId), created);
    this.cache.delete(collectiveId);
    return created;
  }
}

export function createContext(store: Store, config: Config, options: { now?: () => Date; log?: (line: string) => void } = {}): Context {
  let stopping = false;
  return {
    store,
    config,
    now: options.now ?? (() => new Date()),
    keys: new KeyRing(config.keysDir),
    log: options.log ?? ((line) => process.stdout.write(line + '\n')),
    stopping: () => stopping,
    stop: () => { stopping = true; },
  };
}
