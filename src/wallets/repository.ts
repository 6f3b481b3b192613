// Wallet offers, tokens, nonces and deliveries (OpenID4VCI).
// Kept in SQL once for SQLite and PostgreSQL (store/sql/driver.ts); the store composes every feature's part.
import type { Store } from '../store/index.js';
import type { SqlDriver } from '../store/sql/driver.js';
import { walletDelivery, walletOffer } from '../store/sql/rows.js';

/** An OpenID4VCI credential offer: a pre-authorized code, exchanged once for an access token. */
export interface WalletOffer {
  id: string;
  credentialId: string;
  codeHash: string;
  txCodeHash: string | null;
  failedCodes: number;
  createdAt: string;
  expiresAt: string;
  tokenHash: string | null;
  tokenExpiresAt: string | null;
}

export type WalletFormat = 'ldp_vc' | 'jwt_vc_json';

export interface WalletDelivery {
  credentialId: string;
  /** The wallet's DID the copy was bound to (credentialSubject.id). */
  subjectDid: string;
  format: WalletFormat;
  deliveredAt: string;
}

export interface WalletRepository {
  createOffer(offer: WalletOffer): Promise<void>;
  offer(id: string, now: string): Promise<WalletOffer | undefined>;
  /** A live offer whose code has not been exchanged yet. */
  offerByCode(codeHash: string, now: string): Promise<WalletOffer | undefined>;
  failCode(id: string): Promise<void>;
  /** Exchanges the code for a token; false when another request exchanged it first. */
  redeem(id: string, tokenHash: string, tokenExpiresAt: string): Promise<boolean>;
  offerByToken(tokenHash: string, now: string): Promise<WalletOffer | undefined>;
  /** Saves a nonce; those expired by `now` go. */
  addNonce(hash: string, expiresAt: string, now: string): Promise<void>;
  /** True once for a live nonce. */
  consumeNonce(hash: string, now: string): Promise<boolean>;
  deliver(delivery: WalletDelivery): Promise<void>;
  deliveries(credentialId: string): Promise<WalletDelivery[]>;
}

export function walletsSql(db: SqlDriver): Pick<Store, 'wallet'> {
  return {
    wallet: {
      async createOffer(o) {
        await db.run(`INSERT INTO wallet_offers (id, credential_id, code_hash, tx_code_hash, failed_codes, created_at, expires_at, token_hash, token_expires_at)
          VALUES (@id, @credentialId, @codeHash, @txCodeHash, @failedCodes, @createdAt, @expiresAt, @tokenHash, @tokenExpiresAt)`, { ...o });
      },
      async offer(id, now) {
        const r = await db.get('SELECT * FROM wallet_offers WHERE id = ? AND expires_at > ? AND token_hash IS NULL', [id, now]);
        return r && walletOffer(r);
      },
      async offerByCode(codeHash, now) {
        const r = await db.get('SELECT * FROM wallet_offers WHERE code_hash = ? AND expires_at > ? AND token_hash IS NULL', [codeHash, now]);
        return r && walletOffer(r);
      },
      async failCode(id) { await db.run('UPDATE wallet_offers SET failed_codes = failed_codes + 1 WHERE id = ?', [id]); },
      async redeem(id, tokenHash, tokenExpiresAt) {
        return (await db.run('UPDATE wallet_offers SET token_hash = ?, token_expires_at = ? WHERE id = ? AND token_hash IS NULL',
          [tokenHash, tokenExpiresAt, id])) === 1;
      },
      async offerByToken(tokenHash, now) {
        const r = await db.get('SELECT * FROM wallet_offers WHERE token_hash = ? AND token_expires_at > ?', [tokenHash, now]);
        return r && walletOffer(r);
      },
      async addNonce(hash, expiresAt, now) {
        await db.run('DELETE FROM wallet_nonces WHERE expires_at <= ?', [now]);
        await db.run('INSERT INTO wallet_nonces (hash, expires_at) VALUES (?, ?)', [hash, expiresAt]);
      },
      async consumeNonce(hash, now) {
        return (await db.run('DELETE FROM wallet_nonces WHERE hash = ? AND expires_at > ?', [hash, now])) === 1;
      },
      async deliver(d) {
        await db.run(`INSERT INTO wallet_deliveries (credential_id, subject_did, format, delivered_at)
          VALUES (@credentialId, @subjectDid, @format, @deliveredAt)`, { ...d });
      },
      async deliveries(credentialId) {
        return (await db.all('SELECT * FROM wallet_deliveries WHERE credential_id = ? ORDER BY delivered_at', [credentialId])).map(walletDelivery);
      },
    },
  };
}
