// A participant asks for her badge in her own words (issue 18 §4): from the atelier's code or QR
// link, on her phone, no account; the facilitator asks for more, she rewrites, the facilitator
// accepts and the badge is issued with her words as evidence; another request is declined kindly.
import { expect } from 'chai';
import sharp from 'sharp';
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

  it('takes a photo from her phone as evidence: upright, smaller, without where it was taken; public only once in her badge, gone with her data', async () => {
    const learner = new WebClient(app.url);
    const askPath = new URL(askUrl).pathname;
    await learner.get(askPath);
    const fields = { badge: badgeClassId, name: 'Inès Roche', email: 'ines@example.org', reflection: 'J’ai monté le panneau avec le groupe.', consent: 'yes' };
    const photoFile = (bytes: Buffer, name = 'IMG_20261127_101500.jpg', type = 'image/jpeg') => ({ field: 'photo', name, type, bytes });

    // What a phone's camera writes: 4032 × 3024, turned by its EXIF tag, with the phone's name and where it was.
    const [w, h] = [4032, 3024];
    const raw = Buffer.alloc(w * h * 3);
    for (let i = 0; i < raw.length; i++) raw[i] = (i * 7) & 255;
    const camera = await sharp(raw, { raw: { width: w, height: h, channels: 3 } }).jpeg({ quality: 90 })
      .withExif({ IFD0: { Make: 'PhoneCo', Model: 'Cheap 3' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '42/1 58/1 0/1' } }).withMetadata({ orientation: 6 }).toBuffer();
    expect((await sharp(camera).metadata()).orientation).to.equal(6);

    // Unreadable (an HEIC this server cannot decode) or too big: a clear message, her words kept, nothing saved.
    const before = (await admin.get(requestsPath)).text.match(/id="request-/g)?.length ?? 0;
    const heic = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic'), Buffer.alloc(4096, 7)]);
    const unreadable = await learner.postMultipart(askPath, fields, photoFile(heic, 'IMG_0001.HEIC', 'image/heic'));
    expect(unreadable.status).to.equal(415);
    expect(unreadable.text).to.include(translateForPage('fr', 'error.PHOTO_UNREADABLE')).and.include('J’ai monté le panneau avec le groupe.');
    const huge = await learner.postMultipart(askPath, fields, photoFile(Buffer.alloc(16 * 1024 * 1024, 1)));
    expect(huge.status).to.equal(413);
    expect(huge.text).to.include(translateForPage('fr', 'error.PHOTO_TOO_LARGE', { max: 15 })).and.include('Inès Roche');
    expect((await admin.get(requestsPath)).text.match(/id="request-/g)?.length ?? 0, 'nothing saved').to.equal(before);
    expect((await new WebClient(app.url).postMultipart(askPath, fields, photoFile(camera), { csrf: false })).status, 'CSRF holds for the upload too').to.equal(403);

    const sent = await learner.postMultipart(askPath, fields, photoFile(camera));
    expect(sent.status).to.equal(303);
    const mine = sent.headers.get('location')!;
    const own = await learner.get(`${mine}/photo`);
    expect(own.status).to.equal(200);
    const kept = Buffer.from(own.bytes);
    const meta = await sharp(kept).metadata();
    expect({ format: meta.format, width: meta.width, height: meta.height, exif: meta.exif }, 'upright, 1,600 px at most, no EXIF at all')
      .to.deep.equal({ format: 'jpeg', width: 1200, height: 1600, exif: undefined });
    expect(kept.includes(Buffer.from('PhoneCo'))).to.equal(false);

    const list = await admin.get(requestsPath);
    const id = [...list.text.matchAll(/id="request-([\w-]{22})"/g)].map((m) => m[1]!).pop()!;
    const seen = await admin.get(`${requestsPath}/${id}/photo`);
    expect(seen.status).to.equal(200);
    expect(Buffer.from(seen.bytes).equals(kept), 'the facilitator sees her photo').to.equal(true);
    const account = (await app.ctx.store.accounts.byEmail(ADMIN.email))!;
    const pending = (await app.ctx.store.badgeRequests.byId((await authorize(app.ctx, account, 'ariege', 'admin')).collective.id, id))!;
    expect((await fetch(`${app.url}/evidence/${pending.photoId}`)).status, 'not public before it is in her badge').to.equal(404);

    expect((await admin.post(`${requestsPath}/${id}`, { action: 'accept' })).status).to.equal(200);
    const [record] = await app.ctx.store.credentials.forEmail('ines@example.org');
    const badge = JSON.parse(record!.json!) as OpenBadgeCredential;
    const photoEvidence = badge.evidence?.find((e) => e.genre === 'Photo');
    expect(photoEvidence).to.include({ id: `${app.url}/evidence/${pending.photoId}`, name: 'Photo' });
    expect((await verifyBadge(app.ctx, record!.json!, 'fr')).report.verdict).to.equal('valid');
    const publicPhoto = await fetch(photoEvidence!.id!);
    expect([publicPhoto.status, publicPhoto.headers.get('content-type')]).to.deep.equal([200, 'image/jpeg']);
    expect(Buffer.from(await publicPhoto.arrayBuffer()).equals(kept)).to.equal(true);
    const page = await (await fetch(`${app.url}/credentials/${record!.id}`, { headers: { accept: 'text/html' } })).text();
    expect(page, 'her badge’s page shows it').to.include(`<img class="evidence-photo" src="/evidence/${pending.photoId}"`);

    // Her erasure takes the photo with her request: the address in copies of her badge answers 404.
    const claim = /<a class="button big" href="([^"]+)">/.exec((await learner.get(mine)).text)![1]!;
    const claimPath = new URL(claim).pathname;
    await learner.get(claimPath);
    expect((await learner.post(`${claimPath}/erase`, { confirm: 'yes' })).status).to.equal(200);
    expect((await fetch(photoEvidence!.id!)).status).to.equal(404);
    expect((await app.ctx.store.badgeRequests.byId(record!.collectiveId, id)), 'her request is gone').to.equal(undefined);
  });

  it('a declined request loses its photo; another collective never sees it', async () => {
    const learner = new WebClient(app.url);
    const askPath = new URL(askUrl).pathname;
    await learner.get(askPath);
    const png = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#3a7' } }).png().toBuffer();
    const sent = await learner.postMultipart(askPath, { badge: badgeClassId, name: 'Léa Petit', reflection: 'J’ai fait une capture.', consent: 'yes' },
      { field: 'photo', name: 'Capture.png', type: 'image/png', bytes: png });
    expect(sent.status).to.equal(303);
    const ids = [...(await admin.get(requestsPath)).text.matchAll(/id="request-([\w-]{22})"/g)].map((m) => m[1]!);
    const id = ids[ids.length - 1]!;
    expect((await admin.get(`${requestsPath}/${id}/photo`)).status).to.equal(200);
    const other = await joinCollective(app, 'ailleurs', { email: 'c@example.org', name: 'C', role: 'admin' });
    expect((await other.get(`${requestsPath}/${id}/photo`)).status).to.equal(403);
    expect((await other.get(`/c/ailleurs/ateliers/x/requests/${id}/photo`)).status, 'nor through its own address').to.equal(404);
    await admin.post(`${requestsPath}/${id}`, { action: 'declined', message: 'Revenez avec une photo de l’atelier.' });
    expect((await admin.get(`${requestsPath}/${id}/photo`)).status).to.equal(404);
    expect((await learner.get(`${sent.headers.get('location')!}/photo`)).status).to.equal(404);
  });

  describe('on a phone', () => {
    let browser: Browser;
    let page: Page;
    before(async () => {
      browser = await launchBrowser();
      page = await phonePage(browser);
    });
    after(async () => { await browser?.close(); });

    it('the request form, with a photo, and her page read well at 360 and 390 px and pass axe', async () => {
      await page.goto(askUrl);
      await page.getByRole('radio', { name: 'Écouter et accueillir' }).check();
      await page.getByLabel(translateForPage('fr', 'ask.words')).fill('J’ai écouté sans couper la parole.');
      const photo = await sharp({ create: { width: 1000, height: 750, channels: 3, background: '#c84' } }).jpeg().toBuffer();
      await page.getByLabel(translateForPage('fr', 'ask.photo')).setInputFiles({ name: 'IMG_0042.jpg', mimeType: 'image/jpeg', buffer: photo });
      await page.getByLabel(translateForPage('fr', 'ask.name')).fill('Lina Benali');
      await page.getByLabel(translateForPage('fr', 'ask.consent')).check();
      await checkLabels(page);
      await page.getByRole('button', { name: translateForPage('fr', 'ask.submit') }).click();
      await page.locator('#request-state').waitFor();
      const shown = page.getByRole('img', { name: translateForPage('fr', 'ask.yourPhoto') });
      const width = await shown.evaluate(async (element) => {
        const img = element as unknown as { decode(): Promise<void>; naturalWidth: number };
        await img.decode();
        return img.naturalWidth;
      });
      expect(width, 'her photo, shown back to her').to.equal(1000);
      await checkLabels(page);
    });
  });
});
