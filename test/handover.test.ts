// The end of a 20-person atelier, as a facilitator runs it: every card on one print page (each QR
// code decoding to its own claim link), the links mailed to everyone with an address in one action,
// who has opened hers, the short code typed from a card (and its rate limit), and a mistaken batch
// withdrawn as a batch — after which the learner's page says so first, with no congratulations.
import { expect } from 'chai';
import jsQRPackage from 'jsqr';
import sharp from 'sharp';
import type { Browser, Page } from 'playwright-core';
import { addParticipant, createAtelier } from '../src/ateliers/ateliers.js';
import { copyStarterBadge } from '../src/badge-classes/achievements.js';
import { authorize, createCollective } from '../src/collectives/collectives.js';
import { formatDate, translate, translateForPage } from '../src/i18n/index.js';
import { findBatch, startIssuing } from '../src/issuing/issuing.js';
import { ADMIN, WebClient, joinCollective, startTestApp, type TestApp } from './helpers/app.js';
import { checkLabels, fitsPhone, launchBrowser, adminOnPhone } from './helpers/browser.js';

// jsqr is CommonJS with a `default` member: what its typings describe.
const jsQR = jsQRPackage.default;

const GROUP = 20;
const WITH_EMAIL = 14;

/** The text a QR code (an SVG data URL, as the pages embed it) says. */
async function readQr(dataUrl: string): Promise<string | undefined> {
  const svg = Buffer.from(dataUrl.replace(/&#x3D;/g, '=').split(',')[1]!, 'base64');
  const { data, info } = await sharp(svg, { density: 300 }).resize(400, 400).flatten({ background: '#ffffff' }).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return jsQR(new Uint8ClampedArray(data), info.width, info.height)?.data;
}

const cardsIn = (html: string) => [...html.matchAll(/<article class="claim-card sheet-card"[^>]*data-claim-url="([^"]+)"[\s\S]*?<img class="qr" src="([^"]+)"[\s\S]*?<strong class="claim-card-code">([^<]+)<\/strong>/g)]
  .map((m) => ({ url: m[1]!, qr: m[2]!, code: m[3]! }));

describe('handing badges over to a group of twenty', function () {
  this.timeout(180_000);
  let app: TestApp;
  let admin: WebClient;
  let atelierPath: string;
  let batchId: string;

  before(async () => {
    app = await startTestApp();
    const account = (await app.ctx.store.accounts.byEmail(ADMIN.email))!;
    await createCollective(app.ctx, account, { slug: 'ariege', name: 'Badgeons l’Ariège' });
    const scope = await authorize(app.ctx, account, 'ariege', 'admin');
    const version = await copyStarterBadge(app.ctx, scope, 'ecoute');
    const atelier = await createAtelier(app.ctx, scope, { title: 'Atelier du jeudi', date: '2026-11-26', badgeClassIds: [version.badgeClassId] });
    const ids: string[] = [];
    for (let i = 0; i < GROUP; i++) {
      const p = await addParticipant(app.ctx, scope, atelier.id, { name: `Personne ${String(i + 1).padStart(2, '0')}`, ...(i < WITH_EMAIL ? { email: `p${i + 1}@example.org` } : {}), consent: true });
      ids.push(p.id);
    }
    const batch = await startIssuing(app.ctx, scope, atelier.id, { badgeClassId: version.badgeClassId, participantIds: ids, reflections: {}, reissue: false });
    batchId = batch.id;
    for (let i = 0; i < 600 && (await findBatch(app.ctx, scope, batch.id)).state === 'running'; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await findBatch(app.ctx, scope, batch.id)).to.include({ state: 'finished', done: GROUP });
    atelierPath = `/c/ariege/ateliers/${atelier.id}`;
    admin = new WebClient(app.url);
    await admin.login();
  });
  after(async () => { await app?.close(); });

  it('prints every card on one page: each with its name, picture, code and a QR code that opens its own claim link', async () => {
    const page = await admin.get(`${atelierPath}/cards`);
    expect(page.status).to.equal(200);
    expect(page.headers.get('cache-control')).to.equal('no-store');
    const cards = cardsIn(page.text);
    expect(cards).to.have.length(GROUP);
    expect(new Set(cards.map((c) => c.url)).size, 'one link per person').to.equal(GROUP);
    expect(new Set(cards.map((c) => c.code)).size, 'one code per person').to.equal(GROUP);
    for (const card of cards) {
      expect(await readQr(card.qr), card.url).to.equal(card.url);
      expect(card.code).to.match(/^BDG-[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
    }
    for (let i = 1; i <= GROUP; i++) expect(page.text).to.include(`Personne ${String(i).padStart(2, '0')}`);
    expect(page.text).to.include('class="claim-card-picture"').and.include(translateForPage('fr', 'claim.cardOn', { date: formatDate('fr', '2026-11-26') }));
    const without = cardsIn((await admin.get(`${atelierPath}/cards?without=email`)).text);
    expect(without).to.have.length(GROUP - WITH_EMAIL);
  });

  it('sends each person with an email her link in one action; every message is in the outbox', async () => {
    await admin.get(atelierPath);
    const sent = await admin.post(`${atelierPath}/send-all`, {});
    expect(sent.status).to.equal(200);
    expect(sent.text).to.include(translateForPage('fr', 'sent.summary', { sent: WITH_EMAIL, count: WITH_EMAIL }));
    expect(sent.text).to.include(translateForPage('fr', 'sent.withoutEmail', { count: GROUP - WITH_EMAIL }));
    const outbox = (await admin.get('/c/ariege/outbox')).text;
    for (let i = 1; i <= WITH_EMAIL; i++) expect(outbox).to.include(`p${i}@example.org`);
    expect(outbox).not.to.include(`p${WITH_EMAIL + 1}@example.org`);
  });

  it('counts who opened her badge, and a typed code opens the same page; codes cannot be walked through', async () => {
    const before = await admin.get(atelierPath);
    expect(before.text).to.include(translateForPage('fr', 'pickup.count', { opened: 0, count: GROUP }));
    const [first] = cardsIn((await admin.get(`${atelierPath}/cards`)).text);
    const learner = new WebClient(app.url);
    await learner.get('/code');
    const opened = await learner.post('/code', { code: ` ${first!.code.toLowerCase().replace(/-/g, '')} ` });
    expect(opened.status).to.equal(303);
    expect(`${app.url}${opened.headers.get('location')}`).to.equal(first!.url);
    expect((await learner.get(first!.url.slice(app.url.length))).status).to.equal(200);
    const after = await admin.get(atelierPath);
    expect(after.text).to.include(translateForPage('fr', 'pickup.count', { opened: 1, count: GROUP }));
    expect(after.text).to.include('pickup-opened');

    // Counted per address and per minute (a fixed window): start well inside a minute.
    if (Date.now() % 60_000 > 45_000) await new Promise((r) => setTimeout(r, 60_000 - (Date.now() % 60_000) + 200));
    const guesser = new WebClient(app.url);
    await guesser.get('/code');
    const answers: number[] = [];
    for (let i = 0; i < 12; i++) answers.push((await guesser.post('/code', { code: `BDG-${String(i).padStart(5, '0')}-00000` })).status);
    const limited = answers.indexOf(429);
    expect(limited, answers.join(',')).to.be.within(1, 10);
    expect(answers.slice(0, limited).every((s) => s === 404) && answers.slice(limited).every((s) => s === 429), answers.join(',')).to.equal(true);
    const right = await guesser.post('/code', { code: first!.code });
    expect(right.status, 'once limited, even the right code waits').to.equal(429);
    expect(Number(right.headers.get('retry-after'))).to.be.within(1, 60);
  });

  it('withdraws a batch only when confirmed, and never a running one', async () => {
    await admin.get(`/c/ariege/jobs/${batchId}`);
    const unconfirmed = await admin.post(`/c/ariege/jobs/${batchId}/withdraw`, { reason: 'oups' });
    expect(unconfirmed.status).to.equal(400);
    expect(unconfirmed.text).to.include(translateForPage('fr', 'error.CONFIRM_NEEDED'));
    const stranger = new WebClient(app.url);
    await stranger.get('/login');
    expect((await stranger.post(`/c/ariege/jobs/${batchId}/withdraw`, { confirm: 'yes' })).status, 'signed out').to.equal(401);
    // The admin of another collective reaches none of the group actions.
    const account = (await app.ctx.store.accounts.byEmail(ADMIN.email))!;
    await createCollective(app.ctx, account, { slug: 'ailleurs', name: 'Ailleurs' });
    const other = await joinCollective(app, 'ailleurs', { email: 'admin-b@example.org', name: 'Admin B', role: 'admin' });
    await other.get('/dashboard');
    expect((await other.get(`${atelierPath}/cards`)).status).to.equal(403);
    expect((await other.post(`${atelierPath}/send-all`, {})).status).to.equal(403);
    expect((await other.post(`/c/ariege/jobs/${batchId}/withdraw`, { confirm: 'yes', reason: 'x' })).status).to.equal(403);
    expect((await other.post(`/c/ailleurs/jobs/${batchId}/withdraw`, { confirm: 'yes', reason: 'x' })).status, 'its own collective: not its batch').to.equal(404);
    expect((await admin.get(atelierPath)).text).not.to.include('pickup-revoked');
  });

  describe('on a phone', () => {
    let browser: Browser;
    let page: Page;
    before(async () => {
      browser = await launchBrowser();
      page = await adminOnPhone(browser, app.url, ADMIN);
    });
    after(async () => { await browser?.close(); });

    it('the atelier page and the print page fit a 360 px screen and pass axe', async () => {
      await page.goto(`${app.url}${atelierPath}`);
      await page.getByRole('heading', { name: translate('fr', 'atelier.handOver') }).waitFor();
      await checkLabels(page);
      await page.getByRole('link', { name: translate('fr', 'handover.printAll') }).click();
      await page.getByRole('button', { name: translate('fr', 'cards.print') }).waitFor();
      expect(await page.locator('article.sheet-card').count()).to.equal(GROUP);
      await checkLabels(page);
      await page.goto(`${app.url}/code`);
      await checkLabels(page);
    });

    it('a mistaken batch is withdrawn as a batch, after a confirmation; the learner’s page then says so first, with nothing to share', async () => {
      const [card] = cardsIn((await admin.get(`${atelierPath}/cards`)).text);
      await page.goto(`${app.url}/c/ariege/jobs/${batchId}`);
      await page.getByText(translate('fr', 'batch.withdrawTitle')).click();
      await page.getByLabel(translate('fr', 'credential.reason')).fill('Mauvais badge choisi');
      await checkLabels(page);
      await page.getByLabel(translate('fr', 'batch.withdrawConfirm', { count: GROUP })).check();
      await page.getByRole('button', { name: translate('fr', 'batch.withdrawButton') }).click();
      await page.getByText(translate('fr', 'batch.withdrawn', { count: GROUP })).waitFor();

      await page.goto(card!.url);
      await page.getByText(translate('fr', 'claim.revokedFirst', { issuer: 'Badgeons l’Ariège' })).waitFor();
      const text = await page.locator('main').innerText();
      expect(text).not.to.include('Bravo');
      expect(await page.getByRole('link', { name: 'Ajouter à mon profil LinkedIn' }).count()).to.equal(0);
      expect(await page.getByRole('button', { name: 'Ajouter à mon portefeuille' }).count()).to.equal(0);
      await checkLabels(page);
      await fitsPhone(page);
      expect((await admin.get(`${atelierPath}/cards`)).text, 'nothing left to hand over').to.include(translateForPage('fr', 'cards.none'));
    });
  });
});
