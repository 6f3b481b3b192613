// The funder's report (issue 19): people counted once across ateliers, age band at the atelier's date,
// small cells hidden with totals that cannot give them away, erased people no longer counted; who may
// see it; the CSV and the XLSX read back; the page on a phone.
import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { addParticipant, createAtelier, eraseParticipant } from '../src/ateliers/ateliers.js';
import { copyStarterBadge } from '../src/badge-classes/achievements.js';
import { authorize, createCollective, type Scope } from '../src/collectives/collectives.js';
import { translate } from '../src/i18n/index.js';
import { issueOne, prepareIssue } from '../src/issuing/issuing.js';
import { readFacts } from '../src/reports/facts.js';
import { collectiveReport, suppress } from '../src/reports/report.js';
import { AppError } from '../src/shared/errors.js';
import { ADMIN, WebClient, joinCollective, startTestApp, type TestApp } from './helpers/app.js';
import { checkLabels, launchBrowser, adminOnPhone } from './helpers/browser.js';

describe('the funder’s report', function () {
  this.timeout(120_000);
  let app: TestApp;
  let scope: Scope;
  let admin: WebClient;
  const query = { from: '2026-01-01', to: '2026-12-31' };

  before(async () => {
    app = await startTestApp();
    const account = (await app.ctx.store.accounts.byEmail(ADMIN.email))!;
    await createCollective(app.ctx, account, { slug: 'ariege', name: 'Badgeons l’Ariège' });
    scope = await authorize(app.ctx, account, 'ariege', 'admin');
    const listening = await copyStarterBadge(app.ctx, scope, 'ecoute');
    const online = await copyStarterBadge(app.ctx, scope, 'demarches');
    const march = await createAtelier(app.ctx, scope, { title: 'Mars', date: '2026-03-10', badgeClassIds: [listening.badgeClassId, online.badgeClassId] });
    const june = await createAtelier(app.ctx, scope, { title: 'Juin', date: '2026-06-12', badgeClassIds: [listening.badgeClassId] });
    // Eight women 16–25 from Foix, three men from Saint-Girons, one person who said nothing.
    const people = [
      ...Array.from({ length: 8 }, (_, i) => ({ name: `Femme ${i}`, email: `f${i}@example.org`, facts: { gender: 'Femme', birthYear: String(2004 + (i % 4)), situation: 'DE', commune: 'Foix', qpv: 'non' } })),
      ...Array.from({ length: 3 }, (_, i) => ({ name: `Homme ${i}`, email: `h${i}@example.org`, facts: { gender: 'homme', age: '40', situation: 'rsa', commune: 'Saint-Girons 09200', qpv: 'oui' } })),
      { name: 'Sans réponse', email: '', facts: {} },
    ];
    const inMarch = [];
    for (const p of people) inMarch.push(await addParticipant(app.ctx, scope, march.id, { name: p.name, email: p.email, consent: true, facts: p.facts }));
    // Two of the women come again in June: still two people, not four.
    const again = [];
    for (const p of people.slice(0, 2)) again.push(await addParticipant(app.ctx, scope, june.id, { name: p.name, email: p.email, consent: true, facts: p.facts }));
    const issue = async (atelierId: string, badgeClassId: string, ids: string[]) => {
      const { awards } = await prepareIssue(app.ctx, scope, atelierId, { badgeClassId, participantIds: ids, reflections: {}, reissue: false });
      for (const a of awards) await issueOne(app.ctx, scope, a);
    };
    await issue(march.id, listening.badgeClassId, inMarch.map((p) => p.id));
    await issue(march.id, online.badgeClassId, inMarch.slice(0, 6).map((p) => p.id));
    await issue(june.id, listening.badgeClassId, again.map((p) => p.id));
    admin = new WebClient(app.url);
    await admin.login();
  });
  after(async () => { await app?.close(); });

  it('reads facts as a spreadsheet says them, keeps only the age band at the atelier’s date, and refuses what it cannot read', () => {
    expect(readFacts({ gender: 'Femme', birthYear: '2008', situation: 'Demandeuse d’emploi', commune: 'Foix', qpv: 'OUI' }, '2026-03-10'))
      .to.deep.equal({ gender: 'woman', ageBand: '16-25', situation: 'job-seeker', commune: '09122', qpv: 'yes' });
    expect(readFacts({ birthYear: '2001' }, '2026-03-10').ageBand, '25 at the atelier').to.equal('16-25');
    expect(readFacts({ birthYear: '2000' }, '2026-03-10').ageBand, '26 at the atelier').to.equal('26-44');
    expect(() => readFacts({ gender: 'peut-être' }, '2026-03-10')).to.throw(AppError, 'FACT_INVALID');
    expect(() => readFacts({ commune: 'Sainte-Marie' }, '2026-03-10'), 'several communes have that name').to.throw(AppError, 'COMMUNE_AMBIGUOUS');
  });

  it('hides counts from 1 to 4, and one more when a lone hidden count could be recomputed from the total', () => {
    const cells = suppress(new Map([['a', 12], ['b', 3], ['c', 7], ['d', 0]]));
    expect(cells.map((c) => [c.key, c.hidden])).to.deep.equal([['a', false], ['b', true], ['c', true], ['d', false]]);
    const two = suppress(new Map([['a', 12], ['b', 3], ['c', 2]]));
    expect(two.filter((c) => c.hidden).map((c) => c.key), 'two hidden already protect each other').to.deep.equal(['b', 'c']);
  });

  it('counts each person once, by public and territory, and each badge by skill and month', async () => {
    const report = await collectiveReport(app.ctx, scope, query);
    expect(report.totals.ateliers.count).to.equal(2);
    expect(report.totals.people.count, 'the two who came twice count once').to.equal(12);
    expect(report.totals.badges.count).to.equal(12 + 6 + 2);
    const cell = (cells: { key: string; count: number; hidden: boolean }[], key: string) => cells.find((c) => c.key === key)!;
    // Two small cells (3 men, 1 not given) protect each other; the 8 women show.
    expect(cell(report.gender, 'woman')).to.include({ count: 8, hidden: false });
    expect(cell(report.gender, 'man')).to.include({ count: 3, hidden: true });
    expect(cell(report.gender, 'unknown')).to.include({ count: 1, hidden: true });
    expect(cell(report.ageBand, '16-25').count).to.equal(8);
    expect(cell(report.situation, 'job-seeker').count).to.equal(8);
    expect(cell(report.departement, '09').count).to.equal(11);
    expect(cell(report.qpv, 'yes')).to.include({ count: 3, hidden: true });
    expect(report.names.get('departement:09')).to.equal('Ariège (09)');
    expect(report.month.map((m) => m.key)).to.deep.equal([new Date().toISOString().slice(0, 7)]);
  });

  it('no longer counts a person whose data was erased', async () => {
    const [march] = (await app.ctx.store.ateliers.list(scope.collective.id)).filter((a) => a.title === 'Mars');
    const quiet = (await app.ctx.store.ateliers.participants(scope.collective.id, march!.id)).find((p) => p.name === 'Sans réponse')!;
    await eraseParticipant(app.ctx, scope, quiet.id);
    const report = await collectiveReport(app.ctx, scope, query);
    expect(report.totals.people.count).to.equal(11);
    expect(report.gender.find((c) => c.key === 'unknown')!.count).to.equal(0);
    // Now the men's 3 would be the total minus the women's: the women's 8 is hidden too.
    expect(report.gender.find((c) => c.key === 'woman')).to.include({ count: 8, hidden: true });
  });

  it('the page, the CSV and the spreadsheet say the same, name nobody, and only members see them', async () => {
    const page = await admin.get(`/c/ariege/report?from=${query.from}&to=${query.to}`);
    expect(page.status).to.equal(200);
    expect(page.text).to.include(translate('fr', 'report.total.people')).and.include('Ariège (09)').and.include('&lt; 5');
    const csv = await admin.get(`/c/ariege/report.csv?from=${query.from}&to=${query.to}`);
    expect(csv.headers.get('content-type')).to.match(/^text\/csv/);
    expect(csv.text.charCodeAt(0), 'a BOM for Excel').to.equal(0xfeff);
    expect(csv.text).to.include(`${translate('fr', 'report.total.people')};11`).and.include(`${translate('fr', 'report.gender.man')};< 5`);
    const xlsx = await admin.get(`/c/ariege/report.xlsx?from=${query.from}&to=${query.to}`);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.bytes as unknown as ArrayBuffer);
    const rows = book.worksheets[0]!.getSheetValues().filter(Boolean).map((r) => (r as unknown[]).slice(1));
    expect(rows).to.deep.include([translate('fr', 'report.total.people'), 11]);
    expect(rows).to.deep.include([translate('fr', 'report.gender.man'), '< 5']);
    const pdf = await admin.get(`/c/ariege/report.pdf?from=${query.from}&to=${query.to}`);
    expect(pdf.headers.get('content-type')).to.equal('application/pdf');
    const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
    const fonts = `${path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'))}/standard_fonts/`;
    const read = await pdfjs.getDocument({ data: new Uint8Array(pdf.bytes), standardFontDataUrl: fonts }).promise;
    expect(read.numPages, 'one page').to.equal(1);
    const pdfText = (await (await read.getPage(1)).getTextContent()).items.map((i) => ('str' in i ? i.str : '')).join('\n');
    expect(pdfText).to.include('Badgeons l’Ariège').and.include(translate('fr', 'report.total.people')).and.include('Ariège (09)');
    expect(pdfText.split('\n')).to.include('11');
    for (const text of [page.text, csv.text, JSON.stringify(rows), pdfText]) {
      expect(text).not.to.include('Femme 0').and.not.to.include('example.org').and.not.to.include('Saint-Girons');
    }

    const account = (await app.ctx.store.accounts.byEmail(ADMIN.email))!;
    await createCollective(app.ctx, account, { slug: 'ailleurs', name: 'Ailleurs' });
    const other = await joinCollective(app, 'ailleurs', { email: 'anim@example.net', name: 'Anim', role: 'facilitator' });
    await other.get('/dashboard');
    expect((await other.get('/c/ariege/report')).status).to.equal(403);
    expect((await other.get('/c/ariege/report.csv')).status).to.equal(403);
    expect((await other.get('/admin/report')).status, 'the network report is the instance admins’').to.equal(403);
    const network = await admin.get(`/admin/report?from=${query.from}&to=${query.to}`);
    expect(network.status).to.equal(200);
    expect(network.text).to.include(translate('fr', 'report.networkTitle'));
  });

  describe('on a phone', () => {
    let browser: Browser;
    let page: Page;
    before(async () => {
      browser = await launchBrowser();
      page = await adminOnPhone(browser, app.url, ADMIN);
    });
    after(async () => { await browser?.close(); });

    it('the report page, its charts with their tables, at 360 and 390 px with axe', async () => {
      await page.goto(`${app.url}/c/ariege/report?from=${query.from}&to=${query.to}`);
      await page.getByRole('heading', { name: translate('fr', 'report.title') }).waitFor();
      expect(await page.getByRole('img', { name: /graphique en barres/ }).count()).to.be.greaterThan(3);
      await checkLabels(page);
    });
  });
});
