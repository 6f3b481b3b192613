// A newcomer's first session in a real browser (Debian chromium driven by playwright-core):
// setup link → collective → badge with a picture → atelier → CSV with a bad row → three badges
// → the public page → its PNG, which `badgeons verify` accepts; then the badge found again in the
// collective's list.
import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { startTestApp, type TestApp } from './helpers/app.js';
import { runCli } from './helpers/cli.js';
import { checkLabels, launchBrowser, phonePage } from './helpers/browser.js';

describe('in a browser', function () {
  this.timeout(120_000);
  let app: TestApp;
  let browser: Browser;
  let page: Page;

  before(async () => {
    // No admin in the environment: the first start prints a setup link, as for a newcomer.
    app = await startTestApp({ BADGEONS_ADMIN_EMAIL: '', BADGEONS_ADMIN_PASSWORD: '' });
    browser = await launchBrowser();
    page = await phonePage(browser);
  });

  after(async () => {
    await browser?.close();
    await app?.close();
  });

  it('lets a newcomer issue a verifiable badge from a phone-sized screen, in French', async () => {
    const link = app.setupLink!;
    expect(app.logs.join('\n'), 'the setup link is a secret: not in the log').not.to.include(link.split('/').pop());
    await page.goto(link);
    await page.getByLabel('Votre nom').fill('Claire Animatrice');
    await page.getByLabel('Adresse e-mail').fill('claire@example.org');
    await page.getByLabel('Mot de passe').fill('un long mot de passe');
    await checkLabels(page);
    await page.getByRole('button', { name: 'Créer le compte' }).click();
    await page.getByRole('heading', { name: 'Bonjour Claire Animatrice !' }).waitFor();

    await page.getByLabel('Nom du collectif').fill("Badgeons l'Ariège");
    await page.getByLabel('Identifiant court (dans l’adresse web)').fill('ariege');
    await page.getByLabel('Ville ou village (facultatif)').fill('Foix');
    await page.getByRole('button', { name: 'Créer le collectif' }).click();
    await page.getByRole('heading', { name: "Badgeons l'Ariège" }).waitFor();

    await page.getByRole('link', { name: 'Créer un badge' }).click();
    await page.getByLabel('Nom du badge').fill('Prendre la parole en public');
    await page.getByLabel('Description : ce que la personne sait faire').fill('Ose s’exprimer devant un groupe.');
    await page.getByLabel('Critères : comment on l’obtient').fill('- A présenté une idée au groupe');
    const picture = await sharp({ create: { width: 400, height: 400, channels: 4, background: '#b5473a' } }).png().toBuffer();
    await page.getByLabel(/Image du badge/).setInputFiles({ name: 'parole.png', mimeType: 'image/png', buffer: picture });
    await page.getByLabel('Description de l’image pour les personnes qui ne la voient pas').fill('Une bulle de parole rouge');
    await checkLabels(page);
    await page.getByRole('button', { name: 'Créer le badge' }).click();
    await page.getByRole('link', { name: 'Prendre la parole en public' }).waitFor();

    await page.getByRole('link', { name: 'Nouvel atelier' }).click();
    await page.getByLabel('Titre de l’atelier').fill('Oser parler');
    await page.getByLabel('Lieu (facultatif)').fill('Salle des fêtes');
    await page.getByLabel('Prendre la parole en public').check();
    await checkLabels(page);
    await page.getByRole('button', { name: 'Créer l’atelier' }).click();
    await page.getByRole('heading', { name: 'Oser parler' }).waitFor();

    const csv = Buffer.from('Nom;Prénom;Email;Consentement\nDurand;Hélène;helene@example.org;oui\nMartin;Loïc;;oui\n;;sans-nom@example.org;oui\nPetit;Anaïs;;oui\n', 'latin1');
    await page.getByLabel('Fichier CSV').setInputFiles({ name: 'liste.csv', mimeType: 'text/csv', buffer: csv });
    await page.getByRole('button', { name: 'Importer' }).click();
    const report = page.locator('#import-report');
    await report.waitFor();
    expect(await report.innerText()).to.match(/3 personnes ajoutées[\s\S]*Ligne 4\u202F: Le nom de la personne manque/);

    await page.getByRole('link', { name: 'Délivrer des badges' }).click();
    // Safe issuing: no badge chosen and nobody ticked until the facilitator says so.
    expect(await page.getByLabel('Quel badge ?').inputValue()).to.equal('');
    expect(await page.getByRole('checkbox', { checked: true }).count()).to.equal(0);
    await page.getByLabel('Quel badge ?').selectOption({ label: 'Prendre la parole en public' });
    await page.getByRole('button', { name: 'Tout cocher' }).click();
    await page.getByRole('button', { name: 'Tout décocher' }).waitFor();
    expect(await page.locator('input[name=participant]:checked').count()).to.equal(3);
    await page.getByLabel('Ses mots à elle ou à lui : ce que j’ai fait, ce que j’ai appris (facultatif)').first().fill('J’ai présenté mon projet devant dix personnes.');
    await checkLabels(page);
    await page.getByRole('button', { name: 'Voir l’aperçu' }).click();
    await page.getByText('Aperçu — ce badge n’est pas encore délivré').waitFor();
    expect(await page.locator('#confirm-title').innerText()).to.equal('Délivrer «\u202FPrendre la parole en public\u202F» à 3 personnes');
    expect(await page.getByText('2 personnes n’ont pas de mots à elles sur ce badge.', { exact: false }).isVisible()).to.equal(true);
    expect(await page.locator('#preview-position').innerText()).to.equal('Personne 1 sur 3');
    await page.getByRole('button', { name: 'Personne suivante' }).click();
    await page.locator('#preview-position').getByText('Personne 2 sur 3').waitFor();
    await checkLabels(page);
    await page.getByRole('button', { name: 'Délivrer à 3 personnes' }).click();
    await page.getByText('Terminé.').waitFor({ timeout: 30_000 });
    expect(await page.getByRole('status').innerText()).to.include('3 sur 3 badges délivrés');

    await page.getByRole('link', { name: 'Retour à l’atelier' }).click();
    const links = page.getByRole('link', { name: 'Prendre la parole en public' });
    expect(await links.count()).to.equal(3);
    await links.first().click();
    await page.getByRole('heading', { name: 'Prendre la parole en public' }).waitFor();
    expect(await page.getByText(/Délivré à .+/).count()).to.be.greaterThan(0);
    expect(await page.getByRole('img', { name: 'Une bulle de parole rouge' }).isVisible()).to.equal(true);
    expect(await page.getByRole('link', { name: 'Vérifier ce badge' }).isVisible()).to.equal(true);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Image PNG (avec le badge dedans)' }).click()]);
    const file = path.join(app.dir, 'telecharge.png');
    await download.saveAs(file);
    const verified = await runCli(['verify', file, '--json']);
    expect(verified.code, verified.stdout + verified.stderr).to.equal(0);
    expect(JSON.parse(verified.stdout).verdict).to.equal('valid');
    writeFileSync(path.join(app.dir, 'page.png'), await page.screenshot({ fullPage: true }));
    await checkLabels(page);
    await page.getByRole('link', { name: 'Vérifier ce badge' }).click();
    await page.getByText('Badge authentique et valable.').waitFor();
  });

  it('finds a badge again in the collective’s list, typed without accents, on the phone', async () => {
    await page.goto(`${app.url}/c/ariege`);
    await page.getByRole('link', { name: 'Voir tous les badges délivrés' }).click();
    await page.getByRole('heading', { name: 'Badges délivrés' }).waitFor();
    expect(await page.locator('#issued tbody tr').count()).to.equal(3);
    await page.getByLabel('Chercher un nom').fill('helene');
    await page.getByRole('button', { name: 'Afficher' }).click();
    await page.getByText('Badges trouvés\u202F: 1').waitFor();
    expect(await page.locator('#issued tbody tr').innerText()).to.include('Hélène Durand').and.include('Valable');
    await checkLabels(page);
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow, 'nothing wider than the phone').to.be.at.most(0);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Télécharger la liste (tableur)' }).click()]);
    expect(download.suggestedFilename()).to.match(/^badges-ariege-.+\.csv$/);
  });
});
