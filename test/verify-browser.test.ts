// The public verifier in a real browser, as a recruiter uses it: 1EdTech's displayer cases
// (valid, expired, revoked; VC 2.0 and 1.1) from another issuer, uploaded as a baked PNG,
// pasted as JSON, and opened by URL; the page must give the right verdict and show the badge's
// name, issuer and dates — and nothing of a tampered badge.
import { expect } from 'chai';
import sharp from 'sharp';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { bakePng } from '../src/ob3/bake/png.js';
import { clearDocumentCache } from '../src/ob3/documents.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { checkLabels, launchBrowser, phonePage } from './helpers/browser.js';
import { DISPLAYER_ISSUER_NAME, publishDisplayerCases, type DisplayerBadge } from './helpers/displayer.js';
import { FIXTURES } from './helpers/fixtures.js';
import { startDocumentServer, type DocumentServer } from './helpers/server.js';

const VERDICTS = { valid: 'Badge authentique et valable.', expired: 'Badge authentique, mais expiré.', revoked: 'Badge révoqué.' };

describe('the /verify page in a browser', function () {
  this.timeout(120_000);
  let app: TestApp;
  let server: DocumentServer;
  let browser: Browser;
  let page: Page;
  let cases: DisplayerBadge[];

  before(async () => {
    clearDocumentCache();
    server = await startDocumentServer();
    cases = await publishDisplayerCases(server);
    app = await startTestApp({ BADGEONS_FETCH_ALLOW_HOSTS: new URL(server.origin).host });
    browser = await launchBrowser();
    page = await phonePage(browser);
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    await server?.close();
  });

  async function expectResult(c: DisplayerBadge, how: string): Promise<void> {
    const verdict = page.locator('[data-verdict]');
    await verdict.waitFor();
    const label = `${c.expect}, VC ${c.vc}, ${how}`;
    expect(await verdict.getAttribute('data-verdict'), label).to.equal(c.expect);
    expect(await page.getByRole('heading', { level: 2, name: VERDICTS[c.expect] }).isVisible(), label).to.equal(true);
    expect(await page.getByRole('heading', { level: 1, name: c.name }).isVisible(), label).to.equal(true);
    expect(await page.locator('.issuer-name').innerText(), label).to.equal(DISPLAYER_ISSUER_NAME);
    const awarded = await page.locator('.awarded').innerText();
    expect(awarded, label).to.include('Délivré à Camille').and.include('le 1 janvier 2026');
    if (c.expect === 'expired') expect(await page.locator('.expiry').innerText(), label).to.equal('A expiré le 1 mars 2026');
    expect(await page.locator('#unknown-issuer').isVisible(), `${label}: not one of ours, a warning`).to.equal(true);
  }

  it('gives each displayer case its verdict and content: uploaded PNG, pasted JSON, URL', async () => {
    const unbaked = readFileSync(path.join(FIXTURES, 'images', 'unbaked.png'));
    for (const c of cases) {
      await page.goto(`${app.url}/verify`);
      await page.getByLabel('Déposez ou choisissez l’image du badge').setInputFiles({ name: 'badge.png', mimeType: 'image/png', buffer: bakePng(unbaked, JSON.stringify(c.credential)) });
      await page.getByRole('button', { name: 'Vérifier' }).click();
      await expectResult(c, 'PNG');
      expect(await page.locator('img.badge-image').getAttribute('src'), 'the uploaded picture is shown').to.match(/^data:image\/png;base64,/);
      await checkLabels(page);

      await page.goto(`${app.url}/verify`);
      await page.getByLabel('ou collez le contenu du badge').fill(JSON.stringify(c.credential, null, 2));
      await page.getByRole('button', { name: 'Vérifier' }).click();
      await expectResult(c, 'JSON');

      await page.goto(`${app.url}/verify`);
      await page.getByLabel('ou donnez l’adresse du badge').fill(c.url);
      await page.getByRole('button', { name: 'Vérifier' }).click();
      await expectResult(c, 'URL');
    }
  });

  it('shows only the failure for a tampered badge, with the technical detail folded away', async () => {
    await page.goto(`${app.url}/verify`);
    await page.getByLabel('ou collez le contenu du badge').fill(JSON.stringify({ ...cases[0]!.credential, name: 'Diplôme falsifié' }));
    await page.getByRole('button', { name: 'Vérifier' }).click();
    await page.locator('[data-verdict="invalid"]').waitFor();
    expect(await page.getByText('Badge invalide.').isVisible()).to.equal(true);
    expect(await page.getByText(/ce badge a été modifié/).isVisible()).to.equal(true);
    expect(await page.locator('#badge-name').count(), 'no badge content').to.equal(0);
    expect(await page.getByText(DISPLAYER_ISSUER_NAME).count()).to.equal(0);
    const proof = page.locator('[data-check="proof"]');
    expect(await proof.innerText()).to.include('Signature intacte\u202F: Non');
    expect(await proof.locator('details').getAttribute('open')).to.equal(null);
  });

  it('a photo of a badge sent instead of the badge: not a forgery, ask for the file or its link — in amber, not red', async () => {
    await page.goto(`${app.url}/verify`);
    const photo = await sharp({ create: { width: 1200, height: 1600, channels: 3, background: '#d8d0c0' } }).jpeg().toBuffer();
    await page.getByLabel('Déposez ou choisissez l’image du badge').setInputFiles({ name: 'IMG_2041.jpg', mimeType: 'image/jpeg', buffer: photo });
    await page.getByRole('button', { name: 'Vérifier' }).click();
    const verdict = page.locator('[data-verdict="unsupported"]');
    await verdict.waitFor();
    expect(await verdict.getAttribute('class')).to.include('warning').and.not.include('error');
    expect(await page.getByText(/Ce n’est pas un faux pour autant/).isVisible()).to.equal(true);
    expect(await page.locator('[data-check="format"]').textContent(), 'in the technical detail').to.include('Ce fichier est un JPEG');
    await checkLabels(page);
  });

  it('explains, in French, what to do when nothing was given', async () => {
    await page.goto(`${app.url}/verify`);
    await page.getByRole('button', { name: 'Vérifier' }).click();
    await page.getByText('Choisissez une image, collez le contenu du badge ou donnez son adresse.').waitFor();
  });
});
