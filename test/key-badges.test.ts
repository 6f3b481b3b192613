// Badges-clés (issue 20 §2): a badge class that gathers others is offered to the facilitator when a
// person completes the set (across ateliers), or issued at once when it says so; it carries its
// components as evidence and verifies.
import { expect } from 'chai';
import { addParticipant, createAtelier } from '../src/ateliers/ateliers.js';
import { copyStarterBadge, currentVersion, updateBadgeClass } from '../src/badge-classes/achievements.js';
import { authorize, createCollective, type Scope } from '../src/collectives/collectives.js';
import { translateForPage } from '../src/i18n/index.js';
import { issueOne, prepareIssue, startIssuing, batchFinished } from '../src/issuing/issuing.js';
import type { OpenBadgeCredential } from '../src/ob3/model.js';
import { verifyBadge } from '../src/verifier/verifying.js';
import { ADMIN, WebClient, startTestApp, type TestApp } from './helpers/app.js';
import { issueToEmail } from './helpers/learner.js';
import { claimLinkFor } from '../src/learners/claims.js';

describe('badges-clés', function () {
  this.timeout(60_000);
  let app: TestApp;
  let scope: Scope;
  let ids: Record<'listen' | 'team' | 'speak' | 'key' | 'auto', string>;

  /** Makes a starter badge a badge-clé of `components`. */
  async function makeKey(starter: string, components: string[], needed: string, auto: boolean): Promise<string> {
    const { badgeClassId } = await copyStarterBadge(app.ctx, scope, starter);
    const v = await currentVersion(app.ctx, scope, badgeClassId);
    await updateBadgeClass(app.ctx, scope, badgeClassId, {
      ...v, tags: v.tags.join(', '), validityDays: '', questions: '', keyComponents: components, keyNeeded: needed, keyAuto: auto ? 'yes' : '',
    }, undefined);
    return badgeClassId;
  }

  before(async () => {
    app = await startTestApp();
    const account = (await app.ctx.store.accounts.byEmail(ADMIN.email))!;
    await createCollective(app.ctx, account, { slug: 'ariege', name: 'Badgeons l’Ariège' });
    scope = await authorize(app.ctx, account, 'ariege', 'admin');
    const listen = (await copyStarterBadge(app.ctx, scope, 'ecoute')).badgeClassId;
    const team = (await copyStarterBadge(app.ctx, scope, 'equipe')).badgeClassId;
    const speak = (await copyStarterBadge(app.ctx, scope, 'parole')).badgeClassId;
    const key = await makeKey('animer', [listen, team, speak], '2', false);
    const auto = await makeKey('transmettre', [speak], '', true);
    ids = { listen, team, speak, key, auto };
  });
  after(async () => { await app?.close(); });

  it('refuses a badge-clé of itself, of an unknown class, or needing more than it gathers', async () => {
    const v = await currentVersion(app.ctx, scope, ids.key);
    const form = { ...v, tags: '', validityDays: '', questions: '' };
    for (const wrong of [{ keyComponents: [ids.key] }, { keyComponents: ['nope'] }, { keyComponents: [ids.listen], keyNeeded: '2' }]) {
      const error = await updateBadgeClass(app.ctx, scope, ids.key, { ...form, ...wrong }, undefined).catch((e: unknown) => e);
      expect((error as { code?: string }).code, JSON.stringify(wrong)).to.equal('BADGE_FORM_INVALID');
    }
  });

  it('offers the badge-clé once a person holds enough of its badges across ateliers; one tap issues it with them as evidence', async () => {
    const march = await createAtelier(app.ctx, scope, { title: 'Mars', date: '2026-03-10', badgeClassIds: [ids.listen] });
    const june = await createAtelier(app.ctx, scope, { title: 'Juin', date: '2026-06-10', badgeClassIds: [ids.team] });
    const inMarch = await addParticipant(app.ctx, scope, march.id, { name: 'Camille Roux', email: 'camille@example.org', consent: true });
    const inJune = await addParticipant(app.ctx, scope, june.id, { name: 'Camille Roux', email: 'camille@example.org', consent: true });
    const issue = async (atelierId: string, badgeClassId: string, participantId: string) => {
      const { awards } = await prepareIssue(app.ctx, scope, atelierId, { badgeClassId, participantIds: [participantId], reflections: {}, reissue: false });
      return issueOne(app.ctx, scope, awards[0]!);
    };
    const first = await issue(march.id, ids.listen, inMarch.id);
    const admin = new WebClient(app.url);
    await admin.login();
    expect((await admin.get(`/c/ariege/ateliers/${june.id}`)).text, 'one of two: nothing yet').not.to.include('id="key-offers"');
    const second = await issue(june.id, ids.team, inJune.id);
    const page = await admin.get(`/c/ariege/ateliers/${june.id}`);
    expect(page.text).to.include(translateForPage('fr', 'atelier.keyDue', { name: 'Camille Roux', count: 2, badge: 'Animer un groupe' }));
    const tapped = await admin.post(`/c/ariege/participants/${inJune.id}/key/${ids.key}`, {});
    expect(tapped.status).to.equal(303);
    expect((await admin.post(`/c/ariege/participants/${inJune.id}/key/${ids.key}`, {})).status, 'once').to.equal(409);

    const [keyBadge] = (await app.ctx.store.credentials.forEmail('camille@example.org')).filter((c) => c.badgeClassId === ids.key);
    const json = JSON.parse(keyBadge!.json!) as OpenBadgeCredential;
    expect(json.evidence!.map((e) => e.id)).to.deep.equal([`${app.url}/credentials/${first.id}`, `${app.url}/credentials/${second.id}`]);
    expect((await verifyBadge(app.ctx, keyBadge!.json!, 'fr')).report.verdict).to.equal('valid');
    const shown = await fetch(`${app.url}/credentials/${keyBadge!.id}`).then((r) => r.text());
    expect(shown).to.include(`href="/credentials/${first.id}"`).and.include('Écouter et accueillir');
  });

  it('issues an automatic badge-clé in the same batch as the badge that completes it', async () => {
    const atelier = await createAtelier(app.ctx, scope, { title: 'Parole', date: '2026-07-01', badgeClassIds: [ids.speak] });
    const person = await addParticipant(app.ctx, scope, atelier.id, { name: 'Noah Petit', consent: true });
    const batch = await startIssuing(app.ctx, scope, atelier.id, { badgeClassId: ids.speak, participantIds: [person.id], reflections: {}, reissue: false });
    await batchFinished(app.ctx, scope, batch.id);
    const held = await app.ctx.store.credentials.forPerson(scope.collective.id, '', 'Noah Petit');
    expect(held.map((c) => c.badgeClassId).sort()).to.deep.equal([ids.speak, ids.auto].sort());
  });

  it('counts a badge she brings from elsewhere, once it verifies, is hers and a badge-clé accepts it', async () => {
    // Another issuer's badge (another collective of this instance: its own did:web and key), issued to her email.
    const mine = await issueToEmail(app.ctx, 'ailleurs', 'Camille Roux', 'camille@example.org');
    const theirs = await issueToEmail(app.ctx, 'ailleurs', 'Quelqu’un', 'someone@example.org');
    const elsewhere = JSON.parse((await app.ctx.store.credentials.byId(mine.credentialId))!.json!) as OpenBadgeCredential;
    const achievementId = elsewhere.credentialSubject.achievement!.id;
    const key = await makeKey('benevolat', [ids.listen], '1', false);
    const k = await currentVersion(app.ctx, scope, key);
    await updateBadgeClass(app.ctx, scope, key, { ...k, tags: '', validityDays: '', questions: '', keyComponents: [ids.listen], keyNeeded: '2', keyOutside: achievementId }, undefined);

    const [listenBadge] = (await app.ctx.store.credentials.forEmail('camille@example.org')).filter((c) => c.badgeClassId === ids.listen);
    const { url } = await claimLinkFor(app.ctx, scope, listenBadge!.id);
    const claimPath = new URL(url).pathname;
    const learner = new WebClient(app.url);
    expect((await learner.get(claimPath)).text).to.include('id="present"');
    const file = (json: string) => ({ field: 'file', name: 'badge.json', type: 'application/json', bytes: Buffer.from(json) });
    const notHers = await learner.postMultipart(`${claimPath}/present`, {}, file((await app.ctx.store.credentials.byId(theirs.credentialId))!.json!));
    expect(notHers.status).to.equal(400);
    expect(notHers.text).to.include('PRESENTED_NOT_YOURS');
    const tampered = await learner.postMultipart(`${claimPath}/present`, {}, file(JSON.stringify({ ...elsewhere, name: 'Autre chose' })));
    expect(tampered.status).to.equal(400);
    expect(tampered.text).to.include('PRESENTED_NOT_VERIFIED');
    const presented = await learner.postMultipart(`${claimPath}/present`, {}, file(JSON.stringify(elsewhere)));
    expect(presented.status).to.equal(303);

    const admin = new WebClient(app.url);
    await admin.login();
    const page = await admin.get(`/c/ariege/ateliers/${listenBadge!.atelierId}`);
    expect(page.text).to.include(`/key/${key}`);
    const participantId = /participants\/([\w-]{22})\/key\//.exec(page.text.slice(page.text.indexOf(`/key/${key}`) - 80))![1]!;
    expect((await admin.post(`/c/ariege/participants/${participantId}/key/${key}`, {})).status).to.equal(303);
    const [keyBadge] = (await app.ctx.store.credentials.forEmail('camille@example.org')).filter((c) => c.badgeClassId === key);
    const evidence = (JSON.parse(keyBadge!.json!) as OpenBadgeCredential).evidence!.map((e) => e.id);
    expect(evidence).to.include(elsewhere.id);
    expect((await verifyBadge(app.ctx, keyBadge!.json!, 'fr')).report.verdict).to.equal('valid');
  });
});
