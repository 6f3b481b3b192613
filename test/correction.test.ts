// Correcting a participant's name or email after her badge was issued, over real HTTP: the badge
// is signed again under the same id with the right name and identity hash, its dates kept, and it
// verifies; a revoked badge is left as it was; a bad correction changes nothing.
import { expect } from 'chai';
import { identityMatches } from '../src/ob3/identity.js';
import type { IdentityObject, OpenBadgeCredential } from '../src/ob3/model.js';
import { changeStatus } from '../src/credentials/credential-status.js';
import { WebClient, startTestApp, type TestApp } from './helpers/app.js';
import { issueToEmail } from './helpers/learner.js';

describe('correcting a participant after her badge was issued', function () {
  this.timeout(60_000);
  let app: TestApp;
  let admin: WebClient;
  before(async () => {
    app = await startTestApp();
    admin = new WebClient(app.url);
    await admin.login();
  });
  after(async () => { await app?.close(); });

  const stored = async (id: string) => JSON.parse((await app.ctx.store.credentials.byId(id))!.json!) as OpenBadgeCredential;

  it('signs her badge again with the right name and email: same id, same dates, still valid', async () => {
    const { credentialId } = await issueToEmail(app.ctx, 'ariege', 'Helene Durnad', 'helene@exemple.org');
    const before = await stored(credentialId);
    const record = (await app.ctx.store.credentials.byId(credentialId))!;
    const edit = `/c/ariege/participants/${record.participantId}/edit`;

    const form = await admin.get(edit);
    expect(form.status).to.equal(200);
    expect(form.text).to.include('Cette personne a déjà 1 badge.').and.include('value="Helene Durnad"');
    // The new copy's validFrom must be later than the first one's, to the second (OB 3.0 §10):
    // correcting within the second of issuing would date it a moment ahead.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const saved = await admin.post(`/c/ariege/participants/${record.participantId}`, { name: '  Hélène   Durand ', email: 'Helene@Example.org' });
    expect(saved.status).to.equal(303);
    const atelier = await admin.get(saved.headers.get('location')!);
    expect(atelier.text).to.include('Correction enregistrée. 1 badge signé à nouveau avec la correction.');
    expect(atelier.text).to.include('Hélène Durand');

    const after = await stored(credentialId);
    expect(after.id).to.equal(before.id);
    expect(after.credentialSubject.name).to.equal('Hélène Durand');
    expect(Date.parse(after.validFrom!)).to.be.greaterThan(Date.parse(before.validFrom!));
    expect(after.awardedDate).to.equal(before.awardedDate);
    expect(after.credentialStatus).to.deep.equal(before.credentialStatus);
    const identity = (after.credentialSubject.identifier as IdentityObject[])[0]!;
    expect(identityMatches(identity, 'helene@example.org')).to.equal(true);
    expect(identityMatches(identity, 'helene@exemple.org')).to.equal(false);
    expect((await app.ctx.store.credentials.byId(credentialId))!.recipientName).to.equal('Hélène Durand');

    const page = await fetch(`${app.url}/credentials/${credentialId}`).then((r) => r.text());
    expect(page).to.include('Hélène Durand').and.not.include('Durnad');
    const report = await fetch(`${app.url}/api/v1/verify`, { method: 'POST', body: JSON.stringify(after) }).then((r) => r.json()) as { verdict: string };
    expect(report.verdict).to.equal('valid');
    // The copy she had already downloaded still verifies: a signed badge is replaced, not changed.
    const old = await fetch(`${app.url}/api/v1/verify`, { method: 'POST', body: JSON.stringify(before) }).then((r) => r.json()) as { verdict: string };
    expect(old.verdict).to.equal('valid');

    // Saving again without a change signs nothing.
    const again = await admin.post(`/c/ariege/participants/${record.participantId}`, { name: 'Hélène Durand', email: 'helene@example.org' });
    expect(again.headers.get('location')).to.include('corrected=0');
    expect((await stored(credentialId)).validFrom).to.equal(after.validFrom);
  });

  it('leaves a revoked badge as it was, and refuses an invalid correction without changing anything', async () => {
    const { collective, scope, credentialId } = await issueToEmail(app.ctx, 'ariege', 'Paul Marten', 'paul@example.org');
    await changeStatus(app.ctx, scope, credentialId, 'revoke', 'erreur');
    const record = (await app.ctx.store.credentials.byId(credentialId))!;
    const bad = await admin.post(`/c/ariege/participants/${record.participantId}`, { name: '', email: 'pas une adresse' });
    expect(bad.status).to.equal(400);
    expect(bad.text).to.include('Corriger le nom');
    expect((await app.ctx.store.ateliers.participant(collective.id, record.participantId!))!.name).to.equal('Paul Marten');
    const saved = await admin.post(`/c/ariege/participants/${record.participantId}`, { name: 'Paul Martin', email: 'paul@example.org' });
    const atelier = await admin.get(saved.headers.get('location')!);
    expect(atelier.text).to.include('1 badge révoqué ou expiré garde l’ancienne version.');
    expect((await stored(credentialId)).credentialSubject.name).to.equal('Paul Marten');
  });
});
