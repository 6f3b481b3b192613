// Endorsements and the links that invite partners. Kept in SQL once for SQLite and PostgreSQL
// (store/sql/driver.ts); the store composes every feature's part.
import type { Store } from '../store/index.js';
import { setBit } from '../ob3/status.js';
import type { SqlDriver } from '../store/sql/driver.js';
import type { Row } from '../store/sql/driver.js';
import { statusList } from '../store/sql/rows.js';
import { isEntryTaken, takeEntry } from '../credentials/repository.js';

/**
 * What an endorsement recognises: a badge class as written (one Achievement version), a collective
 * (its Profile), or one person's badge (the credential), which she may accept to show.
 */
export type EndorsementSubjectKind = 'achievement' | 'profile' | 'credential';

/** A signed OB 3.0 EndorsementCredential, with its index on the endorser's revocation list. */
export interface Endorsement {
  id: string;
  endorserId: string;
  subjectKind: EndorsementSubjectKind;
  /** The Achievement version id, or the endorsed collective's id. */
  subjectId: string;
  comment: string;
  json: string;
  statusListId: string;
  statusIndex: number;
  createdAt: string;
  withdrawnAt: string | null;
  /** For an endorsement of one person's badge: when she chose to show it. */
  acceptedAt: string | null;
}

export interface EndorsementRepository {
  /** False when another instance took the status index meanwhile (reserve another). */
  insert(endorsement: Endorsement): Promise<boolean>;
  byId(id: string): Promise<Endorsement | undefined>;
  /** Endorsements of a subject, withdrawn ones included, oldest first. */
  forSubject(subjectId: string): Promise<Endorsement[]>;
  byEndorser(endorserId: string): Promise<Endorsement[]>;
  /** Sets its bit on the endorser's list and marks it withdrawn, in one transaction; false if it was already. */
  withdraw(endorserId: string, id: string, now: string): Promise<boolean>;
  /** The holder of the endorsed badge shows it; false unless it is about `subjectId` and not yet accepted. */
  accept(id: string, subjectId: string, now: string): Promise<boolean>;
}

/** A link by which a collective invites a partner organisation; only its hash is kept. */
export interface PartnerInvitation {
  id: string;
  collectiveId: string;
  name: string;
  email: string;
  hash: string;
  invitedBy: string;
  createdAt: string;
  expiresAt: string;
  /** The partner it became, once accepted. */
  partnerId: string | null;
}

export interface PartnerInvitationRepository {
  create(invitation: PartnerInvitation): Promise<void>;
  /** A link not used and not expired, by the hash of its secret. */
  live(hash: string, now: string): Promise<PartnerInvitation | undefined>;
  /** Marks it used by `partnerId`; false if it was used meanwhile (a second tab, a second click). */
  use(id: string, partnerId: string): Promise<boolean>;
  forCollective(collectiveId: string): Promise<PartnerInvitation[]>;
}

const endorsement = (r: Row): Endorsement => ({
  id: r.id as string, endorserId: r.endorser_id as string, subjectKind: r.subject_kind as EndorsementSubjectKind,
  subjectId: r.subject_id as string, comment: r.comment as string, json: r.json as string,
  statusListId: r.status_list_id as string, statusIndex: r.status_index as number,
  createdAt: r.created_at as string, withdrawnAt: (r.withdrawn_at as string | null) ?? null,
  acceptedAt: (r.accepted_at as string | null) ?? null,
});

const partnerInvitation = (r: Row): PartnerInvitation => ({
  id: r.id as string, collectiveId: r.collective_id as string, name: r.name as string, email: r.email as string,
  hash: r.hash as string, invitedBy: r.invited_by as string, createdAt: r.created_at as string,
  expiresAt: r.expires_at as string, partnerId: (r.partner_id as string | null) ?? null,
});

export function endorsementsSql(db: SqlDriver): Pick<Store, 'endorsements' | 'partnerInvitations'> {
  return { endorsements: endorsementsTable(db), partnerInvitations: partnerInvitationsTable(db) };
}

function endorsementsTable(db: SqlDriver): Store['endorsements'] {
  return {
    async insert(e) {
      try {
        await db.transaction(async (tx) => {
          await takeEntry(tx, e.statusListId, e.statusIndex);
          await tx.run(`INSERT INTO endorsements (id, endorser_id, subject_kind, subject_id, comment, json, status_list_id, status_index, created_at, withdrawn_at, accepted_at)
            VALUES (@id, @endorserId, @subjectKind, @subjectId, @comment, @json, @statusListId, @statusIndex, @createdAt, @withdrawnAt, @acceptedAt)`, { ...e });
        });
        return true;
      } catch (error) {
        if (isEntryTaken(error)) return false;
        throw error;
      }
    },
    async byId(id) { const r = await db.get('SELECT * FROM endorsements WHERE id = ?', [id]); return r && endorsement(r); },
    async accept(id, subjectId, now) {
      return (await db.run('UPDATE endorsements SET accepted_at = ? WHERE id = ? AND subject_id = ? AND subject_kind = \'credential\' AND accepted_at IS NULL', [now, id, subjectId])) === 1;
    },
    async forSubject(subjectId) { return (await db.all('SELECT * FROM endorsements WHERE subject_id = ? ORDER BY created_at', [subjectId])).map(endorsement); },
    async byEndorser(endorserId) { return (await db.all('SELECT * FROM endorsements WHERE endorser_id = ? ORDER BY created_at DESC', [endorserId])).map(endorsement); },
    async withdraw(endorserId, id, now) {
      return db.transaction(async (tx) => {
        const r = await tx.get('SELECT * FROM endorsements WHERE id = ? AND endorser_id = ? AND withdrawn_at IS NULL', [id, endorserId]);
        if (!r) return false;
        // Locked, as when a badge is revoked: two instances flipping bits of one list must not overwrite each other's.
        const list = statusList((await tx.get(`SELECT * FROM status_lists WHERE id = ?${db.forUpdate}`, [r.status_list_id]))!);
        const bits = Buffer.from(list.bits);
        setBit(bits, r.status_index as number, true);
        await tx.run('UPDATE status_lists SET bits = ?, signed_json = NULL, updated_at = ? WHERE id = ?', [bits, now, list.id]);
        await tx.run('UPDATE endorsements SET withdrawn_at = ? WHERE id = ?', [now, id]);
        return true;
      });
    },
  };
}

function partnerInvitationsTable(db: SqlDriver): Store['partnerInvitations'] {
  return {
    async create(i) {
      await db.run(`INSERT INTO partner_invitations (id, collective_id, name, email, hash, invited_by, created_at, expires_at, partner_id)
        VALUES (@id, @collectiveId, @name, @email, @hash, @invitedBy, @createdAt, @expiresAt, @partnerId)`, { ...i });
    },
    async live(hash, now) {
      const r = await db.get('SELECT * FROM partner_invitations WHERE hash = ? AND expires_at > ? AND partner_id IS NULL', [hash, now]);
      return r && partnerInvitation(r);
    },
    async use(id, partnerId) {
      return (await db.run('UPDATE partner_invitations SET partner_id = ? WHERE id = ? AND partner_id IS NULL', [partnerId, id])) === 1;
    },
    async forCollective(collectiveId) {
      return (await db.all('SELECT * FROM partner_invitations WHERE collective_id = ? ORDER BY created_at DESC', [collectiveId])).map(partnerInvitation);
    },
  };
}
