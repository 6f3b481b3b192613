// The SQLite store on real files: migrations, all-or-nothing writes, status indexes, restarts.
import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { loadConfig } from '../src/config.js';
import { startServer } from '../src/server.js';
import { newId } from '../src/store/ids.js';
import { openSqliteStore, STATUS_LIST_SIZE } from '../src/store/sqlite/index.js';
import { MIGRATIONS } from '../src/store/sqlite/migrations.js';

describe('SQLite store', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'badgeons-store-'));
  const file = path.join(dir, 'data', 'badgeons.sqlite');
  const now = '2026-11-22T10:00:00.000Z';
  const collectiveId = newId();
  const atelierId = newId();

  before(async () => {
    const store = openSqliteStore(file);
    await store.collectives.create({ id: collectiveId, slug: 'c', name: 'C', description: '', url: '', email: '', town: '', logoPng: null, createdAt: now });
    await store.ateliers.create({ id: atelierId, collectiveId, title: 'A', date: '2026-11-22', place: '', facilitators: '', badgeClassIds: [], createdAt: now });
    await store.close();
  });

  /** A badge class and its version, written directly (the store has no use for a picture here). */
  function insertBadgeClass(purpose: 'revocation' | 'suspension') {
    const db = new Database(file);
    const versionId = newId();
    const classId = newId();
    db.prepare('INSERT INTO badge_classes VALUES (?, ?, ?, ?)').run(classId, collectiveId, versionId, now);
    db.prepare(`INSERT INTO achievement_versions VALUES (?, ?, ?, 1, 'n', 'd', 'c', 'ext:SoftSkill', '[]', 'fr', '', '', NULL, 'alt', x'00', NULL, ?, ?)`).run(versionId, classId, collectiveId, now, purpose);
    db.close();
    return { classId, versionId };
  }

  it('applies the migrations once, in WAL mode, and refuses a database from a newer Badgeons', () => {
    openSqliteStore(file).close();
    const db = new Database(file);
    expect(db.pragma('user_version', { simple: true })).to.equal(MIGRATIONS.length);
    expect(db.pragma('journal_mode', { simple: true })).to.equal('wal');
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    db.close();
    expect(() => openSqliteStore(file)).to.throw(/newer than this Badgeons/);
    const fix = new Database(file);
    fix.pragma(`user_version = ${MIGRATIONS.length}`);
    fix.close();
  });

  it('adds participants all or nothing', async () => {
    const store = openSqliteStore(file);
    const person = (id: string) => ({ id, atelierId, collectiveId, name: id, email: '', consentAt: null, createdAt: now });
    const [a, b] = [newId(), newId()];
    await store.ateliers.addParticipants([person(a)]);
    let error: unknown;
    try {
      await store.ateliers.addParticipants([person(b), person(a)]); // a is already there: the batch fails
    } catch (e) {
      error = e;
    }
    expect(String(error)).to.match(/UNIQUE/);
    expect((await store.ateliers.participants(collectiveId, atelierId)).map((p) => p.id)).to.deep.equal([a]);
    await store.close();
  });

  it('gives distinct random status indexes on a 131,072-entry list, even to concurrent issuances', async () => {
    const store = openSqliteStore(file);
    const { classId, versionId } = insertBadgeClass('revocation');
    const records = await Promise.all(Array.from({ length: 50 }, () => store.credentials.insert(
      { id: newId(), collectiveId, badgeClassId: classId, versionId, atelierId, participantId: null, recipientName: 'x', json: null, jwt: null, issuedAt: now, issuedBy: 'test', erasedAt: null },
      'revocation',
      async (list, index) => {
        await new Promise((r) => setImmediate(r));
        return { json: JSON.stringify({ list: list.number, index }), jwt: 'x' };
      },
    )));
    const indexes = new Set(records.map((r) => r.statusIndex));
    expect(indexes.size).to.equal(50);
    expect(Math.max(...indexes)).to.be.lessThan(STATUS_LIST_SIZE);
    expect(Math.max(...indexes), 'random, not sequential').to.be.greaterThan(1000);
    expect((await store.statusLists.byNumber(collectiveId, 1))!.bits.length).to.equal(STATUS_LIST_SIZE / 8);
    await store.close();
  });

  it('starts a new list per purpose when one is half full; status changes flip the bit; renewals keep the old forms until erasure', async () => {
    const store = openSqliteStore(file);
    const { classId, versionId } = insertBadgeClass('suspension');
    const db = new Database(file);
    const participantId = newId();
    await store.ateliers.addParticipants([{ id: participantId, atelierId, collectiveId, name: 'P', email: '', consentAt: now, createdAt: now }]);
    const record = (purpose: 'revocation' | 'suspension', participant: string | null = null) => store.credentials.insert(
      { id: newId(), collectiveId, badgeClassId: classId, versionId, atelierId, participantId: participant, recipientName: 'x', json: null, jwt: null, issuedAt: now, issuedBy: 'test', erasedAt: null },
      purpose, () => ({ json: '{"v":1}', jwt: 'x' }),
    );
    const first = await record('suspension', participantId);
    const firstList = (await store.statusLists.byId(first.statusListId))!;
    expect(firstList.purpose).to.equal('suspension');
    expect(firstList.number, 'numbered after the revocation list').to.equal(2);
    // Fill the suspension list to half, directly: the next badge goes to a new list.
    const fill = db.prepare(`INSERT INTO credentials (id, collective_id, badge_class_id, version_id, recipient_name, status_list_id, status_index, issued_at, issued_by)
      VALUES (?, ?, ?, ?, 'x', ?, ?, ?, 'test')`);
    db.transaction(() => {
      for (let i = 0, n = 1; n < STATUS_LIST_SIZE / 2; i++) if (i !== first.statusIndex) { fill.run(newId(), collectiveId, classId, versionId, firstList.id, i, now); n++; }
    })();
    db.close();
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
    const kept = () => {
      const reader = new Database(file, { readonly: true });
      try {
        return reader.prepare('SELECT json FROM superseded_credentials WHERE credential_id = ?').all(first.id);
      } finally {
        reader.close();
      }
    };
    expect(kept()).to.deep.equal([{ json: '{"v":1}' }]);
    await store.ateliers.eraseParticipant(collectiveId, participantId, now);
    expect(kept(), 'erasure removes old copies too').to.deep.equal([]);
    await store.close();
  });

  it('marks a batch left running by a stopped server as interrupted at the next start', async () => {
    const store = openSqliteStore(file);
    const jobId = newId();
    await store.jobs.create({ id: jobId, collectiveId, atelierId, total: 10, done: 4, failed: 0, state: 'running', errors: [], createdAt: now });
    await store.close();
    const logs: string[] = [];
    const running = await startServer(loadConfig({ PORT: '0', DATA_DIR: path.dirname(file), KEYS_DIR: path.join(dir, 'keys') }), { log: (l) => logs.push(l) });
    try {
      expect((await running.ctx.store.jobs.byId(collectiveId, jobId))!.state).to.equal('interrupted');
      expect(logs.join('\n')).to.include('1 issuing batch(es) were interrupted');
    } finally {
      await running.close();
    }
  });
});
