// Learners' requests for a badge, in their own words, and the keys that open an atelier's request page.
// Kept in SQL once for SQLite and PostgreSQL (store/sql/driver.ts); the store composes every feature's part.
import type { Store } from '../store/index.js';
import type { Row, SqlDriver } from '../store/sql/driver.js';
import { NO_FACTS, type ParticipantFacts } from '../reports/facts.js';

export type RequestState = 'pending' | 'more' | 'accepted' | 'declined';

export interface AtelierRef { atelierId: string; collectiveId: string }
const atelierRef = (r: Row | undefined): AtelierRef | undefined => r && { atelierId: r.id as string, collectiveId: r.collective_id as string };

/** A person's request for one badge class of an atelier; she follows it with her own link (only its hash kept). */
export interface BadgeRequest {
  id: string;
  collectiveId: string;
  atelierId: string;
  badgeClassId: string;
  name: string;
  email: string;
  /** Her words: what she did, what it shows. Becomes the badge's evidence when accepted. */
  reflection: string;
  hash: string;
  state: RequestState;
  /** The facilitator's message when asking for more or declining. */
  message: string;
  credentialId: string | null;
  createdAt: string;
  updatedAt: string;
  /** The report's optional facts she gave about herself (reports/facts.ts), read when she is accepted. */
  facts: ParticipantFacts;
}

export interface BadgeRequestRepository {
  /** The hashes of an atelier's request link and short code (made the first time they are shown). */
  setAtelierKeys(atelierId: string, linkHash: string, codeHash: string): Promise<void>;
  atelierByLink(linkHash: string): Promise<AtelierRef | undefined>;
  atelierByCode(codeHash: string): Promise<AtelierRef | undefined>;
  create(request: BadgeRequest): Promise<void>;
  byHash(hash: string): Promise<BadgeRequest | undefined>;
  byId(collectiveId: string, id: string): Promise<BadgeRequest | undefined>;
  forAtelier(collectiveId: string, atelierId: string): Promise<BadgeRequest[]>;
  /** Moves a request from `from` to its new state; false when it was not in `from` (answered twice, or twice at once). */
  answer(id: string, from: RequestState[], change: Pick<BadgeRequest, 'state' | 'message' | 'updatedAt'> & { credentialId?: string }): Promise<boolean>;
  /** Her new words, after the facilitator asked for more. */
  rewrite(id: string, reflection: string, now: string): Promise<boolean>;
}

const badgeRequest = (r: Row): BadgeRequest => ({
  id: r.id as string, collectiveId: r.collective_id as string, atelierId: r.atelier_id as string, badgeClassId: r.badge_class_id as string,
  name: r.name as string, email: r.email as string, reflection: r.reflection as string, hash: r.hash as string,
  state: r.state as RequestState, message: r.message as string, credentialId: (r.credential_id as string | null) ?? null,
  createdAt: r.created_at as string, updatedAt: r.updated_at as string, facts: { ...NO_FACTS, ...(JSON.parse((r.facts as string | undefined) ?? '{}') as Partial<ParticipantFacts>) },
});

export function requestsSql(db: SqlDriver): Pick<Store, 'badgeRequests'> {
  return {
    badgeRequests: {
      async setAtelierKeys(atelierId, linkHash, codeHash) {
        await db.run('UPDATE ateliers SET request_hash = ?, request_code_hash = ? WHERE id = ?', [linkHash, codeHash, atelierId]);
      },
      async atelierByLink(hash) { return atelierRef(await db.get('SELECT id, collective_id FROM ateliers WHERE request_hash = ?', [hash])); },
      async atelierByCode(hash) { return atelierRef(await db.get('SELECT id, collective_id FROM ateliers WHERE request_code_hash = ?', [hash])); },
      async create(r) {
        await db.run(`INSERT INTO badge_requests (id, collective_id, atelier_id, badge_class_id, name, email, reflection, hash, state, message, credential_id, created_at, updated_at, facts)
          VALUES (@id, @collectiveId, @atelierId, @badgeClassId, @name, @email, @reflection, @hash, @state, @message, @credentialId, @createdAt, @updatedAt, @facts)`, { ...r, facts: JSON.stringify(r.facts) });
      },
      async byHash(hash) { const r = await db.get('SELECT * FROM badge_requests WHERE hash = ?', [hash]); return r && badgeRequest(r); },
      async byId(collectiveId, id) {
        const r = await db.get('SELECT * FROM badge_requests WHERE id = ? AND collective_id = ?', [id, collectiveId]);
        return r && badgeRequest(r);
      },
      async forAtelier(collectiveId, atelierId) {
        return (await db.all('SELECT * FROM badge_requests WHERE collective_id = ? AND atelier_id = ? ORDER BY created_at', [collectiveId, atelierId])).map(badgeRequest);
      },
      async answer(id, from, change) {
        return (await db.run(`UPDATE badge_requests SET state = ?, message = ?, updated_at = ?, credential_id = coalesce(?, credential_id)
          WHERE id = ? AND state IN (${from.map(() => '?').join(', ')})`, [change.state, change.message, change.updatedAt, change.credentialId ?? null, id, ...from])) === 1;
      },
      async rewrite(id, reflection, now) {
        return (await db.run('UPDATE badge_requests SET reflection = ?, state = \'pending\', updated_at = ? WHERE id = ? AND state = \'more\'', [reflection, now, id])) === 1;
      },
    },
  };
}
