// Recognition in the network (issue 18): a collective invites a partner by a link; the partner, with
// no account before, makes its page and endorses a badge class; the endorsement has its own address,
// travels inside the badges issued after it, is verified by our verifier and by plain
// @digitalbazaar/vc; the badge page and the verifier say who recognises the badge; withdrawn, the
// endorsement shows as withdrawn while the badge stays valid.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { copyStarterBadge } from '../src/badge-classes/achievements.js';
import { authorize, createCollective } from '../src/collectives/collectives.js';
import { translateForPage } from '../src/i18n/index.js';
import type { JsonObject, OpenBadgeCredential } from '../src/ob3/model.js';
import { verifyBadge } from '../src/verifier/verifying.js';
import { claimLinkFor } from '../src/learners/claims.js';
import { ADMIN, WebClient, startTestApp, type TestApp } from './helpers/app.js';
import { checkLabels, launchBrowser, phonePage } from './helpers/browser.js';
import { issueToEmail } from './helpers/learner.js';

const INDEPENDENT = path.resolve(path.dirname(new URL(import.meta.url).pathname), 'helpers/independent-verify.js');

/** Plain @digitalbazaar/vc and the official schema, in their own process, with the did:web documents given. */
function verifyIndependently(credential: unknown, didFile: string): Promise<{ vc: boolean; schema: boolean; errors: string[] }> {
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, [INDEPENDENT], { env: { ...process.env, DID_DOCUMENTS: didFile } }, (error, stdout) => (error ? reject(error) : resolve(JSON.parse(stdout))));
    child.stdin!.end(JSON.stringify(credential));
  });
}

/** The collectives' did:web documents, fetched from the app and written where the independent verifier reads them. */
async function didDocuments(app: TestApp, slugs: string[]): Promise<string> {
  const dids = Object.fromEntries(await Promise.all(slugs.map(async (slug) => {
    const doc = (await fetch(`${app.url}/issuers/${slug}/did.json`).then((r) => r.json())) as { id: string };
    return [doc.id, doc] as const;
  })));
  const file = path.join(app.dir, 'dids.json');
  writeFileSync(file, JSON.stringify(dids));
  return file;
}

describe('partners and endorsements', function () {
  this.timeout(120_000);
  let app: TestApp;
  let admin: WebClient;
  let partner: WebClient;
  let versionId: string;
  let partnerSlug: string;
  let endorsementPath: string;

  before(async () => {
    app = await startTestApp();
    const account = (await app.ctx.store.accounts.byEmail(ADMIN.email))!;
    await createCollective(app.ctx, account, { slug: 'ariege', name: 'Badgeons l’Ariège' });
    versionId = (await copyStarterBadge(app.ctx, await authorize(app.ctx, account, 'ariege', 'admin'), 'ecoute')).id;
    admin = new WebClient(app.url);
    await admin.login();
  });
  after(async () => { await app?.close(); });

  it('invites a partner by a link; the partner, with no account, makes its page (once)', async () => {
    await admin.get('/c/ariege/endorsements');
    const made = await admin.post('/c/ariege/partners', { name: 'Enedis Landes', email: 'rh@enedis.example' });
    expect(made.status).to.equal(200);
    expect(made.headers.get('cache-control')).to.equal('no-store');
    const link = /id="partner-link" type="text" readonly value="([^"]+)"/.exec(made.text)![1]!;
    const joinPath = new URL(link).pathname;
    partner = new WebClient(app.url);
    const form = await partner.get(joinPath);
    expect(form.status).to.equal(200);
    expect(form.text).to.include('value="Enedis Landes"').and.include('rh@enedis.example');
    const tooShort = await partner.post(joinPath, { name: 'Enedis Landes', person: 'Rita Hernandez', password: 'court' });
    expect(tooShort.status, 'a mistake costs nothing: the link still works').to.equal(400);
    const joined = await partner.post(joinPath, { name: 'Enedis Landes', town: 'Mont-de-Marsan', person: 'Rita Hernandez', password: 'un mot de passe solide' });
    expect(joined.status).to.equal(303);
    partnerSlug = joined.headers.get('location')!.split('/')[2]!;
    expect(partnerSlug).to.equal('enedis-landes');
    const created = (await app.ctx.store.collectives.bySlug(partnerSlug))!;
    expect(created.kind).to.equal('partner');
    expect((await fetch(`${app.url}/issuers/${partnerSlug}/did.json`)).status, 'hosted like a collective').to.equal(200);
    expect((await new WebClient(app.url).get(joinPath)).status, 'a link works once').to.equal(410);
    expect((await admin.get('/c/ariege/endorsements')).text).to.include('Enedis Landes').and.include(translateForPage('fr', 'partners.joined'));
  });

  it('the partner endorses the badge class; the endorsement is published, signed, and verifies with other software', async () => {
    const page = await partner.get(`/achievements/${versionId}`);
    expect(page.text).to.include(`<option value="${partnerSlug}">Enedis Landes</option>`);
    const endorsed = await partner.post(`/achievements/${versionId}/endorse`, { as: partnerSlug, comment: 'Nous recrutons sur cette compétence.' });
    expect(endorsed.status).to.equal(303);
    endorsementPath = endorsed.headers.get('location')!;
    const shown = await partner.get(endorsementPath);
    expect(shown.text).to.include('Nous recrutons sur cette compétence.').and.include(translateForPage('fr', 'endorsement.standing'));
    const json = (await fetch(`${app.url}${endorsementPath}.json`).then((r) => r.json())) as OpenBadgeCredential & { credentialSubject: JsonObject };
    expect(json.type).to.deep.equal(['VerifiableCredential', 'EndorsementCredential']);
    expect(json.credentialSubject).to.include({ id: `${app.url}/achievements/${versionId}`, endorsementComment: 'Nous recrutons sur cette compétence.' });
    expect((await verifyBadge(app.ctx, JSON.stringify(json), 'fr')).report.verdict, 'our verifier').to.equal('valid');

    const didFile = await didDocuments(app, ['ariege', partnerSlug]);
    const independent = await verifyIndependently(json, didFile);
    expect(independent, independent.errors.join('; ')).to.include({ vc: true, schema: true });

    const own = await admin.post(`/achievements/${versionId}/endorse`, { as: 'ariege', comment: 'Nous aussi.' });
    expect(own.status, 'a collective does not endorse its own badges').to.equal(400);
    const stranger = await new WebClient(app.url).post(`/achievements/${versionId}/endorse`, { as: partnerSlug, comment: 'x' });
    expect(stranger.status).to.be.oneOf([401, 403]);
    expect((await partner.post(`/achievements/${versionId}/endorse`, { as: 'ariege', comment: 'Au nom d’un autre' })).status, 'only for an organisation one administers').to.equal(403);
  });

  it('travels inside the badges issued after it: the badge page, our verifier and plain @digitalbazaar/vc all see it', async () => {
    const { credentialId } = await issueToEmail(app.ctx, 'ariege', 'Inès Martin', 'ines@example.org');
    const badge = (await fetch(`${app.url}/credentials/${credentialId}.json`).then((r) => r.json())) as OpenBadgeCredential;
    const carried = badge.credentialSubject.achievement!.endorsement!;
    expect(carried).to.have.length(1);
    expect(carried[0]!.id).to.equal(`${app.url}${endorsementPath}`);

    // Accepted within the second it was issued: validFrom is one second on (strictly newer), within the clocks' leeway.
    const { report } = await verifyBadge(app.ctx, JSON.stringify(badge), 'fr');
    expect(report.verdict).to.equal('valid');
    expect(report.endorsements).to.have.length(1);
    expect(report.endorsements![0]).to.include({ on: 'achievement', verdict: 'valid', comment: 'Nous recrutons sur cette compétence.' });
    expect(report.endorsements![0]!.endorser.name).to.equal('Enedis Landes');

    const didFile = await didDocuments(app, ['ariege', partnerSlug]);
    const outer = await verifyIndependently(badge, didFile);
    expect(outer, outer.errors.join('; ')).to.include({ vc: true, schema: true });
    const inner = await verifyIndependently(carried[0], didFile);
    expect(inner, inner.errors.join('; ')).to.include({ vc: true, schema: true });

    const page = await admin.get(`/credentials/${credentialId}`);
    expect(page.text).to.include(translateForPage('fr', 'endorsed.by')).and.include('Enedis Landes');
    const verifier = await admin.get(`/verify?url=${encodeURIComponent(`${app.url}/credentials/${credentialId}`)}`);
    expect(verifier.text).to.include(translateForPage('fr', 'verify.endorsementsTitle')).and.include('Nous recrutons sur cette compétence.')
      .and.include(translateForPage('fr', 'verify.endorsementStands'));
  });

  it('withdrawn by the partner: shown as withdrawn everywhere, the badge still valid, later badges without it', async () => {
    const id = endorsementPath.split('/').pop()!;
    await partner.get(`/c/${partnerSlug}/endorsements`);
    expect((await admin.post(`/c/ariege/endorsements/${id}/withdraw`, {})).status, 'only its endorser withdraws it').to.equal(404);
    const withdrawn = await partner.post(`/c/${partnerSlug}/endorsements/${id}/withdraw`, {});
    expect(withdrawn.status).to.equal(200);
    expect(withdrawn.text).to.include(translateForPage('fr', 'endorsements.withdrawnDone'));
    expect((await partner.post(`/c/${partnerSlug}/endorsements/${id}/withdraw`, {})).status, 'twice').to.equal(409);

    const json = await fetch(`${app.url}${endorsementPath}.json`).then((r) => r.json());
    expect((await verifyBadge(app.ctx, JSON.stringify(json), 'fr')).report.verdict, 'the endorsement alone').to.equal('revoked');
    const [record] = await app.ctx.store.credentials.forEmail('ines@example.org');
    const { report } = await verifyBadge(app.ctx, record!.json!, 'fr');
    expect(report.verdict, 'the badge carrying it stays valid').to.equal('valid');
    expect(report.endorsements![0]!.verdict).to.equal('revoked');
    expect((await partner.get(endorsementPath)).text).to.include('a retiré cette recommandation');

    const { credentialId } = await issueToEmail(app.ctx, 'ariege', 'Zoé Lœuvre', 'zoe@example.org');
    const later = (await fetch(`${app.url}/credentials/${credentialId}.json`).then((r) => r.json())) as OpenBadgeCredential;
    expect(later.credentialSubject.achievement!.endorsement, 'not carried once withdrawn').to.equal(undefined);
  });

  it('endorses one person’s badge; it shows on her badge’s page, and is carried in her badge’s files, only once she accepts it', async () => {
    const account = (await app.ctx.store.accounts.byEmail(ADMIN.email))!;
    const { credentialId } = await issueToEmail(app.ctx, 'ariege', 'Sarah Cohen', 'sarah@example.org');
    const publicPage = `/credentials/${credentialId}`;
    expect((await partner.get(publicPage)).text).to.include(translateForPage('fr', 'endorse.credentialTitle'));
    const endorsed = await partner.post(`${publicPage}/endorse`, { as: partnerSlug, comment: 'Stage de trois semaines : accueil du public, très réussi.' });
    expect(endorsed.status).to.equal(303);
    const id = endorsed.headers.get('location')!.split('/').pop()!;
    expect((await fetch(`${app.url}${publicPage}`).then((r) => r.text())), 'not before she accepts').not.to.include('Stage de trois semaines');

    const { url } = await claimLinkFor(app.ctx, await authorize(app.ctx, account, 'ariege', 'admin'), credentialId);
    const learner = new WebClient(app.url);
    const claimPath = new URL(url).pathname;
    const claim = await learner.get(claimPath);
    expect(claim.text).to.include(translateForPage('fr', 'endorse.forYou')).and.include('Stage de trois semaines');
    expect((await learner.post(`${claimPath}/endorsements/${id}/accept`, {})).status).to.equal(303);
    expect((await learner.post(`${claimPath}/endorsements/${id}/accept`, {})).status, 'twice').to.equal(404);
    expect(await fetch(`${app.url}${publicPage}`).then((r) => r.text())).to.include('Stage de trois semaines').and.include('Enedis Landes');
    const json = await fetch(`${app.url}/endorsements/${id}.json`).then((r) => r.json()) as { id: string; credentialSubject: { id: string } };
    expect(json.credentialSubject.id).to.equal(`${app.url}${publicPage}`);
    expect((await verifyBadge(app.ctx, JSON.stringify(json), 'fr')).report.verdict).to.equal('valid');

    // Her badge now carries it (OB 3.0 AchievementCredential.endorsement), re-signed under the same id, in both forms.
    const badge = await fetch(`${app.url}${publicPage}.json`).then((r) => r.json()) as OpenBadgeCredential;
    expect(badge.id).to.equal(`${app.url}${publicPage}`);
    expect((badge.endorsement ?? []).map((e) => e.id)).to.deep.equal([json.id]);
    expect(Date.parse(badge.validFrom!), 'a newer validFrom supersedes the copy without it').to.be.greaterThan(Date.parse(badge.awardedDate!) - 1);
    // Accepted within the second it was issued: validFrom is one second on (strictly newer), within the clocks' leeway.
    const { report } = await verifyBadge(app.ctx, JSON.stringify(badge), 'fr');
    expect(report.verdict).to.equal('valid');
    expect(report.endorsements?.map((e) => [e.on, e.verdict, e.endorser.name])).to.deep.equal([['credential', 'valid', 'Enedis Landes']]);
    const jwt = await fetch(`${app.url}${publicPage}.jwt`).then((r) => r.text());
    const payload = JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as OpenBadgeCredential;
    expect((payload.endorsement ?? []).map((e) => e.id)).to.deep.equal([json.id]);
    expect((await verifyBadge(app.ctx, jwt, 'fr')).report.verdict).to.equal('valid');
    const independent = await verifyIndependently(badge, await didDocuments(app, ['ariege', partnerSlug]));
    expect(independent, 'plain @digitalbazaar/vc and the official schema accept it').to.deep.include({ vc: true, schema: true });
  });

  it('a partner endorses a collective too, from its public page', async () => {
    const endorsed = await partner.post('/issuers/ariege/endorse', { as: partnerSlug, comment: 'Un collectif sérieux, que nous connaissons bien.' });
    expect(endorsed.status).to.equal(303);
    const page = await partner.get('/issuers/ariege');
    expect(page.text).to.include('Un collectif sérieux, que nous connaissons bien.').and.include('Enedis Landes');
    const json = await fetch(`${app.url}${endorsed.headers.get('location')}.json`).then((r) => r.json()) as { credentialSubject: { id: string } };
    expect(json.credentialSubject.id).to.match(/^did:web:/);
  });

  describe('on a phone', () => {
    let browser: Browser;
    let page: Page;
    before(async () => {
      browser = await launchBrowser();
      page = await phonePage(browser);
    });
    after(async () => { await browser?.close(); });

    it('the join page, the endorsement page and the badge class page read well at 360 px and pass axe', async () => {
      const made = await admin.post('/c/ariege/partners', { name: 'Mission locale de l’Ariège', email: 'contact@ml09.example' });
      const link = /id="partner-link" type="text" readonly value="([^"]+)"/.exec(made.text)![1]!;
      await page.goto(link);
      await page.getByLabel(translateForPage('fr', 'join.person')).fill('Marc Dupuy');
      await page.getByLabel(/Choisissez un mot de passe/).fill('un mot de passe solide');
      await checkLabels(page);
      await page.getByRole('button', { name: translateForPage('fr', 'join.submit') }).click();
      await page.getByRole('heading', { name: translateForPage('fr', 'endorsements.title') }).waitFor();
      await page.goto(`${app.url}/achievements/${versionId}`);
      await page.getByText(translateForPage('fr', 'endorse.title')).click();
      await page.getByLabel(/Votre message/).fill('Nous accompagnons des jeunes sur cette compétence.');
      await checkLabels(page);
      await page.getByRole('button', { name: translateForPage('fr', 'endorse.submit') }).click();
      await page.getByText('Nous accompagnons des jeunes sur cette compétence.').waitFor();
      await checkLabels(page);
    });
  });
});
