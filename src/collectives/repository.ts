// Collectives and their API tokens.
// Kept in SQL once for SQLite and PostgreSQL (store/sql/driver.ts); the store composes every feature's part.
import type { Store } from '../store/index.js';
import type { SqlDriver } from '../store/sql/driver.js';
import { apiToken, collective } from '../store/sql/rows.js';

export interface Collective {
  id: string;
  slug: string;
  name: string;
  description: string;
  url: string;
  email: string;
  town: string;
  logoPng: Buffer | null;
  createdAt: string;
  /** A Badgeons collective issues badges; a partner (employer, public service, association) endorses them. */
  kind: CollectiveKind;
}

export type CollectiveKind = 'collective' | 'partner';

export interface ApiToken {
  id: string;
  collectiveId: string;
  name: string;
  /** SHA-256 of the secret; the secret itself is shown once and never stored. */
  hash: string;
  createdBy: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface CollectiveRepository {
  create(collective: Collective): Promise<void>;
  update(collective: Collective): Promise<void>;
  bySlug(slug: string): Promise<Collective | undefined>;
  byId(id: string): Promise<Collective | undefined>;
  list(): Promise<Collective[]>;
}

export interface ApiTokenRepository {
  create(token: ApiToken): Promise<void>;
  /** A live (not revoked) token by the hash of its secret. */
  byHash(hash: string): Promise<ApiToken | undefined>;
  list(collectiveId: string): Promise<ApiToken[]>;
  revoke(collectiveId: string, id: string, now: string): Promise<boolean>;
  touch(id: string, now: string): Promise<void>;
}

export function collectivesSql(db: SqlDriver): Pick<Store, 'collectives' | 'apiTokens'> {
  return {
    collectives: {
      async create(c) {
        await db.run(`INSERT INTO collectives (id, slug, name, description, url, email, town, logo_png, created_at, kind)
          VALUES (@id, @slug, @name, @description, @url, @email, @town, @logoPng, @createdAt, @kind)`, { ...c });
      },
      async update(c) {
        await db.run(`UPDATE collectives SET name = @name, description = @description, url = @url, email = @email,
          town = @town, logo_png = @logoPng WHERE id = @id`, { ...c });
      },
      async bySlug(slug) { const r = await db.get('SELECT * FROM collectives WHERE slug = ?', [slug]); return r && collective(r); },
      async byId(id) { const r = await db.get('SELECT * FROM collectives WHERE id = ?', [id]); return r && collective(r); },
      async list() { return (await db.all('SELECT * FROM collectives ORDER BY name')).map(collective); },
    },
    apiTokens: {
      async create(t) {
        await db.run(`INSERT INTO api_tokens (id, collective_id, name, hash, created_by, created_at, last_used_at, revoked_at)
          VALUES (@id, @collectiveId, @name, @hash, @createdBy, @createdAt, @lastUsedAt, @revokedAt)`, { ...t });
      },
      async byHash(hash) {
        const r = await db.get('SELECT * FROM api_tokens WHERE hash = ? AND revoked_at IS NULL', [hash]);
        return r && apiToken(r);
      },
      async list(collectiveId) {
        return (await db.all('SELECT * FROM api_tokens WHERE collective_id = ? ORDER BY created_at DESC', [collectiveId])).map(apiToken);
      },
      async revoke(collectiveId, id, now) {
        return (await db.run('UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND collective_id = ? AND revoked_at IS NULL', [now, id, collectiveId])) === 1;
      },
      async touch(id, now) { await db.run('UPDATE api_tokens SET last_used_at = ? WHERE id = ?', [now, id]); },
    },
  };
}
