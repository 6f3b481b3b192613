// The embedded store: one SQLite file (better-sqlite3, WAL), migrations applied on open.
// better-sqlite3 is synchronous; the async interface is what lets PostgreSQL follow.
import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { randomInt } from 'node:crypto';
import Database from 'better-sqlite3';
import type {
  Account, AchievementVersion, ApiToken, Atelier, ClaimLink, BadgeClass, Collective, CredentialRecord, CredentialState, JobRecord,
  MailRecord, Participant, PublicDisplay, Role, Store, StatusList, StatusPurpose, WalletDelivery, WalletFormat, WalletOffer,
} from '../index.js';
import { newId } from '../ids.js';
import { MIGRATIONS } from './migrations.js';

type Row = Record<string, unknown>;

/** Entries per status list (Bitstring Status List's minimum, for herd privacy). */
export const STATUS_LIST_SIZE = 131_072;
/** A list takes new credentials until this share of it is used, so random indexes stay cheap to find. */
const LIST_FILL_LIMIT = 0.5;

function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(`the database is at schema version ${current}, newer than this Badgeons (${MIGRATIONS.length})`);
  }
  for (let version = current; version < MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version]!);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}

const account = (r: Row): Account => ({
  id: r.id as string, email: r.email as string, name: r.name as string,
  passwordHash: (r.password_hash as string | null) ?? null, instanceAdmin: r.instance_admin === 1,
  createdAt: r.created_at as string,
});
const collective = (r: Row): Collective => ({
  id: r.id as string, slug: r.slug as string, name: r.name as string, description: r.description as string,
  url: r.url as string, email: r.email as string, town: r.town as string,
  logoPng: (r.logo_png as Buffer | null) ?? null, createdAt: r.created_at as string,
});
const version = (r: Row): AchievementVersion => ({
  id: r.id as string, badgeClassId: r.badge_class_id as string, collectiveId: r.collective_id as string,
  version: r.version as number, name: r.name as string, description: r.description as string,
  criteria: r.criteria as string, achievementType: r.achievement_type as string, tags: JSON.parse(r.tags as string),
  language: r.language as string, alignmentUrl: r.alignment_url as string, alignmentName: r.alignment_name as string,
  validityDays: (r.validity_days as number | null) ?? null, statusPurpose: r.status_purpose as StatusPurpose, imageAlt: r.image_alt as string,
  imagePng: r.image_png as Buffer, imageSvg: (r.image_svg as string | null) ?? null, createdAt: r.created_at as string,
});
const atelier = (r: Row): Atelier => ({
  id: r.id as string, collectiveId: r.collective_id as string, title: r.title as string, date: r.date as string,
  place: r.place as string, facilitators: r.facilitators as string,
  badgeClassIds: JSON.parse(r.badge_class_ids as string), createdAt: r.created_at as string,
});
const participant = (r: Row): Participant => ({
  id: r.id as string, atelierId: r.atelier_id as string, collectiveId: r.collective_id as string,
  name: r.name as string, email: r.email as string, consentAt: (r.consent_at as string | null) ?? null,
  createdAt: r.created_at as string,
});
const statusList = (r: Row): StatusList => ({
  id: r.id as string, collectiveId: r.collective_id as string, number: r.number as number,
  purpose: r.purpose as StatusPurpose, size: r.size as number,
  bits: r.bits as Buffer, signedJson: (r.signed_json as string | null) ?? null, updatedAt: r.updated_at as string,
});
const credential = (r: Row): CredentialRecord => ({
  id: r.id as string, collectiveId: r.collective_id as string, badgeClassId: r.badge_class_id as string,
  versionId: r.version_id as string, atelierId: (r.atelier_id as string | null) ?? null,
  participantId: (r.participant_id as string | null) ?? null, recipientName: r.recipient_name as string,
  json: (r.json as string | null) ?? null, jwt: (r.jwt as string | null) ?? null,
  statusListId: r.status_list_id as string, statusIndex: r.status_index as number, issuedAt: r.issued_at as string,
  issuedBy: r.issued_by as string, erasedAt: (r.erased_at as string | null) ?? null,
  status: r.status as CredentialState, statusReason: (r.status_reason as string | null) ?? null,
  statusChangedAt: (r.status_changed_at as string | null) ?? null, renewedAt: (r.renewed_at as string | null) ?? null,
  display: r.display as PublicDisplay,
});
const claimLink = (r: Row): ClaimLink => ({
  credentialId: r.credential_id as string, hash: r.hash as string, createdAt: r.created_at as string, expiresAt: r.expires_at as string,
  txCodeHash: (r.tx_code_hash as string | null) ?? null,
});
const walletOffer = (r: Row): WalletOffer => ({
  id: r.id as string, credentialId: r.credential_id as string, codeHash: r.code_hash as string,
  txCodeHash: (r.tx_code_hash as string | null) ?? null, failedCodes: r.failed_codes as number,
  createdAt: r.created_at as string, expiresAt: r.expires_at as string,
  tokenHash: (r.token_hash as string | null) ?? null, tokenExpiresAt: (r.token_expires_at as string | null) ?? null,
});
const walletDelivery = (r: Row): WalletDelivery => ({
  credentialId: r.credential_id as string, subjectDid: r.subject_did as string, format: r.format as WalletFormat, deliveredAt: r.delivered_at as string,
});
const mail = (r: Row): MailRecord => ({
  id: r.id as string, collectiveId: (r.collective_id as string | null) ?? null, recipient: r.recipient as string,
  subject: r.subject as string, kind: r.kind as MailRecord['kind'], file: (r.file as string | null) ?? null,
  error: (r.error as string | null) ?? null, createdAt: r.created_at as string,
});
const apiToken = (r: Row): ApiToken => ({
  id: r.id as string, collectiveId: r.collective_id as string, name: r.name as string, hash: r.hash as string,
  createdBy: r.created_by as string, createdAt: r.created_at as string,
  lastUsedAt: (r.last_used_at as string | null) ?? null, revokedAt: (r.revoked_at as string | null) ?? null,
});
const job = (r: Row): JobRecord => ({
  id: r.id as string, collectiveId: r.collective_id as string, atelierId: r.atelier_id as string,
  total: r.total as number, done: r.done as number, failed: r.failed as number,
  state: r.state as JobRecord['state'], errors: JSON.parse(r.errors as string), createdAt: r.created_at as string,
});

export function openSqliteStore(file: string): Store {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  // Owner-only from the start: SQLite gives its -wal and -shm files the database file's mode.
  closeSync(openSync(file, 'a', 0o600));
  chmodSync(file, 0o600);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);

  // Prepared once: statements are the hot path of public pages.
  const q = <T = Row>(sql: string) => db.prepare<unknown[], T>(sql);
  const credentialById = q('SELECT * FROM credentials WHERE id = ?');
  const versionById = q('SELECT * FROM achievement_versions WHERE id = ?');
  const collectiveById = q('SELECT * FROM collectives WHERE id = ?');
  const collectiveBySlug = q('SELECT * FROM collectives WHERE slug = ?');
  const indexUsed = q('SELECT 1 FROM credentials WHERE status_list_id = ? AND status_index = ?');
  const insertCredential = q(`INSERT INTO credentials (id, collective_id, badge_class_id, version_id, atelier_id,
    participant_id, recipient_name, json, jwt, status_list_id, status_index, issued_at, issued_by, erased_at)
    VALUES (@id, @collectiveId, @badgeClassId, @versionId, @atelierId, @participantId, @recipientName, @json, @jwt,
    @statusListId, @statusIndex, @issuedAt, @issuedBy, @erasedAt)`);
  // Achievement versions never change once written: keep the recent ones in memory (pictures included).
  const versions = new Map<string, AchievementVersion>();
  /** Indexes handed out but not yet saved (signing is async), so two issuances never pick the same one. */
  const pending = new Set<string>();

  const reserveIndex = db.transaction((collectiveId: string, purpose: StatusPurpose, now: string): { list: StatusList; index: number } => {
    let row = q(`SELECT l.*, (SELECT count(*) FROM credentials c WHERE c.status_list_id = l.id) AS used
      FROM status_lists l WHERE collective_id = ? AND purpose = ? ORDER BY number DESC LIMIT 1`).get(collectiveId, purpose);
    if (!row || (row.used as number) + pending.size >= (row.size as number) * LIST_FILL_LIMIT) {
      const last = q('SELECT max(number) AS n FROM status_lists WHERE collective_id = ?').get(collectiveId)!.n as number | null;
      const id = newId();
      q(`INSERT INTO status_lists (id, collective_id, number, purpose, size, bits, signed_json, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, NULL, ?)`).run(id, collectiveId, (last ?? 0) + 1, purpose, STATUS_LIST_SIZE, Buffer.alloc(STATUS_LIST_SIZE / 8), now);
      row = q('SELECT * FROM status_lists WHERE id = ?').get(id)!;
    }
    const list = statusList(row);
    for (;;) {
      const index = randomInt(list.size);
      const key = `${list.id}:${index}`;
      if (!pending.has(key) && !indexUsed.get(list.id, index)) {
        pending.add(key);
        return { list, index };
      }
    }
  });

  return {
    accounts: {
      async count() { return (q('SELECT count(*) AS n FROM accounts').get()!.n as number); },
      async create(a) {
        q(`INSERT INTO accounts (id, email, name, password_hash, instance_admin, created_at) VALUES (?, ?, ?, ?, ?, ?)`)
          .run(a.id, a.email, a.name, a.passwordHash, a.instanceAdmin ? 1 : 0, a.createdAt);
      },
      async byId(id) { const r = q('SELECT * FROM accounts WHERE id = ?').get(id); return r && account(r); },
      async byEmail(email) { const r = q('SELECT * FROM accounts WHERE email = ?').get(email); return r && account(r); },
      async setPassword(id, hash) { q('UPDATE accounts SET password_hash = ? WHERE id = ?').run(hash, id); },
      async memberships(accountId) {
        return q(`SELECT m.*, c.slug, c.name FROM memberships m JOIN collectives c ON c.id = m.collective_id
          WHERE m.account_id = ? ORDER BY c.name`).all(accountId).map((r) => ({
          accountId: r.account_id as string, collectiveId: r.collective_id as string, role: r.role as Role,
          slug: r.slug as string, name: r.name as string,
        }));
      },
      async members(collectiveId) {
        return q(`SELECT a.*, m.role FROM memberships m JOIN accounts a ON a.id = m.account_id
          WHERE m.collective_id = ? ORDER BY a.name`).all(collectiveId).map((r) => ({ ...account(r), role: r.role as Role }));
      },
      async setMembership(m) {
        q(`INSERT INTO memberships (account_id, collective_id, role) VALUES (?, ?, ?)
          ON CONFLICT (account_id, collective_id) DO UPDATE SET role = excluded.role`).run(m.accountId, m.collectiveId, m.role);
      },
      async removeMembership(accountId, collectiveId) {
        q('DELETE FROM memberships WHERE account_id = ? AND collective_id = ?').run(accountId, collectiveId);
      },
    },
    sessions: {
      async create(s) { q('INSERT INTO sessions (id, account_id, expires_at) VALUES (?, ?, ?)').run(s.id, s.accountId, s.expiresAt); },
      async get(id, now) {
        const r = q('SELECT * FROM sessions WHERE id = ? AND expires_at > ?').get(id, now);
        return r && { id: r.id as string, accountId: r.account_id as string, expiresAt: r.expires_at as string };
      },
      async delete(id) { q('DELETE FROM sessions WHERE id = ?').run(id); },
      async deleteForAccount(accountId) { q('DELETE FROM sessions WHERE account_id = ?').run(accountId); },
    },
    tokens: {
      async create(t) {
        q('INSERT INTO tokens (hash, purpose, account_id, expires_at, used_at) VALUES (?, ?, ?, ?, NULL)')
          .run(t.hash, t.purpose, t.accountId, t.expiresAt);
      },
      async peek(hash, purpose, now) {
        const r = q('SELECT * FROM tokens WHERE hash = ? AND purpose = ? AND used_at IS NULL AND expires_at > ?').get(hash, purpose, now);
        return r && {
          hash: r.hash as string, purpose, accountId: (r.account_id as string | null) ?? null,
          expiresAt: r.expires_at as string, usedAt: null,
        };
      },
      async consume(hash, purpose, now) {
        const token = await this.peek(hash, purpose, now);
        if (!token) return undefined;
        const { changes } = q('UPDATE tokens SET used_at = ? WHERE hash = ? AND used_at IS NULL').run(now, hash);
        return changes === 1 ? { ...token, usedAt: now } : undefined;
      },
    },
    collectives: {
      async create(c) {
        q(`INSERT INTO collectives (id, slug, name, description, url, email, town, logo_png, created_at)
          VALUES (@id, @slug, @name, @description, @url, @email, @town, @logoPng, @createdAt)`).run(c);
      },
      async update(c) {
        q(`UPDATE collectives SET name = @name, description = @description, url = @url, email = @email,
          town = @town, logo_png = @logoPng WHERE id = @id`).run(c);
      },
      async bySlug(slug) { const r = collectiveBySlug.get(slug); return r && collective(r); },
      async byId(id) { const r = collectiveById.get(id); return r && collective(r); },
      async list() { return q('SELECT * FROM collectives ORDER BY name').all().map(collective); },
    },
    achievements: {
      async create(badgeClass: BadgeClass, v: AchievementVersion) {
        db.transaction(() => {
          q('INSERT INTO badge_classes (id, collective_id, current_version_id, created_at) VALUES (?, ?, ?, ?)')
            .run(badgeClass.id, badgeClass.collectiveId, v.id, badgeClass.createdAt);
          insertVersion(v);
        })();
      },
      async addVersion(v) {
        db.transaction(() => {
          insertVersion(v);
          q('UPDATE badge_classes SET current_version_id = ? WHERE id = ? AND collective_id = ?')
            .run(v.id, v.badgeClassId, v.collectiveId);
        })();
      },
      async classById(collectiveId, id) {
        const r = q('SELECT * FROM badge_classes WHERE id = ? AND collective_id = ?').get(id, collectiveId);
        return r && {
          id: r.id as string, collectiveId: r.collective_id as string,
          currentVersionId: r.current_version_id as string, createdAt: r.created_at as string,
        };
      },
      async current(collectiveId) {
        return q(`SELECT v.* FROM badge_classes b JOIN achievement_versions v ON v.id = b.current_version_id
          WHERE b.collective_id = ? ORDER BY v.name`).all(collectiveId).map(version);
      },
      async version(id) {
        let v = versions.get(id);
        if (!v) {
          const r = versionById.get(id);
          if (!r) return undefined;
          v = version(r);
          if (versions.size >= 256) versions.delete(versions.keys().next().value!);
          versions.set(id, v);
        }
        return v;
      },
    },
    ateliers: {
      async create(a) {
        q(`INSERT INTO ateliers (id, collective_id, title, date, place, facilitators, badge_class_ids, created_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?)`).run(a.id, a.collectiveId, a.title, a.date, a.place, a.facilitators,
          JSON.stringify(a.badgeClassIds), a.createdAt);
      },
      async update(a) {
        q(`UPDATE ateliers SET title = ?, date = ?, place = ?, facilitators = ?, badge_class_ids = ?
          WHERE id = ? AND collective_id = ?`).run(a.title, a.date, a.place, a.facilitators,
          JSON.stringify(a.badgeClassIds), a.id, a.collectiveId);
      },
      async byId(collectiveId, id) {
        const r = q('SELECT * FROM ateliers WHERE id = ? AND collective_id = ?').get(id, collectiveId);
        return r && atelier(r);
      },
      async list(collectiveId) {
        return q('SELECT * FROM ateliers WHERE collective_id = ? ORDER BY date DESC, created_at DESC').all(collectiveId).map(atelier);
      },
      async addParticipants(list: Participant[]) {
        const insert = q(`INSERT INTO participants (id, atelier_id, collective_id, name, email, consent_at, created_at)
          VALUES (@id, @atelierId, @collectiveId, @name, @email, @consentAt, @createdAt)`);
        db.transaction(() => { for (const p of list) insert.run(p); })();
      },
      async participants(collectiveId, atelierId) {
        return q('SELECT * FROM participants WHERE collective_id = ? AND atelier_id = ? ORDER BY name COLLATE NOCASE')
          .all(collectiveId, atelierId).map(participant);
      },
      async participant(collectiveId, id) {
        const r = q('SELECT * FROM participants WHERE id = ? AND collective_id = ?').get(id, collectiveId);
        return r && participant(r);
      },
      async setConsent(collectiveId, id, at) {
        q('UPDATE participants SET consent_at = ? WHERE id = ? AND collective_id = ?').run(at, id, collectiveId);
      },
      async eraseParticipant(collectiveId, id, now) {
        db.transaction(() => {
          const ids = q('SELECT id FROM credentials WHERE participant_id = ? AND collective_id = ?').all(id, collectiveId);
          for (const r of ids) eraseCredential(r.id as string, now);
          q('DELETE FROM participants WHERE id = ? AND collective_id = ?').run(id, collectiveId);
        })();
      },
    },
    credentials: {
      async insert(record, purpose, build) {
        for (;;) {
          const { list, index } = reserveIndex(record.collectiveId, purpose, record.issuedAt);
          const key = `${list.id}:${index}`;
          try {
            const { json, jwt } = await build(list, index);
            const saved: CredentialRecord = {
              ...record, json, jwt, statusListId: list.id, statusIndex: index,
              status: 'active', statusReason: null, statusChangedAt: null, renewedAt: null, display: 'name',
            };
            insertCredential.run(saved);
            return saved;
          } catch (error) {
            // Another process took the index between reservation and insert: pick again.
            if ((error as { code?: string }).code !== 'SQLITE_CONSTRAINT_UNIQUE' || !String(error).includes('status_index')) throw error;
          } finally {
            pending.delete(key);
          }
        }
      },
      async byId(id) { const r = credentialById.get(id); return r && credential(r); },
      async setStatus(id, state, reason, now) {
        return db.transaction(() => {
          const r = credentialById.get(id);
          if (!r) throw new Error(`no credential ${id}`);
          const list = statusList(q('SELECT * FROM status_lists WHERE id = ?').get(r.status_list_id)!);
          const bits = Buffer.from(list.bits);
          const index = r.status_index as number;
          const mask = 0x80 >> (index & 7);
          bits[index >> 3] = state === 'active' ? bits[index >> 3]! & ~mask : bits[index >> 3]! | mask;
          q('UPDATE status_lists SET bits = ?, signed_json = NULL, updated_at = ? WHERE id = ?').run(bits, now, list.id);
          q('UPDATE credentials SET status = ?, status_reason = ?, status_changed_at = ? WHERE id = ?').run(state, reason, now, id);
          return credential(credentialById.get(id)!);
        })();
      },
      async supersede(id, json, jwt, now) {
        return db.transaction(() => {
          q(`INSERT INTO superseded_credentials (credential_id, json, jwt, superseded_at)
            SELECT id, json, jwt, ? FROM credentials WHERE id = ?`).run(now, id);
          q('UPDATE credentials SET json = ?, jwt = ?, renewed_at = ? WHERE id = ?').run(json, jwt, now, id);
          return credential(credentialById.get(id)!);
        })();
      },
      async forParticipant(participantId, badgeClassId) {
        const r = q('SELECT * FROM credentials WHERE participant_id = ? AND badge_class_id = ? ORDER BY issued_at DESC LIMIT 1')
          .get(participantId, badgeClassId);
        return r && credential(r);
      },
      async forAtelier(collectiveId, atelierId) {
        return q('SELECT * FROM credentials WHERE collective_id = ? AND atelier_id = ? ORDER BY issued_at')
          .all(collectiveId, atelierId).map(credential);
      },
      async forEmail(email) {
        return q(`SELECT c.* FROM credentials c JOIN participants p ON p.id = c.participant_id
          WHERE p.email = ? COLLATE NOCASE AND c.erased_at IS NULL ORDER BY c.issued_at DESC`).all(email.trim()).map(credential);
      },
      async count(collectiveId) {
        return q('SELECT count(*) AS n FROM credentials WHERE collective_id = ?').get(collectiveId)!.n as number;
      },
      async setDisplay(id, display) { q('UPDATE credentials SET display = ? WHERE id = ?').run(display, id); },
      async erase(id, now) { db.transaction(() => eraseCredential(id, now))(); },
    },
    statusLists: {
      async byId(id) { const r = q('SELECT * FROM status_lists WHERE id = ?').get(id); return r && statusList(r); },
      async byNumber(collectiveId, number) {
        const r = q('SELECT * FROM status_lists WHERE collective_id = ? AND number = ?').get(collectiveId, number);
        return r && statusList(r);
      },
      async saveSigned(id, signedJson) { q('UPDATE status_lists SET signed_json = ? WHERE id = ?').run(signedJson, id); },
    },
    jobs: {
      async create(j) {
        q(`INSERT INTO jobs (id, collective_id, atelier_id, total, done, failed, state, errors, created_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(j.id, j.collectiveId, j.atelierId, j.total, j.done, j.failed, j.state,
          JSON.stringify(j.errors), j.createdAt);
      },
      async update(j) {
        q('UPDATE jobs SET done = ?, failed = ?, state = ?, errors = ? WHERE id = ?')
          .run(j.done, j.failed, j.state, JSON.stringify(j.errors), j.id);
      },
      async byId(collectiveId, id) {
        const r = q('SELECT * FROM jobs WHERE id = ? AND collective_id = ?').get(id, collectiveId);
        return r && job(r);
      },
      async interruptRunning() {
        return q(`UPDATE jobs SET state = 'interrupted' WHERE state = 'running'`).run().changes;
      },
    },
    apiTokens: {
      async create(t) {
        q(`INSERT INTO api_tokens (id, collective_id, name, hash, created_by, created_at, last_used_at, revoked_at)
          VALUES (@id, @collectiveId, @name, @hash, @createdBy, @createdAt, @lastUsedAt, @revokedAt)`).run(t);
      },
      async byHash(hash) {
        const r = q('SELECT * FROM api_tokens WHERE hash = ? AND revoked_at IS NULL').get(hash);
        return r && apiToken(r);
      },
      async list(collectiveId) {
        return q('SELECT * FROM api_tokens WHERE collective_id = ? ORDER BY created_at DESC').all(collectiveId).map(apiToken);
      },
      async revoke(collectiveId, id, now) {
        return q('UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND collective_id = ? AND revoked_at IS NULL')
          .run(now, id, collectiveId).changes === 1;
      },
      async touch(id, now) { q('UPDATE api_tokens SET last_used_at = ? WHERE id = ?').run(now, id); },
    },
    claimLinks: {
      async put(l) {
        q(`INSERT INTO claim_links (credential_id, hash, created_at, expires_at, tx_code_hash)
          VALUES (@credentialId, @hash, @createdAt, @expiresAt, @txCodeHash)
          ON CONFLICT (credential_id) DO UPDATE SET hash = excluded.hash, created_at = excluded.created_at,
          expires_at = excluded.expires_at, tx_code_hash = excluded.tx_code_hash`).run(l);
      },
      async live(hash, now) {
        const r = q('SELECT * FROM claim_links WHERE hash = ? AND expires_at > ?').get(hash, now);
        return r && claimLink(r);
      },
      async forCredential(credentialId) {
        const r = q('SELECT * FROM claim_links WHERE credential_id = ?').get(credentialId);
        return r && claimLink(r);
      },
    },
    wallet: {
      async createOffer(o) {
        q(`INSERT INTO wallet_offers (id, credential_id, code_hash, tx_code_hash, failed_codes, created_at, expires_at, token_hash, token_expires_at)
          VALUES (@id, @credentialId, @codeHash, @txCodeHash, @failedCodes, @createdAt, @expiresAt, @tokenHash, @tokenExpiresAt)`).run(o);
      },
      async offer(id, now) {
        const r = q('SELECT * FROM wallet_offers WHERE id = ? AND expires_at > ? AND token_hash IS NULL').get(id, now);
        return r && walletOffer(r);
      },
      async offerByCode(codeHash, now) {
        const r = q('SELECT * FROM wallet_offers WHERE code_hash = ? AND expires_at > ? AND token_hash IS NULL').get(codeHash, now);
        return r && walletOffer(r);
      },
      async failCode(id) { q('UPDATE wallet_offers SET failed_codes = failed_codes + 1 WHERE id = ?').run(id); },
      async redeem(id, tokenHash, tokenExpiresAt) {
        return q('UPDATE wallet_offers SET token_hash = ?, token_expires_at = ? WHERE id = ? AND token_hash IS NULL')
          .run(tokenHash, tokenExpiresAt, id).changes === 1;
      },
      async offerByToken(tokenHash, now) {
        const r = q('SELECT * FROM wallet_offers WHERE token_hash = ? AND token_expires_at > ?').get(tokenHash, now);
        return r && walletOffer(r);
      },
      async addNonce(hash, expiresAt, now) {
        q('DELETE FROM wallet_nonces WHERE expires_at <= ?').run(now);
        q('INSERT INTO wallet_nonces (hash, expires_at) VALUES (?, ?)').run(hash, expiresAt);
      },
      async consumeNonce(hash, now) {
        return q('DELETE FROM wallet_nonces WHERE hash = ? AND expires_at > ?').run(hash, now).changes === 1;
      },
      async deliver(d) {
        q(`INSERT INTO wallet_deliveries (credential_id, subject_did, format, delivered_at)
          VALUES (@credentialId, @subjectDid, @format, @deliveredAt)`).run(d);
      },
      async deliveries(credentialId) {
        return q('SELECT * FROM wallet_deliveries WHERE credential_id = ? ORDER BY delivered_at').all(credentialId).map(walletDelivery);
      },
    },
    mail: {
      async add(m) {
        q(`INSERT INTO mail_log (id, collective_id, recipient, subject, kind, file, error, created_at)
          VALUES (@id, @collectiveId, @recipient, @subject, @kind, @file, @error, @createdAt)`).run(m);
      },
      async list(collectiveId, limit) {
        return q('SELECT * FROM mail_log WHERE collective_id IS ? ORDER BY created_at DESC LIMIT ?').all(collectiveId, limit).map(mail);
      },
      async byId(id) { const r = q('SELECT * FROM mail_log WHERE id = ?').get(id); return r && mail(r); },
    },
    learnerLinks: {
      async put(l) {
        q('DELETE FROM learner_links WHERE expires_at <= ?').run(l.createdAt);
        q('INSERT INTO learner_links (hash, email, created_at, expires_at) VALUES (@hash, @email, @createdAt, @expiresAt)').run(l);
      },
      async live(hash, now) {
        const r = q('SELECT * FROM learner_links WHERE hash = ? AND expires_at > ?').get(hash, now);
        return r && { hash: r.hash as string, email: r.email as string, createdAt: r.created_at as string, expiresAt: r.expires_at as string };
      },
    },
    settings: {
      async get(key) { return q('SELECT value FROM settings WHERE key = ?').get(key)?.value as string | undefined; },
      async set(key, value) {
        q('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
      },
    },
    // SQLite's online backup API: pages copied in steps, consistent even while others write.
    async snapshot(file) { await db.backup(file); },
    async close() { db.close(); },
  };

  /**
   * Deletes what names the person: the signed forms, her name, links, offers and wallet records.
   * The status index stays reserved and unrevoked, so copies she holds still verify. In a transaction.
   */
  function eraseCredential(id: string, now: string): void {
    for (const table of ['claim_links', 'superseded_credentials', 'wallet_offers', 'wallet_deliveries']) {
      q(`DELETE FROM ${table} WHERE credential_id = ?`).run(id);
    }
    q(`UPDATE credentials SET json = NULL, jwt = NULL, recipient_name = '', participant_id = NULL, erased_at = ?
      WHERE id = ? AND erased_at IS NULL`).run(now, id);
  }

  function insertVersion(v: AchievementVersion): void {
    q(`INSERT INTO achievement_versions (id, badge_class_id, collective_id, version, name, description, criteria,
      achievement_type, tags, language, alignment_url, alignment_name, validity_days, status_purpose, image_alt, image_png, image_svg, created_at)
      VALUES (@id, @badgeClassId, @collectiveId, @version, @name, @description, @criteria, @achievementType, @tags,
      @language, @alignmentUrl, @alignmentName, @validityDays, @statusPurpose, @imageAlt, @imagePng, @imageSvg, @createdAt)`)
      .run({ ...v, tags: JSON.stringify(v.tags) });
  }
}
