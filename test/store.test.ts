// The store on real databases — a SQLite file, and PostgreSQL when one is configured — through
// one suite: migrations, all-or-nothing writes, status indexes, batches, rate limits, restarts.
import { NO_FACTS } from '../src/reports/facts.js';
import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { startServer } from '../src/server.js';
import type { ClaimLink, BatchRecord, Store } from '../src/store/index.js';
import { newId } from '../src/store/ids.js';
import type { SqlDriver } from '../src/store/sql/driver.js';
import { MIGRATIONS } from '../src/store/sql/migrations.js';
import { createSqlStore } from '../src/store/sql/store.js';
import { STATUS_LIST_MIN_ENTRIES as STATUS_LIST_SIZE } from '../src/ob3/status.js';
import { saveWithStatus } from '../src/issuing/issuing.js';
import { available, DATABASES, freshDatabase, type TestDatabase } from './helpers/databases.js';

/** The saved credential of saveWithStatus (which also returns the list it went on). */
const saveRecord = (...args: Parameters<typeof saveWithStatus>) => saveWithStatus(...args).then((saved) => saved.record);

for (const kind of DATABASES) {
  (available(kind) ? describe : describe.skip)(`store on ${kind}${available(kind) ? '' : ' (set BADGEONS_TEST_DATABASE_URL)'}`, function () {
    this.timeout(60_000);
    const now = '2026-11-22T10:00:00.000Z';
    const collectiveId = newId();
    const atelierId = newId();
    let database: TestDatabase;
    let raw: SqlDriver;
    let store: Store;

    before(async () => {
      database = await freshDatabase(kind);
      raw = database.driver();
      store = await createSqlStore(database.driver());
      await store.collectives.create({ id: collectiveId, slug: 'c', name: 'C', description: '', url: '', email: '', town: '', logoPng: null, createdAt: now, kind: 'collective' });
      await store.ateliers.create({ id: atelierId, collectiveId, title: 'A', date: '2026-11-22', place: '', facilitators: '', badgeClassIds: [], createdAt: now });
    });
    after(async () => {
      await store?.close();
      await raw?.close();
      await database?.drop();
    });

    /** A badge class and its version, written directly (the store has no use for a picture here). */
    async function insertBadgeClass(purpose: 'revocation' | 'suspension') {
      const versionId = newId();
      const classId = newId();
      await raw.run('INSERT INTO badge_classes (id, collective_id, current_version_id, created_at) VALUES (?, ?, ?, ?)', [classId, collectiveId, versionId, now]);
      await raw.run(`INSERT INTO achievement_versions (id, badge_class_id, collective_id, version, name, description, criteria, achievement_type,
        tags, language, alignment_url, alignment_name, validity_days, image_alt, image_png, image_svg, created_at, status_purpose)
        VALUES (?, ?, ?, 1, 'n', 'd', 'c', 'ext:SoftSkill', '[]', 'fr', '', '', NULL, 'alt', ?, NULL, ?, ?)`,
      [versionId, classId, collectiveId, Buffer.from([0]), now, purpose]);
      return { classId, versionId };
    }

    /**
     * Another app instance on the same database: PostgreSQL's purpose. SQLite is one process's
     * embedded database (a second connection in the same process would wait on the first's lock
     * with the event loop blocked), so there the "other" instance is the same store.
     */
    const secondInstance = async () => kind === 'PostgreSQL' ? createSqlStore(database.driver()) : store;
    const closeSecond = async (other: Store) => { if (other !== store) await other.close(); };

    const link = (): Omit<ClaimLink, 'credentialId'> => ({ hash: newId(), createdAt: now, expiresAt: '2027-01-01T00:00:00.000Z', txCodeHash: null, codeHash: null });
    const newRecord = (classId: string, versionId: string, extra: { participantId?: string; batchId?: string } = {}) => ({
      id: newId(), collectiveId, badgeClassId: classId, versionId, atelierId, participantId: extra.participantId ?? null, recipientName: 'x',
      json: null, jwt: null, issuedAt: now, issuedBy: 'test', erasedAt: null, batchId: extra.batchId ?? null,
    });

    it('applies the migrations once and refuses a database from a newer Badgeons', async () => {
      const version = raw.dialect === 'sqlite'
        ? async (set?: number) => set === undefined ? (await raw.get('PRAGMA user_version'))!.user_version : raw.run(`PRAGMA user_version = ${set}`)
        : async (set?: number) => set === undefined ? (await raw.get('SELECT version FROM schema_version'))!.version : raw.run('UPDATE schema_version SET version = ?', [set]);
      expect(await version()).to.equal(MIGRATIONS.length);
      if (raw.dialect === 'sqlite') expect((await raw.get('PRAGMA journal_mode'))!.journal_mode).to.equal('wal');
      const again = await createSqlStore(database.driver());
      await again.close();
      await version(MIGRATIONS.length + 1);
      let error: unknown;
      try {
        await (await createSqlStore(database.driver())).close();
      } catch (e) {
        error = e;
      }
      await version(MIGRATIONS.length);
      expect(String(error)).to.match(/newer than this Badgeons/);
    });

    it('turns members who never chose a password into pending invitations, and withdraws admin-made password links (migration 6)', async () => {
      const old = await freshDatabase(kind);
      const driver = old.driver();
      try {
        await driver.migrate(MIGRATIONS.slice(0, 5));
        const [c, pending, active] = [newId(), newId(), newId()];
        await driver.run('INSERT INTO collectives (id, slug, name, description, url, email, town, logo_png, created_at) VALUES (?, \'x\', \'X\', \'\', \'\', \'\', \'\', NULL, ?)', [c, now]);
        await driver.run('INSERT INTO accounts (id, email, name, password_hash, instance_admin, created_at) VALUES (?, \'new@example.org\', \'New\', NULL, 0, ?), (?, \'old@example.org\', \'Old\', \'scrypt$x\', 0, ?)', [pending, now, active, now]);
        await driver.run('INSERT INTO memberships (account_id, collective_id, role) VALUES (?, ?, \'facilitator\'), (?, ?, \'admin\')', [pending, c, active, c]);
        await driver.run('INSERT INTO tokens (hash, purpose, account_id, expires_at, used_at) VALUES (\'h1\', \'reset\', ?, \'2099-01-01\', NULL), (\'h2\', \'reset\', ?, \'2099-01-01\', NULL)', [active, pending]);
        const migrated = await createSqlStore(old.driver());
        try {
          expect(await migrated.accounts.byEmail('new@example.org')).to.equal(undefined);
          expect((await migrated.accounts.members(c)).map((m) => m.email)).to.deep.equal(['old@example.org']);
          const [invitation] = await migrated.invitations.forCollective(c);
          expect(invitation).to.include({ email: 'new@example.org', role: 'facilitator', name: 'New' });
          expect(await migrated.invitations.byHash(invitation!.hash, now), 'its old link does not open it').to.equal(undefined);
          expect(await migrated.tokens.peek('h1', 'reset', now)).to.equal(undefined);
        } finally {
          await migrated.close();
        }
      } finally {
        await driver.close();
        await old.drop();
      }
    });

    it('gives one status entry to one badge or endorsement, and counts each list\'s, for lists made before too (migration 11)', async () => {
      const old = await freshDatabase(kind);
      const driver = old.driver();
      try {
        await driver.migrate(MIGRATIONS.slice(0, 10));
        const [c, classId, versionId, listA, listB] = [newId(), newId(), newId(), newId(), newId()];
        await driver.run('INSERT INTO collectives (id, slug, name, description, url, email, town, logo_png, created_at) VALUES (?, \'x\', \'X\', \'\', \'\', \'\', \'\', NULL, ?)', [c, now]);
        await driver.run('INSERT INTO badge_classes (id, collective_id, current_version_id, created_at) VALUES (?, ?, ?, ?)', [classId, c, versionId, now]);
        await driver.run(`INSERT INTO achievement_versions (id, badge_class_id, collective_id, version, name, description, criteria, achievement_type,
          tags, language, alignment_url, alignment_name, validity_days, image_alt, image_png, image_svg, created_at)
          VALUES (?, ?, ?, 1, 'n', 'd', 'c', 'Badge', '[]', 'fr', '', '', NULL, 'alt', ?, NULL, ?)`, [versionId, classId, c, Buffer.from([0]), now]);
        for (const [list, number] of [[listA, 1], [listB, 2]] as const) {
          await driver.run(`INSERT INTO status_lists (id, collective_id, number, purpose, size, bits, signed_json, updated_at)
            VALUES (?, ?, ?, 'revocation', ?, ?, NULL, ?)`, [list, c, number, STATUS_LIST_SIZE, Buffer.alloc(STATUS_LIST_SIZE / 8), now]);
        }
        await driver.run(`WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 4)
          INSERT INTO credentials (id, collective_id, badge_class_id, version_id, recipient_name, status_list_id, status_index, issued_at, issued_by)
          SELECT 'old' || CAST(i AS TEXT), ?, ?, ?, 'x', ?, i, ?, 'test' FROM n`, [c, classId, versionId, listA, now]);
        await driver.run(`INSERT INTO endorsements (id, endorser_id, subject_kind, subject_id, comment, json, status_list_id, status_index, created_at)
          VALUES ('e', ?, 'credential', 'old0', '', '{}', ?, 7, ?)`, [c, listA, now]);
        const migrated = await createSqlStore(old.driver());
        const used = async (id: string) => (await driver.get('SELECT used FROM status_lists WHERE id = ?', [id]))!.used as number;
        try {
          expect([await used(listA), await used(listB)], 'five badges and one endorsement; an empty list').to.deep.equal([6, 0]);
          const { list, index, release } = await migrated.statusLists.reserve(c, 'revocation', now, { size: STATUS_LIST_SIZE, fillLimit: 0.5 });
          release();
          expect(list.id, 'the newest list').to.equal(listB);
          const record = { id: newId(), collectiveId: c, badgeClassId: classId, versionId, atelierId: null, participantId: null, recipientName: 'x',
            json: '{}', jwt: 'x', issuedAt: now, issuedBy: 'test', erasedAt: null, batchId: null, statusListId: listB, statusIndex: index };
          expect(await migrated.credentials.insert(record, link())).to.include({ id: record.id });
          expect(await migrated.credentials.insert({ ...record, id: newId() }, link()), 'its index is taken').to.equal(undefined);
          expect(await migrated.credentials.insert({ ...record, id: newId(), statusListId: listA, statusIndex: 7 }, link()), 'an endorsement made before holds that one')
            .to.equal(undefined);
          const endorsement = { id: newId(), endorserId: c, subjectKind: 'credential' as const, subjectId: record.id, comment: '', json: '{}',
            statusListId: listB, statusIndex: index, createdAt: now, withdrawnAt: null, acceptedAt: null };
          expect(await migrated.endorsements.insert(endorsement), 'nor may an endorsement take a badge\'s').to.equal(false);
          expect([await used(listA), await used(listB)], 'the refused ones counted nothing').to.deep.equal([6, 1]);
          expect(await migrated.endorsements.insert({ ...endorsement, statusIndex: index + 1 === STATUS_LIST_SIZE ? 0 : index + 1 })).to.equal(true);
          expect(await used(listB)).to.equal(2);
        } finally {
          await migrated.close();
        }
      } finally {
        await driver.close();
        await old.drop();
      }
    });

    it('adds participants all or nothing', async () => {
      const person = (id: string) => ({ id, atelierId, collectiveId, name: id, email: '', consentAt: null, createdAt: now, facts: NO_FACTS });
      const [a, b] = [newId(), newId()];
      await store.ateliers.addParticipants([person(a)]);
      let error: unknown;
      try {
        await store.ateliers.addParticipants([person(b), person(a)]); // a is already there: the batch fails
      } catch (e) {
        error = e;
      }
      expect(String(error)).to.match(/UNIQUE|duplicate key/);
      expect((await store.ateliers.participants(collectiveId, atelierId)).map((p) => p.id)).to.deep.equal([a]);
    });

    it('gives distinct random status indexes, even to concurrent issuances from two app instances', async () => {
      const other = await secondInstance();
      try {
        const { classId, versionId } = await insertBadgeClass('revocation');
        const records = await Promise.all(Array.from({ length: 60 }, (_, i) => saveRecord(i % 2 ? other : store,
          newRecord(classId, versionId), 'revocation',
          async (list, index) => {
            await new Promise((r) => setImmediate(r));
            return { json: JSON.stringify({ list: list.number, index }), jwt: 'x' };
          },
          link(),
        )));
        const indexes = new Set(records.map((r) => `${r.statusListId}:${r.statusIndex}`));
        expect(indexes.size).to.equal(60);
        expect(new Set(records.map((r) => r.statusListId)).size, 'one list, opened once').to.equal(1);
        expect(Math.max(...records.map((r) => r.statusIndex))).to.be.lessThan(STATUS_LIST_SIZE);
        expect(Math.max(...records.map((r) => r.statusIndex)), 'random, not sequential').to.be.greaterThan(1000);
        expect((await store.statusLists.byNumber(collectiveId, 1))!.bits.length).to.equal(STATUS_LIST_SIZE / 8);
      } finally {
        await closeSecond(other);
      }
    });

    it('saves a credential with its claim link, or nothing at all when signing fails', async () => {
      const { classId, versionId } = await insertBadgeClass('revocation');
      const saved = await saveRecord(store, newRecord(classId, versionId), 'revocation', () => ({ json: '{}', jwt: 'x' }), link());
      expect((await store.claimLinks.forCredential(saved.id))!.credentialId).to.equal(saved.id);
      const failing = newRecord(classId, versionId);
      let error: unknown;
      try {
        await saveRecord(store, failing, 'revocation', () => { throw new Error('signing failed'); }, link());
      } catch (e) {
        error = e;
      }
      expect(String(error)).to.include('signing failed');
      expect(await store.credentials.byId(failing.id)).to.equal(undefined);
      expect(await store.claimLinks.forCredential(failing.id)).to.equal(undefined);
      // A claim link the database refuses (its hash is taken) takes the credential down with it.
      const clash = newRecord(classId, versionId);
      const taken = (await store.claimLinks.forCredential(saved.id))!.hash;
      error = undefined;
      try {
        await saveRecord(store, clash, 'revocation', () => ({ json: '{}', jwt: 'x' }), { ...link(), hash: taken });
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(Error);
      expect(await store.credentials.byId(clash.id), 'no credential without its link').to.equal(undefined);
    });

    it('starts a new list per purpose when one is half full; status changes flip the bit; renewals keep the old forms until erasure', async () => {
      const { classId, versionId } = await insertBadgeClass('suspension');
      const participantId = newId();
      await store.ateliers.addParticipants([{ id: participantId, atelierId, collectiveId, name: 'P', email: '', consentAt: now, createdAt: now, facts: NO_FACTS }]);
      const record = (purpose: 'revocation' | 'suspension', participant?: string) => saveRecord(store,
        newRecord(classId, versionId, participant ? { participantId: participant } : {}), purpose, () => ({ json: '{"v":1}', jwt: 'x' }), link(),
      );
      const first = await record('suspension', participantId);
      const firstList = (await store.statusLists.byId(first.statusListId))!;
      expect(firstList.purpose).to.equal('suspension');
      expect(firstList.number, 'numbered after the revocation list').to.equal(2);
      // Fill the suspension list to half, directly: the next badge goes to a new list.
      await raw.run(`WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
        INSERT INTO credentials (id, collective_id, badge_class_id, version_id, recipient_name, status_list_id, status_index, issued_at, issued_by)
        SELECT 'fill' || CAST(i AS TEXT), ?, ?, ?, 'x', ?, i, ?, 'test' FROM n WHERE i <> ?`,
      [STATUS_LIST_SIZE / 2 - 1, collectiveId, classId, versionId, firstList.id, now, first.statusIndex]);
      await raw.run(`INSERT INTO status_entries (status_list_id, status_index)
        SELECT status_list_id, status_index FROM credentials WHERE status_list_id = ? AND id LIKE 'fill%'`, [firstList.id]);
      await raw.run('UPDATE status_lists SET used = ? WHERE id = ?', [STATUS_LIST_SIZE / 2, firstList.id]);
      const next = await record('suspension');
      const nextList = (await store.statusLists.byId(next.statusListId))!;
      expect(nextList.number).to.equal(3);
      expect(nextList.purpose).to.equal('suspension');
      expect((await store.statusLists.byId((await record('revocation')).statusListId))!.number, 'the revocation list still has room').to.equal(1);

      await store.statusLists.saveSigned(firstList.id, '{"signed":true}');
      const suspended = await store.credentials.setStatus(first.id, 'suspended', 'raison', now);
      expect(suspended).to.include({ status: 'suspended', statusReason: 'raison', statusChangedAt: now });
      const after = (await store.statusLists.byId(firstList.id))!;
      expect(after.signedJson, 'the signed copy is dropped').to.equal(null);
      expect((after.bits[first.statusIndex >> 3]! >> (7 - (first.statusIndex & 7))) & 1).to.equal(1);
      await store.credentials.setStatus(first.id, 'active', null, now);
      expect(((await store.statusLists.byId(firstList.id))!.bits[first.statusIndex >> 3]! >> (7 - (first.statusIndex & 7))) & 1).to.equal(0);

      const renewed = await store.credentials.supersede(first.id, '{"v":2}', 'y', now);
      expect(renewed).to.include({ json: '{"v":2}', jwt: 'y', renewedAt: now });
      const kept = async () => (await raw.all('SELECT json FROM superseded_credentials WHERE credential_id = ?', [first.id])).map((r) => r.json);
      expect(await kept()).to.deep.equal(['{"v":1}']);
      await store.ateliers.eraseParticipant(collectiveId, participantId, now);
      expect(await kept(), 'erasure removes old copies too').to.deep.equal([]);
      expect(await store.claimLinks.forCredential(first.id), 'and the claim link').to.equal(undefined);
    });

    it('flips bits of one list from two instances at once without losing any', async () => {
      const other = await secondInstance();
      try {
        const { classId, versionId } = await insertBadgeClass('revocation');
        const records = await Promise.all(Array.from({ length: 20 }, () =>
          saveRecord(store, newRecord(classId, versionId), 'revocation', () => ({ json: '{}', jwt: 'x' }), link())));
        await Promise.all(records.map((r, i) => (i % 2 ? other : store).credentials.setStatus(r.id, 'revoked', null, now)));
        const bits = (await store.statusLists.byId(records[0]!.statusListId))!.bits;
        for (const r of records) expect((bits[r.statusIndex >> 3]! >> (7 - (r.statusIndex & 7))) & 1, r.id).to.equal(1);
      } finally {
        await closeSecond(other);
      }
    });

    it('keeps what a batch was asked until it finishes, knows whom it served, and lets one instance resume it', async () => {
      const { classId, versionId } = await insertBadgeClass('revocation');
      const batch: BatchRecord = {
        id: newId(), collectiveId, atelierId, total: 3, done: 1, failed: 0, state: 'running', errors: [],
        request: { badgeClassId: classId, participantIds: ['p1', 'p2', 'p3'], reflections: { p1: 'mots' }, reissue: false },
        createdAt: now, updatedAt: now,
      };
      await store.batches.create(batch);
      const served = newId();
      await store.ateliers.addParticipants([{ id: served, atelierId, collectiveId, name: 'S', email: '', consentAt: now, createdAt: now, facts: NO_FACTS }]);
      await saveRecord(store, newRecord(classId, versionId, { participantId: served, batchId: batch.id }), 'revocation', () => ({ json: '{}', jwt: 'x' }), link());
      expect(await store.credentials.participantsOfBatch(batch.id)).to.deep.equal([served]);
      expect((await store.batches.byId(collectiveId, batch.id))!.request).to.deep.equal(batch.request);
      expect(await store.batches.interruptStale('2026-11-22T09:00:00.000Z'), 'reported since: still alive').to.equal(0);
      expect(await store.batches.interruptStale('2026-11-22T10:00:01.000Z')).to.equal(1);
      const other = await secondInstance();
      try {
        const takes = await Promise.all([store, other].map((s) => s.batches.resume(collectiveId, batch.id, '2026-11-22T10:01:00.000Z', now)));
        expect(takes.filter(Boolean), 'one instance resumes it').to.have.length(1);
      } finally {
        await closeSecond(other);
      }
      await store.batches.update({ ...batch, state: 'finished', request: null, updatedAt: now });
      expect((await store.batches.byId(collectiveId, batch.id))!.request).to.equal(null);
    });

    it('counts requests per key and minute, for every instance on the database', async () => {
      const other = await secondInstance();
      try {
        const counts = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? other : store).rateLimits.hit('1.2.3.4', 1000)));
        expect(counts.sort((a, b) => a - b)).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        expect(await store.rateLimits.hit('1.2.3.4', 1001), 'a new minute').to.equal(1);
        expect(await store.rateLimits.hit('5.6.7.8', 1001)).to.equal(1);
        // Counts are kept an hour (password-reset windows last that long), then swept.
        await store.rateLimits.hit('x', 1061);
        expect((await raw.all('SELECT minute FROM rate_hits WHERE minute < 1001')), 'minutes over an hour old are swept').to.deep.equal([]);
        expect((await raw.all('SELECT minute FROM rate_hits WHERE minute = 1001')), 'the last hour is kept').to.have.length(2);
      } finally {
        await closeSecond(other);
      }
    });

    it('marks a batch left running by a stopped server as interrupted at the next start', async () => {
      const batchId = newId();
      await store.batches.create({ id: batchId, collectiveId, atelierId, total: 10, done: 4, failed: 0, state: 'running', errors: [], request: null, createdAt: now, updatedAt: now });
      const logs: string[] = [];
      const keys = path.join(mkdtempSync(path.join(tmpdir(), 'badgeons-store-keys-')), 'keys');
      const running = await startServer(loadConfig({ PORT: '0', KEYS_DIR: keys, ...database.env }), { log: (l) => logs.push(l) });
      try {
        expect((await running.ctx.store.batches.byId(collectiveId, batchId))!.state).to.equal('interrupted');
        expect(logs.join('\n')).to.include('issuing batch(es) were interrupted');
      } finally {
        await running.close();
      }
    });
  });
}
