// What every use case needs: the store, the configuration, the clock and the issuers' keys.
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
}

/** Each collective's keys live in `<KEYS_DIR>/collectives/<collective id>/`, mode 0600. */
export class KeyRing {
  private readonly cache = new Map<string, IssuerKey[]>();
  constructor(private readonly dir: string) {}

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
  return {
    store,
    config,
    now: options.now ?? (() => new Date()),
    keys: new KeyRing(config.keysDir),
    log: options.log ?? ((line) => process.stdout.write(line + '\n')),
  };
}
