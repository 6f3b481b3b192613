// Learners' links: a badge's claim link, and the link to all of a learner's badges.
// Kept in SQL once for SQLite and PostgreSQL (store/sql/driver.ts); the store composes every feature's part.
import type { Store } from '../store/index.js';
import type { SqlDriver } from '../store/sql/driver.js';
import { claimLink } from '../store/sql/rows.js';

/** A learner's personal link to her badge; only the hash of its secret is kept. */
export interface ClaimLink {
  credentialId: string;
  hash: string;
  createdAt: string;
  expiresAt: string;
  /** Hash of the transaction code printed on the card, asked by wallets (OpenID4VCI `tx_code`). */
  txCodeHash: string | null;
  /** Hash of the short code printed on the card (typed at /code); null for links made before codes. */
  codeHash: string | null;
}

export interface ClaimLinkRepository {
  /** Replaces the badge's previous link, if any. */
  put(link: ClaimLink): Promise<void>;
  /** A link that has not expired, by the hash of its secret. */
  live(hash: string, now: string): Promise<ClaimLink | undefined>;
  forCredential(credentialId: string): Promise<ClaimLink | undefined>;
  /** A link that has not expired, by the hash of its short code. */
  liveByCode(codeHash: string, now: string): Promise<ClaimLink | undefined>;
  /** Gives a link made before short codes its code. */
  setCode(credentialId: string, codeHash: string): Promise<void>;
}

/** A learner's link to all her badges, sent to her email. */
export interface LearnerLink {
  hash: string;
  email: string;
  createdAt: string;
  expiresAt: string;
}

export interface LearnerLinkRepository {
  put(link: LearnerLink): Promise<void>;
  live(hash: string, now: string): Promise<LearnerLink | undefined>;
}

export function learnersSql(db: SqlDriver): Pick<Store, 'claimLinks' | 'learnerLinks'> {
  return {
    claimLinks: {
      async put(l) {
        await db.run(`INSERT INTO claim_links (credential_id, hash, created_at, expires_at, tx_code_hash, code_hash)
          VALUES (@credentialId, @hash, @createdAt, @expiresAt, @txCodeHash, @codeHash)
          ON CONFLICT (credential_id) DO UPDATE SET hash = excluded.hash, created_at = excluded.created_at,
          expires_at = excluded.expires_at, tx_code_hash = excluded.tx_code_hash, code_hash = excluded.code_hash`, { ...l });
      },
      async live(hash, now) {
        const r = await db.get('SELECT * FROM claim_links WHERE hash = ? AND expires_at > ?', [hash, now]);
        return r && claimLink(r);
      },
      async forCredential(credentialId) {
        const r = await db.get('SELECT * FROM claim_links WHERE credential_id = ?', [credentialId]);
        return r && claimLink(r);
      },
      async liveByCode(codeHash, now) {
        const r = await db.get('SELECT * FROM claim_links WHERE code_hash = ? AND expires_at > ?', [codeHash, now]);
        return r && claimLink(r);
      },
      async setCode(credentialId, codeHash) {
        await db.run('UPDATE claim_links SET code_hash = ? WHERE credential_id = ?', [codeHash, credentialId]);
      },
    },
    learnerLinks: {
      async put(l) {
        await db.run('DELETE FROM learner_links WHERE expires_at <= ?', [l.createdAt]);
        await db.run('INSERT INTO learner_links (hash, email, created_at, expires_at) VALUES (@hash, @email, @createdAt, @expiresAt)', { ...l });
      },
      async live(hash, now) {
        const r = await db.get('SELECT * FROM learner_links WHERE hash = ? AND expires_at > ?', [hash, now]);
        return r && { hash: r.hash as string, email: r.email as string, createdAt: r.created_at as string, expiresAt: r.expires_at as string };
      },
    },
  };
}
