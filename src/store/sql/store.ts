// The store in SQL, once for both databases: SQLite embedded, PostgreSQL for several app instances
// on one database. Everything that must be shared between instances (sessions, rate limits,
// status-list indexes, batch progress) is here, not in a process's memory.
import { randomInt } from 'node:crypto';
import type { AchievementVersion, BadgeClass, CredentialRecord, Participant, Role, StatusListPolicy, StatusPurpose, StatusReservation, Store } from '../index.js';
import { setBit } from '../../ob3/status.js';
import { newId } from '../ids.js';
import { isUniqueViolation, type SqlDriver, type SqlRunner } from './driver.js';
import { MIGRATIONS } from './migrations.js';
import {
  account, apiToken, atelier, invitation, claimLink, collective, credential, issuedBadge, job, mail, participant, statusList, version, walletDelivery, walletOffer,
} from './rows.js';

/** Minutes of rate-limit counts kept, swept now and then: windows last up to an hour (password-reset mails). */
const RATE_MINUTES_KEPT = 60;

export async function createSqlStore(db: SqlDriver): Promise<Store> {
  await db.migrate(MIGRATIONS);
  // Achievement versions never change once written: keep the recent ones in memory (pictures included).
  const versions = new Map<string, AchievementVersion>();
  /** Indexes handed out but not yet saved (signing is async), so two issuances here never pick the same one. */
  const pending = new Set<string>();
  let rateSweptAt = 0;

  async function reserveIndex(collectiveId: string, purpose: StatusPurpose, now: string, policy: StatusListPolicy): Promise<StatusReservation> {
    for (;;) {
      try {
        return await db.transaction(async (tx) => {
          // The last number first: on PostgreSQL each statement sees what was committed before it, so a
          // list another instance opens meanwhile is seen by the next statement, not skipped over.
          const last = (await tx.get('SELECT max(number) AS n FROM status_lists WHERE collective_id = ?', [collectiveId]))!.n as number | null;
          let row = await tx.get(`SELECT l.*, (SELECT CAST(count(*) AS INTEGER) FROM credentials c WHERE c.status_list_id = l.id) AS used
            FROM status_lists l WHERE collective_id = ? AND purpose = ? ORDER BY number DESC LIMIT 1`, [collectiveId, purpose]);
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
            if (!pending.has(key) && !(await tx.get('SELECT 1 FROM credentials WHERE status_list_id = ? AND status_index = ?', [list.id, index]))) {
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

  const credentialById = async (tx: SqlRunner, id: string) => credential((await tx.get('SELECT * FROM credentials WHERE id = ?', [id]))!);

  /**
   * Deletes what names the person: the signed forms, her name, links, offers and wallet records.
   * The status index stays reserved and unrevoked, so copies she holds still verify. In a transaction.
   */
  async function eraseCredential(tx: SqlRunner, id: string, now: string): Promise<void> {
    for (const table of ['claim_links', 'superseded_credentials', 'wallet_offers', 'wallet_deliveries']) {
      await tx.run(`DELETE FROM ${table} WHERE credential_id = ?`, [id]);
    }
    await tx.run(`UPDATE credentials SET json = NULL, jwt = NULL, recipient_name = '', participant_id = NULL, erased_at = ?
      WHERE id = ? AND erased_at IS NULL`, [now, id]);
  }

  async function insertVersion(tx: SqlRunner, v: AchievementVersion): Promise<void> {
    await tx.run(`INSERT INTO achievement_versions (id, badge_class_id, collective_id, version, name, description, criteria,
      achievement_type, tags, language, alignment_url, alignment_name, validity_days, status_purpose, image_alt, image_png, image_svg, created_at)
      VALUES (@id, @badgeClassId, @collectiveId, @version, @name, @description, @criteria, @achievementType, @tags,
      @language, @alignmentUrl, @alignmentName, @validityDays, @statusPurpose, @imageAlt, @imagePng, @imageSvg, @createdAt)`,
    { ...v, tags: JSON.stringify(v.tags) });
  }

  return {
    kind: db.dialect,
    accounts: {
      async count() { return (await db.get('SELECT CAST(count(*) AS INTEGER) AS n FROM accounts'))!.n as number; },
      async create(a) {
        try {
          await db.run(`INSERT INTO accounts (id, email, name, password_hash, instance_admin, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
            [a.id, a.email, a.name, a.passwordHash, a.instanceAdmin ? 1 : 0, a.createdAt]);
          return true;
        } catch (error) {
          if (isUniqueViolation(error, 'email')) return false;
          throw error;
        }
      },
      async byId(id) { const r = await db.get('SELECT * FROM accounts WHERE id = ?', [id]); return r && account(r); },
      async byEmail(email) { const r = await db.get('SELECT * FROM accounts WHERE email = ?', [email]); return r && account(r); },
      async setPassword(id, hash) { await db.run('UPDATE accounts SET password_hash = ? WHERE id = ?', [hash, id]); },
      async memberships(accountId) {
        return (await db.all(`SELECT m.*, c.slug, c.name FROM memberships m JOIN collectives c ON c.id = m.collective_id
          WHERE m.account_id = ? ORDER BY c.name`, [accountId])).map((r) => ({
          accountId: r.account_id as string, collectiveId: r.collective_id as string, role: r.role as Role,
          slug: r.slug as string, name: r.name as string,
        }));
      },
      async members(collectiveId) {
        return (await db.all(`SELECT a.*, m.role FROM memberships m JOIN accounts a ON a.id = m.account_id
          WHERE m.collective_id = ? ORDER BY a.name`, [collectiveId])).map((r) => ({ ...account(r), role: r.role as Role }));
      },
      async setMembership(m) {
        await db.run(`INSERT INTO memberships (account_id, collective_id, role) VALUES (?, ?, ?)
          ON CONFLICT (account_id, collective_id) DO UPDATE SET role = excluded.role`, [m.accountId, m.collectiveId, m.role]);
      },
      async removeMembership(accountId, collectiveId) {
        await db.run('DELETE FROM memberships WHERE account_id = ? AND collective_id = ?', [accountId, collectiveId]);
      },
    },
    invitations: {
      async put(i) {
        await db.run(`INSERT INTO invitations (id, collective_id, email, name, role, hash, invited_by, created_at, expires_at)
          VALUES (@id, @collectiveId, @email, @name, @role, @hash, @invitedBy, @createdAt, @expiresAt)
          ON CONFLICT (collective_id, email) DO UPDATE SET name = excluded.name, role = excluded.role, hash = excluded.hash,
            invited_by = excluded.invited_by, created_at = excluded.created_at, expires_at = excluded.expires_at`, { ...i });
        return invitation((await db.get('SELECT * FROM invitations WHERE collective_id = ? AND email = ?', [i.collectiveId, i.email]))!);
      },
      async byHash(hash, now) {
        const r = await db.get('SELECT * FROM invitations WHERE hash = ? AND expires_at > ?', [hash, now]);
        return r && invitation(r);
      },
      async byId(collectiveId, id) {
        const r = await db.get('SELECT * FROM invitations WHERE id = ? AND collective_id = ?', [id, collectiveId]);
        return r && invitation(r);
      },
      async forCollective(collectiveId) {
        return (await db.all('SELECT * FROM invitations WHERE collective_id = ? ORDER BY created_at DESC', [collectiveId])).map(invitation);
      },
      async forEmail(email, now) {
        return (await db.all(`SELECT i.*, c.name AS collective_name FROM invitations i JOIN collectives c ON c.id = i.collective_id
          WHERE i.email = ? AND i.expires_at > ? ORDER BY c.name`, [email, now])).map((r) => ({ ...invitation(r), collectiveName: r.collective_name as string }));
      },
      async accept(id, accountId) {
        return db.transaction(async (tx) => {
          const r = await tx.get('SELECT * FROM invitations WHERE id = ?', [id]);
          if (!r) return false;
          await tx.run('DELETE FROM invitations WHERE id = ?', [id]);
          await tx.run(`INSERT INTO memberships (account_id, collective_id, role) VALUES (?, ?, ?)
            ON CONFLICT (account_id, collective_id) DO UPDATE SET role = excluded.role`, [accountId, r.collective_id, r.role]);
          return true;
        });
      },
      async delete(collectiveId, id) { await db.run('DELETE FROM invitations WHERE id = ? AND collective_id = ?', [id, collectiveId]); },
    },
    sessions: {
      async create(s) { await db.run('INSERT INTO sessions (id, account_id, expires_at) VALUES (?, ?, ?)', [s.id, s.accountId, s.expiresAt]); },
      async get(id, now) {
        const r = await db.get('SELECT * FROM sessions WHERE id = ? AND expires_at > ?', [id, now]);
        return r && { id: r.id as string, accountId: r.account_id as string, expiresAt: r.expires_at as string };
      },
      async delete(id) { await db.run('DELETE FROM sessions WHERE id = ?', [id]); },
      async deleteForAccount(accountId) { await db.run('DELETE FROM sessions WHERE account_id = ?', [accountId]); },
    },
    tokens: {
      async create(t) {
        await db.run('INSERT INTO tokens (hash, purpose, account_id, expires_at, used_at) VALUES (?, ?, ?, ?, NULL)',
          [t.hash, t.purpose, t.accountId, t.expiresAt]);
      },
      async peek(hash, purpose, now) {
        const r = await db.get('SELECT * FROM tokens WHERE hash = ? AND purpose = ? AND used_at IS NULL AND expires_at > ?', [hash, purpose, now]);
        return r && {
          hash: r.hash as string, purpose, accountId: (r.account_id as string | null) ?? null,
          expiresAt: r.expires_at as string, usedAt: null,
        };
      },
      async consume(hash, purpose, now) {
        const token = await this.peek(hash, purpose, now);
        if (!token) return undefined;
        const changes = await db.run('UPDATE tokens SET used_at = ? WHERE hash = ? AND used_at IS NULL', [now, hash]);
        return changes === 1 ? { ...token, usedAt: now } : undefined;
      },
    },
    collectives: {
      async create(c) {
        await db.run(`INSERT INTO collectives (id, slug, name, description, url, email, town, logo_png, created_at)
          VALUES (@id, @slug, @name, @description, @url, @email, @town, @logoPng, @createdAt)`, { ...c });
      },
      async update(c) {
        await db.run(`UPDATE collectives SET name = @name, description = @description, url = @url, email = @email,
          town = @town, logo_png = @logoPng WHERE id = @id`, { ...c });
      },
      async bySlug(slug) { const r = await db.get('SELECT * FROM collectives WHERE slug = ?', [slug]); return r && collective(r); },
      async byId(id) { const r = await db.get('SELECT * FROM collectives WHERE id = ?', [id]); return r && collective(r); },
      async list() { return (await db.all('SELECT * FROM collectives ORDER BY name')).map(collective); },
    },
    achievements: {
      async create(badgeClass: BadgeClass, v: AchievementVersion) {
        await db.transaction(async (tx) => {
          await tx.run('INSERT INTO badge_classes (id, collective_id, current_version_id, created_at) VALUES (?, ?, ?, ?)',
            [badgeClass.id, badgeClass.collectiveId, v.id, badgeClass.createdAt]);
          await insertVersion(tx, v);
        });
      },
      async addVersion(v) {
        await db.transaction(async (tx) => {
          await insertVersion(tx, v);
          await tx.run('UPDATE badge_classes SET current_version_id = ? WHERE id = ? AND collective_id = ?', [v.id, v.badgeClassId, v.collectiveId]);
        });
      },
      async classById(collectiveId, id) {
        const r = await db.get('SELECT * FROM badge_classes WHERE id = ? AND collective_id = ?', [id, collectiveId]);
        return r && {
          id: r.id as string, collectiveId: r.collective_id as string,
          currentVersionId: r.current_version_id as string, createdAt: r.created_at as string,
        };
      },
      async current(collectiveId) {
        return (await db.all(`SELECT v.* FROM badge_classes b JOIN achievement_versions v ON v.id = b.current_version_id
          WHERE b.collective_id = ? ORDER BY v.name`, [collectiveId])).map(version);
      },
      async svgs() {
        return (await db.all('SELECT id, image_svg FROM achievement_versions WHERE image_svg IS NOT NULL')).map((r) => ({ id: r.id as string, svg: r.image_svg as string }));
      },
      async setSvg(id, svg) {
        await db.run('UPDATE achievement_versions SET image_svg = ? WHERE id = ?', [svg, id]);
        versions.delete(id);
      },
      async version(id) {
        let v = versions.get(id);
        if (!v) {
          const r = await db.get('SELECT * FROM achievement_versions WHERE id = ?', [id]);
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
        await db.run(`INSERT INTO ateliers (id, collective_id, title, date, place, facilitators, badge_class_ids, created_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, [a.id, a.collectiveId, a.title, a.date, a.place, a.facilitators, JSON.stringify(a.badgeClassIds), a.createdAt]);
      },
      async update(a) {
        await db.run(`UPDATE ateliers SET title = ?, date = ?, place = ?, facilitators = ?, badge_class_ids = ?
          WHERE id = ? AND collective_id = ?`, [a.title, a.date, a.place, a.facilitators, JSON.stringify(a.badgeClassIds), a.id, a.collectiveId]);
      },
      async byId(collectiveId, id) {
        const r = await db.get('SELECT * FROM ateliers WHERE id = ? AND collective_id = ?', [id, collectiveId]);
        return r && atelier(r);
      },
      async list(collectiveId) {
        return (await db.all('SELECT * FROM ateliers WHERE collective_id = ? ORDER BY date DESC, created_at DESC', [collectiveId])).map(atelier);
      },
      async addParticipants(list: Participant[]) {
        await db.transaction(async (tx) => {
          for (const p of list) {
            await tx.run(`INSERT INTO participants (id, atelier_id, collective_id, name, email, consent_at, created_at)
              VALUES (@id, @atelierId, @collectiveId, @name, @email, @consentAt, @createdAt)`, { ...p });
          }
        });
      },
      async participants(collectiveId, atelierId) {
        return (await db.all('SELECT * FROM participants WHERE collective_id = ? AND atelier_id = ? ORDER BY lower(name), name',
          [collectiveId, atelierId])).map(participant);
      },
      async participant(collectiveId, id) {
        const r = await db.get('SELECT * FROM participants WHERE id = ? AND collective_id = ?', [id, collectiveId]);
        return r && participant(r);
      },
      async updateParticipant(collectiveId, id, change) {
        await db.run('UPDATE participants SET name = ?, email = ? WHERE id = ? AND collective_id = ?', [change.name, change.email, id, collectiveId]);
      },
      async setConsent(collectiveId, id, at) {
        await db.run('UPDATE participants SET consent_at = ? WHERE id = ? AND collective_id = ?', [at, id, collectiveId]);
      },
      async eraseParticipant(collectiveId, id, now) {
        const mailFiles = await db.transaction(async (tx) => {
          const person = await tx.get('SELECT * FROM participants WHERE id = ? AND collective_id = ?', [id, collectiveId]);
          if (!person) return [];
          for (const r of await tx.all('SELECT id FROM credentials WHERE participant_id = ? AND collective_id = ?', [id, collectiveId])) {
            await eraseCredential(tx, r.id as string, now);
          }
          // Her name and words in the atelier's batches: the errors list names her, a pending request keeps her reflection.
          for (const j of await tx.all('SELECT * FROM jobs WHERE atelier_id = ? AND collective_id = ?', [person.atelier_id, collectiveId])) {
            const saved = job(j);
            const errors = saved.errors.map((e) => (e.participantId === id ? { ...e, participant: '' } : e));
            const request = saved.request && { ...saved.request, reflections: Object.fromEntries(Object.entries(saved.request.reflections).filter(([k]) => k !== id)) };
            await tx.run('UPDATE jobs SET errors = ?, request = ? WHERE id = ?', [JSON.stringify(errors), request && JSON.stringify(request), saved.id]);
          }
          const email = String(person.email).trim().toLowerCase();
          let files: string[] = [];
          if (email) {
            // What was sent to her, by this collective or by the instance (her "my badges" links).
            const sent = await tx.all(`SELECT file FROM mail_log WHERE lower(recipient) = ? AND (collective_id = ? OR collective_id IS NULL)`, [email, collectiveId]);
            files = sent.map((m) => m.file as string | null).filter((f): f is string => !!f);
            await tx.run(`DELETE FROM mail_log WHERE lower(recipient) = ? AND (collective_id = ? OR collective_id IS NULL)`, [email, collectiveId]);
            await tx.run('DELETE FROM learner_links WHERE email = ?', [email]);
          }
          await tx.run('DELETE FROM participants WHERE id = ? AND collective_id = ?', [id, collectiveId]);
          return files;
        });
        await db.forget();
        return { mailFiles };
      },
    },
    credentials: {
      async insert(record, link) {
        const saved: CredentialRecord = { ...record, status: 'active', statusReason: null, statusChangedAt: null, renewedAt: null, display: 'name' };
        try {
          await db.transaction(async (tx) => {
            await tx.run(`INSERT INTO credentials (id, collective_id, badge_class_id, version_id, atelier_id,
              participant_id, recipient_name, json, jwt, status_list_id, status_index, issued_at, issued_by, erased_at, job_id)
              VALUES (@id, @collectiveId, @badgeClassId, @versionId, @atelierId, @participantId, @recipientName, @json, @jwt,
              @statusListId, @statusIndex, @issuedAt, @issuedBy, @erasedAt, @jobId)`, { ...saved });
            await tx.run(`INSERT INTO claim_links (credential_id, hash, created_at, expires_at, tx_code_hash) VALUES (?, ?, ?, ?, ?)`,
              [record.id, link.hash, link.createdAt, link.expiresAt, link.txCodeHash]);
          });
          return saved;
        } catch (error) {
          // Another instance took the index between reservation and insert.
          if (isUniqueViolation(error, 'status_index')) return undefined;
          throw error;
        }
      },
      async byId(id) { const r = await db.get('SELECT * FROM credentials WHERE id = ?', [id]); return r && credential(r); },
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
      async participantsOfJob(jobId) {
        return (await db.all('SELECT participant_id FROM credentials WHERE job_id = ? AND participant_id IS NOT NULL', [jobId]))
          .map((r) => r.participant_id as string);
      },
      async signedSince(collectiveId, since) {
        return (await db.all(`SELECT * FROM credentials WHERE collective_id = ? AND status <> 'revoked'
          AND (issued_at >= ? OR renewed_at >= ?) ORDER BY issued_at`, [collectiveId, since, since])).map(credential);
      },
      async setDisplay(id, display) { await db.run('UPDATE credentials SET display = ? WHERE id = ?', [display, id]); },
      async erase(id, now) { await db.transaction((tx) => eraseCredential(tx, id, now)); await db.forget(); },
    },
    statusLists: {
      reserve: reserveIndex,
      async byId(id) { const r = await db.get('SELECT * FROM status_lists WHERE id = ?', [id]); return r && statusList(r); },
      async byNumber(collectiveId, number) {
        const r = await db.get('SELECT * FROM status_lists WHERE collective_id = ? AND number = ?', [collectiveId, number]);
        return r && statusList(r);
      },
      async saveSigned(id, signedJson) { await db.run('UPDATE status_lists SET signed_json = ? WHERE id = ?', [signedJson, id]); },
      async dropSigned(collectiveId) { await db.run('UPDATE status_lists SET signed_json = NULL WHERE collective_id = ?', [collectiveId]); },
    },
    jobs: {
      async create(j) {
        await db.run(`INSERT INTO jobs (id, collective_id, atelier_id, total, done, failed, state, errors, request, created_at, updated_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, [j.id, j.collectiveId, j.atelierId, j.total, j.done, j.failed, j.state,
          JSON.stringify(j.errors), j.request && JSON.stringify(j.request), j.createdAt, j.updatedAt]);
      },
      async update(j) {
        await db.run('UPDATE jobs SET done = ?, failed = ?, state = ?, errors = ?, request = ?, updated_at = ? WHERE id = ?',
          [j.done, j.failed, j.state, JSON.stringify(j.errors), j.request && JSON.stringify(j.request), j.updatedAt, j.id]);
      },
      async byId(collectiveId, id) {
        const r = await db.get('SELECT * FROM jobs WHERE id = ? AND collective_id = ?', [id, collectiveId]);
        return r && job(r);
      },
      async interruptStale(staleBefore) {
        return db.run(`UPDATE jobs SET state = 'interrupted' WHERE state = 'running' AND updated_at < ?`, [staleBefore]);
      },
      async resume(collectiveId, id, now, staleBefore) {
        return (await db.run(`UPDATE jobs SET state = 'running', updated_at = ? WHERE id = ? AND collective_id = ?
          AND (state = 'interrupted' OR (state = 'running' AND updated_at < ?))`, [now, id, collectiveId, staleBefore])) === 1;
      },
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
    claimLinks: {
      async put(l) {
        await db.run(`INSERT INTO claim_links (credential_id, hash, created_at, expires_at, tx_code_hash)
          VALUES (@credentialId, @hash, @createdAt, @expiresAt, @txCodeHash)
          ON CONFLICT (credential_id) DO UPDATE SET hash = excluded.hash, created_at = excluded.created_at,
          expires_at = excluded.expires_at, tx_code_hash = excluded.tx_code_hash`, { ...l });
      },
      async live(hash, now) {
        const r = await db.get('SELECT * FROM claim_links WHERE hash = ? AND expires_at > ?', [hash, now]);
        return r && claimLink(r);
      },
      async forCredential(credentialId) {
        const r = await db.get('SELECT * FROM claim_links WHERE credential_id = ?', [credentialId]);
        return r && claimLink(r);
      },
    },
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
    mail: {
      async add(m) {
        await db.run(`INSERT INTO mail_log (id, collective_id, recipient, subject, kind, file, error, created_at)
          VALUES (@id, @collectiveId, @recipient, @subject, @kind, @file, @error, @createdAt)`, { ...m });
      },
      async list(collectiveId, limit) {
        return (await db.all('SELECT * FROM mail_log WHERE collective_id IS NOT DISTINCT FROM ? ORDER BY created_at DESC LIMIT ?',
          [collectiveId, limit])).map(mail);
      },
      async byId(id) { const r = await db.get('SELECT * FROM mail_log WHERE id = ?', [id]); return r && mail(r); },
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
    settings: {
      async get(key) { return (await db.get('SELECT value FROM settings WHERE key = ?', [key]))?.value as string | undefined; },
      async set(key, value) {
        await db.run('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key, value]);
      },
      async init(key, value) {
        await db.run('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING', [key, value]);
        return (await db.get('SELECT value FROM settings WHERE key = ?', [key]))!.value as string;
      },
    },
    rateLimits: {
      async hit(key, minute) {
        if (minute !== rateSweptAt) {
          rateSweptAt = minute;
          await db.run('DELETE FROM rate_hits WHERE minute < ?', [minute - RATE_MINUTES_KEPT]);
        }
        const r = await db.get(`INSERT INTO rate_hits (key, minute, count) VALUES (?, ?, 1)
          ON CONFLICT (key, minute) DO UPDATE SET count = rate_hits.count + 1 RETURNING count`, [key, minute]);
        return r!.count as number;
      },
      async blockedUntil(keys) {
        const r = await db.get(`SELECT max(until) AS until FROM login_failures WHERE key IN (${keys.map(() => '?').join(', ')})`, keys);
        return (r?.until as string | null) ?? undefined;
      },
      async fail(key, until) {
        const count = (await db.get(`INSERT INTO login_failures (key, count, until) VALUES (?, 1, '')
          ON CONFLICT (key) DO UPDATE SET count = login_failures.count + 1 RETURNING count`, [key]))!.count as number;
        await db.run('UPDATE login_failures SET until = ? WHERE key = ?', [until(count), key]);
        return count;
      },
      async forgive(keys) {
        await db.run(`DELETE FROM login_failures WHERE key IN (${keys.map(() => '?').join(', ')})`, keys);
      },
    },
    snapshot: (file) => db.snapshot(file),
    close: () => db.close(),
  };
}
