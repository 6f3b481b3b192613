// A participant asks for her badge in her own words (issue 18 §4): from the atelier's code or QR
// link, on her phone, no account; the facilitator asks for more, she rewrites, the facilitator
// accepts and the badge is issued with her words as evidence; another request is declined kindly.
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { createAtelier } from '../src/ateliers/ateliers.js';
import { copyStarterBadge, currentVersion, updateBadgeClass, type BadgeClassForm } from '../src/badge-classes/achievements.js';
import type { Scope } from '../src/collectives/collectives.js';
import { authorize, createCollective } from '../src/collectives/collectives.js';
import { translateForPage } from '../src/i18n/index.js';
import type { OpenBadgeCredential } from '../src/ob3/model.js';
import { verifyBadge } from '../src/verifier/verifying.js';
import { ADMIN, WebClient, joinCollective, startTestApp, type TestApp } from './helpers/app.js';
import { checkLabels, launchBrowser, phonePage } from './helpers/browser.js';

describe('asking for a badge in one’s own words', function () {
  this.timeout(120_000);
  let app: TestApp;
  let admin: WebClient;
  let requestsPath: string;
  let askUrl: string;
  let code: string;
  let badgeClassId: string;

  before(async () => {
    app = await startTestApp();
    const account = (await app.ctx.store.accounts.byEmail(ADMIN.email))!;
    await createCollective(app.ctx, account, { slug: 'ariege', name: 'Badgeons l’Ariège' });
    const scope = await authorize(app.ctx, account, 'ariege', 'admin');
    badgeClassId = (await copyStarterBadge(app.ctx, scope, 'ecoute')).badgeClassId;
    // The badge class asks its own guiding questions (a new version of it).
    await updateBadgeClass(app.ctx, scope, badgeClassId, { ...(await currentForm(scope)), questions: 'Qui avez-vous accueilli ?\nComment l’avez-vous mis à l’aise ?' }, undefined);
    const atelier = await createAtelier(app.ctx, scope, { title: 'Atelier du vendredi', date: '2026-11-27', badgeClassIds: [badgeClassId] });
    requestsPath = `/c/ariege/ateliers/${atelier.id}/requests`;
    admin = new WebClient(app.url);
    await admin.login();
    const page = await admin.get(requestsPath);
    expect(page.status).to.equal(200);
    askUrl = /<p class="claim-card-url" id="request-url">([^<]+)<\/p>/.exec(page.text)![1]!;
    code = /<strong class="claim-card-code" id="request-code">([^<]+)<\/strong>/.exec(page.text)![1]!;
    expect(page.text).to.include('<img class="qr" src="data:image/svg+xml;base64,');
  });
  after(async () => { await app?.close(); });

  const follow = async (client: WebClient, path: string) => (await client.get(path)).text;

  /** The badge class's current version as its edit form holds it. */
  async function currentForm(scope: Scope): Promise<Partial<BadgeClassForm>> {
    const v = await currentVersion(app.ctx, scope, badgeClassId);
    return { ...v, tags: v.tags.join(', '), validityDays: '', questions: '' };
  }

  it('from the code to her request, with her consent; then a question, her new words, and her badge with her words in it', async () => {
    const learner = new WebClient(app.url);
    await learner.get('/code');
    const opened = await learner.post('/code', { code: code.toLowerCase() });
    expect(opened.status).to.equal(303);
    expect(`${app.url}${opened.headers.get('location')}`).to.equal(askUrl);
    const askPath = new URL(askUrl).pathname;
    const form = await learner.get(askPath);
    expect(form.headers.get('cache-control')).to.equal('no-store');
    expect(form.text).to.include('<li>Qui avez-vous accueilli ?</li>').and.include('<li>Comment l’avez-vous mis à l’aise ?</li>');
    const fields = { badge: badgeClassId, name: 'Awa Diallo', email: 'awa@example.org', reflection: 'J’ai accueilli deux nouvelles.' };
    const noConsent = await learner.post(askPath, fields);
    expect(noConsent.status).to.equal(400);
    expect(noConsent.text).to.include(translateForPage('fr', 'error.REQUEST_CONSENT_NEEDED'));
    const sent = await learner.post(askPath, { ...fields, consent: 'yes', gender: 'woman', age: '23', situation: 'mission-locale', commune: 'Pamiers' });
    expect(sent.status).to.equal(303);
    const mine = sent.headers.get('location')!;
    expect(await follow(learner, mine)).to.include(translateForPage('fr', 'ask.state.pending', { badge: 'Écouter et accueillir' }));

    const list = await admin.get(requestsPath);
    const id = /id="request-([\w-]{22})"/.exec(list.text)![1]!;
    expect(list.text).to.include('J’ai accueilli deux nouvelles.');
    const asked = await admin.post(`${requestsPath}/${id}`, { action: 'more', message: 'Qu’avez-vous dit pour les mettre à l’aise ?' });
    expect(asked.status).to.equal(200);
    const question = await follow(learner, mine);
    expect(question).to.include('Qu’avez-vous dit pour les mettre à l’aise ?');
    const rewritten = await learner.post(mine, { reflection: 'J’ai accueilli deux nouvelles et je leur ai présenté le groupe, chacune par son prénom.' });
    expect(rewritten.status).to.equal(303);

    const accepted = await admin.post(`${requestsPath}/${id}`, { action: 'accept' });
    expect(accepted.status).to.equal(200);
    expect(accepted.text).to.include(translateForPage('fr', 'requests.accepted'));
    expect((await admin.post(`${requestsPath}/${id}`, { action: 'accept' })).status, 'twice: one badge').to.equal(409);
    const done = await follow(learner, mine);
    expect(done).to.include(translateForPage('fr', 'ask.state.accepted', { badge: 'Écouter et accueillir' }));
    const claim = /<a class="button big" href="([^"]+)">/.exec(done)![1]!;
    expect((await fetch(claim)).status).to.equal(200);

    const [record] = await app.ctx.store.credentials.forEmail('awa@example.org');
    const badge = JSON.parse(record!.json!) as OpenBadgeCredential;
    expect(badge.evidence?.[0]).to.include({ narrative: 'J’ai accueilli deux nouvelles et je leur ai présenté le groupe, chacune par son prénom.' });
    expect((await verifyBadge(app.ctx, record!.json!, 'fr')).report.verdict).to.equal('valid');
    const joined = (await app.ctx.store.credentials.byId(record!.id))!.participantId!;
    expect(joined, 'she joined the atelier’s list').to.be.a('string');
    expect((await app.ctx.store.ateliers.participant(record!.collectiveId, joined))!.facts, 'with the facts she gave, for the report only')
      .to.deep.equal({ gender: 'woman', ageBand: '16-25', situation: 'mission-locale', commune: '09225', qpv: null });

    // Erasing her data from her badge's page erases her request (her name, her words) too.
    const claimPath = new URL(claim).pathname;
    await learner.get(claimPath);
    expect((await learner.post(`${claimPath}/erase`, { confirm: 'yes' })).status).to.equal(200);
    expect((await learner.get(mine)).status).to.equal(410);
  });

  it('declines kindly; nobody else answers; a wrong link is gone', async () => {
    const learner = new WebClient(app.url);
    const askPath = new URL(askUrl).pathname;
    await learner.get(askPath);
    const sent = await learner.post(askPath, { badge: badgeClassId, name: 'Paul Martin', reflection: 'J’étais là.', consent: 'yes' });
    const mine = sent.headers.get('location')!;
    const list = await admin.get(requestsPath);
    const ids = [...list.text.matchAll(/id="request-([\w-]{22})"/g)].map((m) => m[1]!);
    const id = ids[ids.length - 1]!;

    const account = (await app.ctx.store.accounts.byEmail(ADMIN.email))!;
    await createCollective(app.ctx, account, { slug: 'ailleurs', name: 'Ailleurs' });
    const other = await joinCollective(app, 'ailleurs', { email: 'b@example.org', name: 'B', role: 'admin' });
    await other.get('/dashboard');
    expect((await other.post(`${requestsPath}/${id}`, { action: 'accept' })).status).to.equal(403);
    expect((await other.get(requestsPath)).status).to.equal(403);

    const noMessage = await admin.post(`${requestsPath}/${id}`, { action: 'declined', message: '' });
    expect(noMessage.status).to.equal(400);
    await admin.post(`${requestsPath}/${id}`, { action: 'declined', message: 'Revenez au prochain atelier : on en reparlera ensemble.' });
    const answer = await follow(learner, mine);
    expect(answer).to.include(translateForPage('fr', 'ask.state.declined', { badge: 'Écouter et accueillir' })).and.include('Revenez au prochain atelier');
    expect((await learner.get('/ask/mine/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).status).to.equal(410);
    expect((await learner.get('/ask/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).status).to.equal(410);
  });

  describe('on a phone', () => {
    let browser: Browser;
    let page: Page;
    before(async () => {
      browser = await launchBrowser();
      page = await phonePage(browser);
    });
    after(async () => { await browser?.close(); });

    it('the request form and her page read well at 360 and 390 px and pass axe', async () => {
      await page.goto(askUrl);
      await page.getByRole('radio', { name: 'Écouter et accueillir' }).check();
      await page.getByLabel(translateForPage('fr', 'ask.words')).fill('J’ai écouté sans couper la parole.');
      await page.getByLabel(translateForPage('fr', 'ask.name')).fill('Lina Benali');
      await page.getByLabel(translateForPage('fr', 'ask.consent')).check();
      await checkLabels(page);
      await page.getByRole('button', { name: translateForPage('fr', 'ask.submit') }).click();
      await page.locator('#request-state').waitFor();
      await checkLabels(page);
    });
  });
});
