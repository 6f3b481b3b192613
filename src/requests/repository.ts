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
  /** Her photo's id (`/evidence/<id>` once it is in her badge), if she added one. */
  photoId: string | null;
}

/** A photo she added to her request: its public id and the re-encoded JPEG. */
export interface RequestPhoto { id: string; jpeg: Buffer }

export interface BadgeRequestRepository {
  /** The hashes of an atelier's request link and short code (made the first time they are shown). */
  setAtelierKeys(atelierId: string, linkHash: string, codeHash: string): Promise<void>;
  atelierByLink(linkHash: string): Promise<AtelierRef | undefined>;
  atelierByCode(codeHash: string): Promise<AtelierRef | undefined>;
  /** Saves her request and her photo, both or neither. */
  create(request: Omit<BadgeRequest, 'photoId'>, photo?: RequestPhoto): Promise<void>;
  byHash(hash: string): Promise<BadgeRequest | undefined>;
  byId(collectiveId: string, id: string): Promise<BadgeRequest | undefined>;
  forAtelier(collectiveId: string, atelierId: string): Promise<BadgeRequest[]>;
  /** A request's photo, for the collective's members. */
  photo(collectiveId: string, requestId: string): Promise<Buffer | undefined>;
  /** A photo that is evidence in a badge: its request accepted, the badge issued and not erased. */
  evidencePhoto(id: string): Promise<Buffer | undefined>;
  /** Moves a request from `from` to its new state (a declined one loses its photo); false when it was not in `from` (answered twice, or twice at once). */
  answer(id: string, from: RequestState[], change: Pick<BadgeRequest, 'state' | 'message' | 'updatedAt'> & { credentialId?: string }): Promise<boolean>;
  /** Her new words, after the facilitator asked for more. */
  rewrite(id: string, reflection: string, now: string): Promise<boolean>;
}

const badgeRequest = (r: Row): BadgeRequest => ({
  id: r.id as string, collectiveId: r.collective_id as string, atelierId: r.atelier_id as string, badgeClassId: r.badge_class_id as string,
  name: r.name as string, email: r.email as string, reflection: r.reflection as string, hash: r.hash as string,
  state: r.state as RequestState, message: r.message as string, credentialId: (r.credential_id as string | null) ?? null,
  createdAt: r.created_at as string, updatedAt: r.updated_at as string, facts: { ...NO_FACTS, ...(JSON.parse((r.facts as string | undefined) ?? '{}') as Partial<ParticipantFacts>) },
  photoId: (r.photo_id as string | null) ?? null,
});

/** Requests with their photo's id, never its bytes. */
const REQUESTS = 'SELECT r.*, p.id AS photo_id FROM badge_requests r LEFT JOIN request_photos p ON p.request_id = r.id';

export function requestsSql(db: SqlDriver): Pick<Store, 'badgeRequests'> {
  return {
    badgeRequests: {
      async setAtelierKeys(atelierId, linkHash, codeHash) {
        await db.run('UPDATE ateliers SET request_hash = ?, request_code_hash = ? WHERE id = ?', [linkHash, codeHash, atelierId]);
      },
      async atelierByLink(hash) { return atelierRef(await db.get('SELECT id, collective_id FROM ateliers WHERE request_hash = ?', [hash])); },
      async atelierByCode(hash) { return atelierRef(await db.get('SELECT id, collective_id FROM ateliers WHERE request_code_hash = ?', [hash])); },
      async create(r, photo) {
        await db.transaction(async (tx) => {
          await tx.run(`INSERT INTO badge_requests (id, collective_id, atelier_id, badge_class_id, name, email, reflection, hash, state, message, credential_id, created_at, updated_at, facts)
            VALUES (@id, @collectiveId, @atelierId, @badgeClassId, @name, @email, @reflection, @hash, @state, @message, @credentialId, @createdAt, @updatedAt, @facts)`, { ...r, facts: JSON.stringify(r.facts) });
          if (photo) await tx.run('INSERT INTO request_photos (request_id, id, jpeg) VALUES (?, ?, ?)', [r.id, photo.id, photo.jpeg]);
        });
      },
      async byHash(hash) { const r = await db.get(`${REQUESTS} WHERE r.hash = ?`, [hash]); return r && badgeRequest(r); },
      async byId(collectiveId, id) {
        const r = await db.get(`${REQUESTS} WHERE r.id = ? AND r.collective_id = ?`, [id, collectiveId]);
        return r && badgeRequest(r);
      },
      async forAtelier(collectiveId, atelierId) {
        return (await db.all(`${REQUESTS} WHERE r.collective_id = ? AND r.atelier_id = ? ORDER BY r.created_at`, [collectiveId, atelierId])).map(badgeRequest);
      },
      async photo(collectiveId, requestId) {
        const r = await db.get('SELECT p.jpeg FROM request_photos p JOIN badge_requests r ON r.id = p.request_id WHERE r.id = ? AND r.collective_id = ?', [requestId, collectiveId]);
        return r && (r.jpeg as Buffer);
      },
      async evidencePhoto(id) {
        const r = await db.get(`SELECT p.jpeg FROM request_photos p JOIN badge_requests r ON r.id = p.request_id JOIN credentials c ON c.id = r.credential_id
          WHERE p.id = ? AND r.state = 'accepted' AND c.erased_at IS NULL`, [id]);
        return r && (r.jpeg as Buffer);
      },
      async answer(id, from, change) {
        return db.transaction(async (tx) => {
          const moved = (await tx.run(`UPDATE badge_requests SET state = ?, message = ?, updated_at = ?, credential_id = coalesce(?, credential_id)
            WHERE id = ? AND state IN (${from.map(() => '?').join(', ')})`, [change.state, change.message, change.updatedAt, change.credentialId ?? null, id, ...from])) === 1;
          if (moved && change.state === 'declined') await tx.run('DELETE FROM request_photos WHERE request_id = ?', [id]);
          return moved;
        });
      },
      async rewrite(id, reflection, now) {
        return (await db.run('UPDATE badge_requests SET reflection = ?, state = \'pending\', updated_at = ? WHERE id = ? AND state = \'more\'', [reflection, now, id])) === 1;
      },
    },
  };
}
