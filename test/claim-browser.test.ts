// A learner with only a phone, in a real browser (Debian chromium + playwright-core): she opens
// her claim link, downloads the PNG (it verifies), sees the LinkedIn link filled in, asks for the
// wallet's QR code, switches her public name to initials and sees the public page change.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { claimLinkFor } from '../src/learners/claims.js';
import { verifyBadge } from '../src/verifier/verifying.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { checkLabels, launchBrowser, phonePage } from './helpers/browser.js';
import { issueToEmail } from './helpers/learner.js';

describe('a learner’s claim page in a browser', function () {
  this.timeout(120_000);
  let app: TestApp;
  let browser: Browser;
  let page: Page;

  before(async () => {
    app = await startTestApp();
    browser = await launchBrowser();
    page = await phonePage(browser);
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  it('opens the link, downloads a PNG that verifies, follows LinkedIn’s link, gets a wallet QR code, and switches to initials', async () => {
    const { scope, credentialId } = await issueToEmail(app.ctx, 'ariege', 'Sophie Garnier-Lopez', 'sophie@example.org');
    const { url: claimUrl } = await claimLinkFor(app.ctx, scope, credentialId);
    const publicUrl = `${app.url}/credentials/${credentialId}`;

    await page.goto(claimUrl);
    await page.getByText('Bravo Sophie Garnier-Lopez ! Voici votre badge.').waitFor();
    await checkLabels(page);

    // One big action first; the rest folded below, each with when to use it.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Télécharger mon badge' }).click()]);
    expect(download.suggestedFilename(), 'RFC 6266: the badge’s own name').to.equal('Écouter et accueillir.png');
    const png = readFileSync((await download.path())!);
    const { report } = await verifyBadge(app.ctx, png, 'fr');
    expect(report.verdict, JSON.stringify(report.checks)).to.equal('valid');
    expect(await page.getByRole('link', { name: 'Ajouter à mon profil LinkedIn' }).isVisible()).to.equal(false);
    await page.getByText('Autres façons de garder ou de montrer votre badge').click();
    await checkLabels(page);

    // LinkedIn's form, filled in, through our address (which counts the badge as shared).
    const through = await page.getByRole('link', { name: 'Ajouter à mon profil LinkedIn' }).getAttribute('href');
    const hop = await fetch(new URL(through!, app.url), { redirect: 'manual' });
    expect(hop.status).to.equal(303);
    const linkedIn = new URL(hop.headers.get('location')!);
    expect(linkedIn.origin + linkedIn.pathname).to.equal('https://www.linkedin.com/profile/add');
    expect(Object.fromEntries(linkedIn.searchParams)).to.include({
      startTask: 'CERTIFICATION_NAME', name: 'Écouter et accueillir', organizationName: 'Collectif ariege', certUrl: publicUrl, certId: credentialId,
    });
    expect(linkedIn.searchParams.get('issueYear')).to.match(/^20\d\d$/);
    const record = (await app.ctx.store.credentials.byId(credentialId))!;
    expect(record.openedAt, 'opened').to.be.a('string');
    expect(record.sharedAt, 'shared').to.be.a('string');
    expect(await page.getByLabel('Adresse à partager').inputValue()).to.equal(publicUrl);

    await page.getByRole('button', { name: 'Ajouter à mon portefeuille' }).click();
    await page.getByRole('heading', { name: 'Ajouter le badge à votre portefeuille' }).waitFor();
    expect(await page.getByRole('link', { name: 'Ouvrir mon portefeuille' }).getAttribute('href')).to.match(/^openid-credential-offer:\/\/\?credential_offer_uri=/);
    expect(await page.getByAltText('Code QR à scanner avec votre portefeuille').isVisible()).to.equal(true);
    await checkLabels(page);
    await page.getByRole('link', { name: 'Retour à mon badge' }).click();

    await page.getByLabel('seulement mes initiales (S. G.-L.)').check();
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByText('C’est enregistré.').waitFor();
    const publicPage = await page.context().newPage();
    await publicPage.goto(publicUrl);
    expect(await publicPage.getByText('Délivré à S. G.-L.').isVisible()).to.equal(true);
    expect(await publicPage.content()).not.to.include('Sophie');
    await publicPage.close();

    // From her claim link, all her badges.
    await page.getByRole('button', { name: 'Voir tous mes badges' }).click();
    await page.getByRole('heading', { name: 'Mes badges' }).waitFor();
    expect(await page.getByText('Les badges remis à sophie@example.org.').isVisible()).to.equal(true);
    await checkLabels(page);
  });
});
