// Issued badges and their status lists: the atomic primitives issuing orchestrates.
// Kept in SQL once for SQLite and PostgreSQL (store/sql/driver.ts); the store composes every feature's part.
import type { Store, ClaimLink } from '../store/index.js';
import { randomInt } from 'node:crypto';
import { setBit } from '../ob3/status.js';
import { newId } from '../store/ids.js';
import { isUniqueViolation, type SqlDriver, type SqlRunner } from '../store/sql/driver.js';
import { credential, issuedBadge, statusList } from '../store/sql/rows.js';

/** `revocation` is for good; `suspension` can be lifted. */
export type StatusPurpose = 'revocation' | 'suspension';

export type CredentialState = 'active' | 'revoked' | 'suspended';

export interface StatusList {
  id: string;
  collectiveId: string;
  /** Numbered per collective, whatever the purpose: `/status/<slug>/<number>`. */
  number: number;
  purpose: StatusPurpose;
  size: number;
  bits: Buffer;
  /** The signed list credential, cached until the bits change. */
  signedJson: string | null;
  updatedAt: string;
}

export interface CredentialRecord {
  id: string;
  collectiveId: string;
  badgeClassId: string;
  versionId: string;
  atelierId: string | null;
  participantId: string | null;
  recipientName: string;
  /** The Data Integrity form; null once the holder's data was erased. */
  json: string | null;
  jwt: string | null;
  statusListId: string;
  statusIndex: number;
  issuedAt: string;
  issuedBy: string;
  erasedAt: string | null;
  status: CredentialState;
  /** Why it was revoked or suspended: for the collective only, never published. */
  statusReason: string | null;
  statusChangedAt: string | null;
  /** Set when a renewal replaced `json`/`jwt` (same id, newer validFrom: OB 3.0 §10). */
  renewedAt: string | null;
  /** What the holder lets the public page show of her. */
  display: PublicDisplay;
  /** The batch that issued it, if any (a resumed batch skips those it already issued). */
  batchId: string | null;
  /** Whether the person picked it up: first opened her claim page, added it to a wallet, shared it. */
  openedAt: string | null;
  walletAt: string | null;
  sharedAt: string | null;
}

/** What the person did with her badge, recorded once each (the first time). */
export type Pickup = 'opened' | 'wallet' | 'shared';

/** The holder's choice: her name on the public page, only her initials, or no public page at all. */
export type PublicDisplay = 'name' | 'initials' | 'hidden';

export const PUBLIC_DISPLAYS: readonly PublicDisplay[] = ['name', 'initials', 'hidden'];

export interface CredentialRepository {
  /**
   * Saves a signed credential, its status index and its claim link in one transaction: all of it
   * exists, or none. Undefined when another app instance took that index meanwhile (reserve again).
   */
  insert(record: SignedCredential, claimLink: Omit<ClaimLink, 'credentialId'>): Promise<CredentialRecord | undefined>;
  /** Sets the credential's state and its bit on its status list together (the list's signed copy is dropped). */
  setStatus(id: string, state: CredentialState, reason: string | null, now: string): Promise<CredentialRecord>;
  /** Replaces the credential by a re-signed one with the same id (and the name it now carries); the old forms are kept aside. */
  supersede(id: string, json: string, jwt: string, now: string, recipientName?: string): Promise<CredentialRecord>;
  byId(id: string): Promise<CredentialRecord | undefined>;
  /** The last badge issued on this instance that is not erased (to warm the verifier at start). */
  newest(): Promise<CredentialRecord | undefined>;
  forParticipant(participantId: string, badgeClassId: string): Promise<CredentialRecord | undefined>;
  forAtelier(collectiveId: string, atelierId: string): Promise<CredentialRecord[]>;
  /** Badges not erased whose participant has this email, in every collective. */
  forEmail(email: string): Promise<CredentialRecord[]>;
  count(collectiveId: string): Promise<number>;
  /** The collective's badges, newest first, with their badge's name and atelier's title. */
  listIssued(collectiveId: string, filter: IssuedBadgeFilter): Promise<IssuedBadge[]>;
  /** The participants a batch has issued to so far. */
  participantsOfBatch(batchId: string): Promise<string[]>;
  /**
   * The active badges of one person in a collective, across its ateliers: by her email when she gave
   * one, else by her name among people without an email.
   */
  forPerson(collectiveId: string, email: string, name: string): Promise<CredentialRecord[]>;
  /** The badges a batch issued, oldest first. */
  forBatch(collectiveId: string, batchId: string): Promise<CredentialRecord[]>;
  /** The collective's badges signed (issued or renewed) at or after `since`, revoked ones aside. */
  signedSince(collectiveId: string, since: string): Promise<CredentialRecord[]>;
  setDisplay(id: string, display: PublicDisplay): Promise<void>;
  /** The first time the person opened, added to a wallet or shared the badge (later times change nothing). */
  recordPickup(id: string, pickup: Pickup, now: string): Promise<void>;
  /** Deletes a badge's personal data (a badge issued without a participant); it stays verifiable. */
  erase(id: string, now: string): Promise<void>;
}

/** A line of a collective's list of issued badges: no signed copies, since the list can be long. */
export interface IssuedBadge {
  id: string;
  /** '' once erased. */
  recipientName: string;
  badgeClassId: string;
  /** The name of the version it was issued with. */
  badgeName: string;
  validityDays: number | null;
  /** Null for a badge issued through the API. */
  atelierId: string | null;
  atelierTitle: string | null;
  issuedAt: string;
  renewedAt: string | null;
  status: CredentialState;
  erasedAt: string | null;
}

export interface IssuedBadgeFilter {
  badgeClassId?: string;
  status?: CredentialState;
  source?: 'atelier' | 'api';
}

/** What issuing provides before signing; the store adds the initial state. */
export type NewCredential = Omit<CredentialRecord, 'statusListId' | 'statusIndex' | 'status' | 'statusReason' | 'statusChangedAt' | 'renewedAt' | 'display' | 'openedAt' | 'walletAt' | 'sharedAt'>;

/** A credential signed with its status entry, ready to save. */
export type SignedCredential = NewCredential & Pick<CredentialRecord, 'statusListId' | 'statusIndex'> & { json: string; jwt: string };

/** How a collective's status lists are cut: entries per list, and the share used before a new one opens. */
export interface StatusListPolicy {
  size: number;
  fillLimit: number;
}

/** A status index held for one issuance until it is saved or given up (`release`). */
export interface StatusReservation {
  list: StatusList;
  index: number;
  release(): void;
}

export interface StatusListRepository {
  /**
   * A random free index on the collective's newest list of that purpose with room (a new list when
   * it is full by the policy); held in this process until released, so concurrent issuances differ.
   */
  reserve(collectiveId: string, purpose: StatusPurpose, now: string, policy: StatusListPolicy): Promise<StatusReservation>;
  byId(id: string): Promise<StatusList | undefined>;
  byNumber(collectiveId: string, number: number): Promise<StatusList | undefined>;
  saveSigned(id: string, signedJson: string): Promise<void>;
  /** Drops the signed copies of a collective's lists, so they are signed again with its current key. */
  dropSigned(collectiveId: string): Promise<void>;
}

/**
 * Deletes what names the person: the signed forms, her name, links, offers and wallet records.
 * The status index stays reserved and unrevoked, so copies she holds still verify. In a transaction.
 */
export async function eraseCredential(tx: SqlRunner, id: string, now: string): Promise<void> {
  for (const table of ['claim_links', 'superseded_credentials', 'wallet_offers', 'wallet_deliveries']) {
    await tx.run(`DELETE FROM ${table} WHERE credential_id = ?`, [id]);
  }
  await tx.run(`UPDATE credentials SET json = NULL, jwt = NULL, recipient_name = '', participant_id = NULL, erased_at = ?
    WHERE id = ? AND erased_at IS NULL`, [now, id]);
}

/**
 * Takes a status entry for what is being saved in this transaction (a badge or an endorsement: both
 * use a collective's lists), first: the database refuses an index already taken, by either, from any
 * instance (`isEntryTaken`). The list's count moves with it. Entries are never given back (an erased
 * badge keeps its index), so the count only grows.
 */
export async function takeEntry(tx: SqlRunner, statusListId: string, statusIndex: number): Promise<void> {
  await tx.run('INSERT INTO status_entries (status_list_id, status_index) VALUES (?, ?)', [statusListId, statusIndex]);
  await tx.run('UPDATE status_lists SET used = used + 1 WHERE id = ?', [statusListId]);
}

/** Whether `takeEntry` failed because another instance took that index between reservation and save. */
export const isEntryTaken = (error: unknown): boolean => isUniqueViolation(error, 'status_entries');

export function credentialsSql(db: SqlDriver): Pick<Store, 'credentials' | 'statusLists'> {
  return {
    credentials: { ...credentialWrites(db), ...credentialQueries(db) },
    statusLists: statusListsSql(db),
  };
}

type Credentials = Store['credentials'];
type WriteMethods = 'insert' | 'setStatus' | 'supersede' | 'setDisplay' | 'recordPickup' | 'erase';

function statusListsSql(db: SqlDriver): Store['statusLists'] {
  /** Indexes handed out but not yet saved (signing is async), so two issuances here never pick the same one. */
  const pending = new Set<string>();

  async function reserveIndex(collectiveId: string, purpose: StatusPurpose, now: string, policy: StatusListPolicy): Promise<StatusReservation> {
    for (;;) {
      try {
        return await db.transaction(async (tx) => {
          // The last number first: on PostgreSQL each statement sees what was committed before it, so a
          // list another instance opens meanwhile is seen by the next statement, not skipped over.
          const last = (await tx.get('SELECT max(number) AS n FROM status_lists WHERE collective_id = ?', [collectiveId]))!.n as number | null;
          // `used` counts the list's entries, badges' and endorsements': see `takeEntry`.
          let row = await tx.get('SELECT * FROM status_lists WHERE collective_id = ? AND purpose = ? ORDER BY number DESC LIMIT 1', [collectiveId, purpose]);
          if (!row || (row.used as number) + pending.size >= (row.size as number) * policy.fillLimit) {
            const id = newId();
            await tx.run(`INSERT INTO status_lists (id, collective_id, number, purpose, size, bits, signed_json, updated_at)
              VALUES (?, ?, ?, ?, ?, ?, NULL, ?)`, [id, collectiveId, (last ?? 0) + 1, purpose, policy.size, Buffer.alloc(policy.size / 8), now]);
            row = (await tx.get('SELECT * FROM status_lists WHERE id = ?', [id]))!;
          }
          const list = statusList(row);
          for (;;) {
            const index = randomInt(list.size);
            const key = `${list.id}:${index}`;
            const taken = await tx.get('SELECT 1 FROM status_entries WHERE status_list_id = ? AND status_index = ?', [list.id, index]);
            if (!pending.has(key) && !taken) {
              pending.add(key);
              return { list, index, release: () => { pending.delete(key); } };
            }
          }
        });
      } catch (error) {
        // Another instance opened the next list at the same moment: use theirs.
        if (!isUniqueViolation(error, 'number')) throw error;
      }
    }
  }

  return {
    reserve: reserveIndex,
    async byId(id) { const r = await db.get('SELECT * FROM status_lists WHERE id = ?', [id]); return r && statusList(r); },
    async byNumber(collectiveId, number) {
      const r = await db.get('SELECT * FROM status_lists WHERE collective_id = ? AND number = ?', [collectiveId, number]);
      return r && statusList(r);
    },
    async saveSigned(id, signedJson) { await db.run('UPDATE status_lists SET signed_json = ? WHERE id = ?', [signedJson, id]); },
    async dropSigned(collectiveId) { await db.run('UPDATE status_lists SET signed_json = NULL WHERE collective_id = ?', [collectiveId]); },
  };
}

const credentialById = async (tx: SqlRunner, id: string) => credential((await tx.get('SELECT * FROM credentials WHERE id = ?', [id]))!);

function credentialWrites(db: SqlDriver): Pick<Credentials, WriteMethods> {
  return {
    async insert(record, link) {
      const saved: CredentialRecord = { ...record, status: 'active', statusReason: null, statusChangedAt: null, renewedAt: null, display: 'name', openedAt: null, walletAt: null, sharedAt: null };
      try {
        await db.transaction(async (tx) => {
          await takeEntry(tx, record.statusListId, record.statusIndex);
          await tx.run(`INSERT INTO credentials (id, collective_id, badge_class_id, version_id, atelier_id,
            participant_id, recipient_name, json, jwt, status_list_id, status_index, issued_at, issued_by, erased_at, job_id)
            VALUES (@id, @collectiveId, @badgeClassId, @versionId, @atelierId, @participantId, @recipientName, @json, @jwt,
            @statusListId, @statusIndex, @issuedAt, @issuedBy, @erasedAt, @batchId)`, { ...saved });
          await tx.run('INSERT INTO claim_links (credential_id, hash, created_at, expires_at, tx_code_hash, code_hash) VALUES (?, ?, ?, ?, ?, ?)',
            [record.id, link.hash, link.createdAt, link.expiresAt, link.txCodeHash, link.codeHash]);
        });
        return saved;
      } catch (error) {
        if (isEntryTaken(error)) return undefined;
        throw error;
      }
    },
    async setStatus(id, state, reason, now) {
      return db.transaction(async (tx) => {
        const r = await tx.get('SELECT * FROM credentials WHERE id = ?', [id]);
        if (!r) throw new Error(`no credential ${id}`);
        // Locked: two instances flipping bits of one list must not overwrite each other's.
        const list = statusList((await tx.get(`SELECT * FROM status_lists WHERE id = ?${db.forUpdate}`, [r.status_list_id]))!);
        const bits = Buffer.from(list.bits);
        setBit(bits, r.status_index as number, state !== 'active');
        await tx.run('UPDATE status_lists SET bits = ?, signed_json = NULL, updated_at = ? WHERE id = ?', [bits, now, list.id]);
        await tx.run('UPDATE credentials SET status = ?, status_reason = ?, status_changed_at = ? WHERE id = ?', [state, reason, now, id]);
        return credentialById(tx, id);
      });
    },
    async supersede(id, json, jwt, now, recipientName) {
      return db.transaction(async (tx) => {
        await tx.run(`INSERT INTO superseded_credentials (credential_id, json, jwt, superseded_at)
          SELECT id, json, jwt, CAST(? AS TEXT) FROM credentials WHERE id = ?`, [now, id]);
        await tx.run('UPDATE credentials SET json = ?, jwt = ?, renewed_at = ? WHERE id = ?', [json, jwt, now, id]);
        if (recipientName !== undefined) await tx.run('UPDATE credentials SET recipient_name = ? WHERE id = ?', [recipientName, id]);
        return credentialById(tx, id);
      });
    },
    async setDisplay(id, display) { await db.run('UPDATE credentials SET display = ? WHERE id = ?', [display, id]); },
    async recordPickup(id, pickup, now) {
      const column = { opened: 'opened_at', wallet: 'wallet_at', shared: 'shared_at' }[pickup];
      await db.run(`UPDATE credentials SET ${column} = ? WHERE id = ? AND ${column} IS NULL`, [now, id]);
    },
    async erase(id, now) { await db.transaction((tx) => eraseCredential(tx, id, now)); await db.forget(); },
  };
}

function credentialQueries(db: SqlDriver): Omit<Credentials, WriteMethods> {
  return {
    async byId(id) { const r = await db.get('SELECT * FROM credentials WHERE id = ?', [id]); return r && credential(r); },
    async newest() {
      const r = await db.get('SELECT * FROM credentials WHERE erased_at IS NULL ORDER BY issued_at DESC LIMIT 1');
      return r && credential(r);
    },
    async forParticipant(participantId, badgeClassId) {
      const r = await db.get('SELECT * FROM credentials WHERE participant_id = ? AND badge_class_id = ? ORDER BY issued_at DESC LIMIT 1',
        [participantId, badgeClassId]);
      return r && credential(r);
    },
    async forAtelier(collectiveId, atelierId) {
      return (await db.all('SELECT * FROM credentials WHERE collective_id = ? AND atelier_id = ? ORDER BY issued_at', [collectiveId, atelierId])).map(credential);
    },
    async forEmail(email) {
      return (await db.all(`SELECT c.* FROM credentials c JOIN participants p ON p.id = c.participant_id
        WHERE lower(p.email) = lower(?) AND c.erased_at IS NULL ORDER BY c.issued_at DESC`, [email.trim()])).map(credential);
    },
    async count(collectiveId) {
      return (await db.get('SELECT CAST(count(*) AS INTEGER) AS n FROM credentials WHERE collective_id = ?', [collectiveId]))!.n as number;
    },
    async listIssued(collectiveId, filter) {
      const where = ['c.collective_id = ?'];
      const params: unknown[] = [collectiveId];
      if (filter.badgeClassId) { where.push('c.badge_class_id = ?'); params.push(filter.badgeClassId); }
      if (filter.status) { where.push('c.status = ?'); params.push(filter.status); }
      if (filter.source) where.push(`c.atelier_id IS ${filter.source === 'api' ? '' : 'NOT '}NULL`);
      return (await db.all(`SELECT c.id, c.recipient_name, c.badge_class_id, v.name AS badge_name, v.validity_days, c.atelier_id,
        a.title AS atelier_title, c.issued_at, c.renewed_at, c.status, c.erased_at
        FROM credentials c JOIN achievement_versions v ON v.id = c.version_id LEFT JOIN ateliers a ON a.id = c.atelier_id
        WHERE ${where.join(' AND ')} ORDER BY c.issued_at DESC, c.id`, params)).map(issuedBadge);
    },
    async forPerson(collectiveId, email, name) {
      const who = email ? 'lower(p.email) = lower(?)' : "p.email = '' AND lower(p.name) = lower(?)";
      return (await db.all(`SELECT c.* FROM credentials c JOIN participants p ON p.id = c.participant_id
      WHERE c.collective_id = ? AND c.status = 'active' AND c.erased_at IS NULL AND ${who} ORDER BY c.issued_at`, [collectiveId, email || name])).map(credential);
    },
    async forBatch(collectiveId, batchId) {
      return (await db.all('SELECT * FROM credentials WHERE collective_id = ? AND job_id = ? ORDER BY issued_at', [collectiveId, batchId])).map(credential);
    },
    async participantsOfBatch(batchId) {
      return (await db.all('SELECT participant_id FROM credentials WHERE job_id = ? AND participant_id IS NOT NULL', [batchId]))
        .map((r) => r.participant_id as string);
    },
    async signedSince(collectiveId, since) {
      return (await db.all(`SELECT * FROM credentials WHERE collective_id = ? AND status <> 'revoked'
        AND (issued_at >= ? OR renewed_at >= ?) ORDER BY issued_at`, [collectiveId, since, since])).map(credential);
    },
  };
}
