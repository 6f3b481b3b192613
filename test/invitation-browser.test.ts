// A new facilitator joins from the invitation link on a phone (360 px), and the admin's members list
// with its pending invitation: readable, labelled, nothing wider than the screen.
import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { WebClient, startTestApp, type TestApp } from './helpers/app.js';
import { checkLabels, launchBrowser } from './helpers/browser.js';

describe('joining a collective in a browser', function () {
  this.timeout(60_000);
  let app: TestApp;
  let browser: Browser;
  before(async () => {
    app = await startTestApp();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  it('the invited person creates her account and joins; the admin sees who is still to accept', async () => {
    const admin = new WebClient(app.url);
    await admin.login();
    await admin.get('/dashboard');
    await admin.post('/collectives', { slug: 'ariege', name: 'Badgeons l’Ariège' });
    await admin.get('/c/ariege/settings');
    const invited = await admin.post('/c/ariege/members', { name: 'Fatou Diallo', email: 'fatou@example.org', role: 'facilitator' });
    const link = /value="(http[^"]+\/invitations\/[A-Za-z0-9_-]{43})"/.exec(invited.text)![1]!;
    await admin.post('/c/ariege/members', { name: 'Marc', email: 'marc@example.org', role: 'admin' });

    const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 360, height: 740 }, bypassCSP: true });
    const page = await context.newPage();
    await page.goto(link);
    expect(await page.textContent('h1')).to.include('Badgeons l’Ariège');
    await checkLabels(page);
    expect(await page.evaluate('document.documentElement.scrollWidth')).to.be.at.most(360);
    await page.fill('#password', 'mon mot de passe de Fatou');
    await page.click('button[type=submit]');
    await page.waitForURL(/\/dashboard$/);
    expect(await page.textContent('main')).to.include('Badgeons l’Ariège');

    // The admin's page, on a phone too: Marc's invitation is pending, Fatou is a member.
    const adminContext = await browser.newContext({ locale: 'fr-FR', viewport: { width: 360, height: 740 }, bypassCSP: true });
    const adminPage = await adminContext.newPage();
    await adminPage.goto(`${app.url}/login`);
    await adminPage.fill('#email', 'admin@example.org');
    await adminPage.fill('#password', 'un mot de passe solide');
    await adminPage.click('main button[type=submit]');
    await adminPage.goto(`${app.url}/c/ariege/settings`);
    const members = await adminPage.textContent('#members ~ ul.members');
    expect(members).to.include('Fatou Diallo');
    expect(await adminPage.textContent('main')).to.include('Invitations en attente').and.include('marc@example.org');
    await checkLabels(adminPage);
    expect(await adminPage.evaluate('document.documentElement.scrollWidth')).to.be.at.most(360);
    await adminContext.close();
    await context.close();
  });
});
