// Parcours (issue 20 §3): ateliers in order; the facilitator's grid of who came to what and who holds
// which badge; a learner's own progress on her claim page, and nobody else's.
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { addParticipant, createAtelier } from '../src/ateliers/ateliers.js';
import { copyStarterBadge } from '../src/badge-classes/achievements.js';
import { authorize, createCollective } from '../src/collectives/collectives.js';
import { translate } from '../src/i18n/index.js';
import { issueOne, prepareIssue } from '../src/issuing/issuing.js';
import { claimLinkFor } from '../src/learners/claims.js';
import { ADMIN, WebClient, joinCollective, startTestApp, type TestApp } from './helpers/app.js';
import { checkLabels, launchBrowser, phonePage } from './helpers/browser.js';

describe('parcours', function () {
  this.timeout(60_000);
  let app: TestApp;
  let admin: WebClient;
  let claimUrl: string;
  let parcoursPath: string;

  before(async () => {
    app = await startTestApp();
    const account = (await app.ctx.store.accounts.byEmail(ADMIN.email))!;
    await createCollective(app.ctx, account, { slug: 'ariege', name: 'Badgeons l’Ariège' });
    const scope = await authorize(app.ctx, account, 'ariege', 'admin');
    const online = (await copyStarterBadge(app.ctx, scope, 'demarches')).badgeClassId;
    const steps = [];
    for (const [i, date] of ['2026-09-01', '2026-09-08', '2026-09-15'].entries()) {
      steps.push(await createAtelier(app.ctx, scope, { title: `Séance ${i + 1}`, date, badgeClassIds: [online] }));
    }
    const camille1 = await addParticipant(app.ctx, scope, steps[0]!.id, { name: 'Camille Roux', email: 'camille@example.org', consent: true });
    await addParticipant(app.ctx, scope, steps[1]!.id, { name: 'Camille Roux', email: 'camille@example.org', consent: true });
    await addParticipant(app.ctx, scope, steps[0]!.id, { name: 'Paul Martin', consent: true });
    const { awards } = await prepareIssue(app.ctx, scope, steps[0]!.id, { badgeClassId: online, participantIds: [camille1.id], reflections: {}, reissue: false });
    const record = await issueOne(app.ctx, scope, awards[0]!);
    claimUrl = (await claimLinkFor(app.ctx, scope, record.id)).url;

    admin = new WebClient(app.url);
    await admin.login();
    await admin.get('/c/ariege/parcours');
    expect((await admin.post('/c/ariege/parcours', { name: 'Démarches en ligne', atelier: [steps[0]!.id] })).status, 'one atelier is no parcours').to.equal(400);
    const made = await admin.post('/c/ariege/parcours', { name: 'Démarches en ligne', atelier: steps.map((s) => s.id).reverse() });
    expect(made.status).to.equal(303);
    parcoursPath = made.headers.get('location')!;
  });
  after(async () => { await app?.close(); });

  it('shows the facilitator who came to which step, in date order, and the badges got there', async () => {
    const grid = await admin.get(parcoursPath);
    expect(grid.status).to.equal(200);
    const text = grid.text;
    expect(text.indexOf('Séance 1')).to.be.lessThan(text.indexOf('Séance 2'));
    const camille = /<tr><th scope="row">Camille Roux<\/th>([\s\S]*?)<\/tr>/.exec(text)![1]!;
    expect(camille.match(/<td>/g)).to.have.length(3);
    expect(camille).to.include('Faire ses démarches en ligne');
    expect((camille.match(new RegExp(translate('fr', 'parcours.attended'), 'g')) ?? []).length, 'steps 1 and 2').to.equal(2);
    expect(text).to.include('Paul Martin');

    const account = (await app.ctx.store.accounts.byEmail(ADMIN.email))!;
    await createCollective(app.ctx, account, { slug: 'ailleurs', name: 'Ailleurs' });
    const other = await joinCollective(app, 'ailleurs', { email: 'b@example.org', name: 'B', role: 'admin' });
    await other.get('/dashboard');
    expect((await other.get(parcoursPath)).status).to.equal(403);
    expect((await other.get(parcoursPath.replace('/c/ariege/', '/c/ailleurs/'))).status, 'not its parcours').to.equal(404);
  });

  describe('on her phone', () => {
    let browser: Browser;
    let page: Page;
    before(async () => { browser = await launchBrowser(); page = await phonePage(browser); });
    after(async () => { await browser?.close(); });

    it('her claim page shows her own progress — two steps done, the third next — and nobody else', async () => {
      await page.goto(claimUrl);
      const section = page.locator('section.progress');
      await section.waitFor();
      const steps = await section.locator('li').allInnerTexts();
      expect(steps).to.have.length(3);
      expect(steps[0]).to.include(translate('fr', 'parcours.done'));
      expect(steps[1]).to.include(translate('fr', 'parcours.done'));
      expect(steps[2]).to.include(translate('fr', 'parcours.next'));
      expect(await page.content()).not.to.include('Paul Martin');
      await checkLabels(page);
      // The same on *Mes badges*, reached from her claim page.
      await page.getByRole('button', { name: 'Voir tous mes badges' }).click();
      await page.getByRole('heading', { name: 'Mes badges' }).waitFor();
      expect(await page.locator('section.progress li').count()).to.equal(3);
    });
  });
});
