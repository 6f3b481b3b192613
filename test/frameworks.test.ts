// Alignments to the frameworks recruiters and trainers read (issue 20 §1): RECTEC and the CRCN bundled,
// ESCO and ROME by URI or code; they go into issued badges as OB 3.0 alignments that pass the official
// schema, and read in plain words on the badge page.
import { expect } from 'chai';
import { copyStarterBadge } from '../src/badge-classes/achievements.js';
import { frameworks, readAlignments } from '../src/badge-classes/frameworks.js';
import { translate } from '../src/i18n/index.js';
import type { OpenBadgeCredential } from '../src/ob3/model.js';
import { verifyBadge } from '../src/verifier/verifying.js';
import { ADMIN, WebClient, startTestApp, type TestApp } from './helpers/app.js';
import { issueToEmail } from './helpers/learner.js';
import { authorize } from '../src/collectives/collectives.js';

describe('alignments to RECTEC, the CRCN, ESCO and ROME', function () {
  this.timeout(60_000);
  let app: TestApp;
  before(async () => { app = await startTestApp(); });
  after(async () => { await app?.close(); });

  it('bundles RECTEC (12 competences in 4 poles, levels 1–4) and the CRCN (16 in 5 domains, levels 1–8)', () => {
    const [rectec, crcn] = frameworks();
    expect(rectec!.groups).to.have.length(4);
    expect(rectec!.groups.flatMap((g) => g.items)).to.have.length(12);
    expect(rectec!.levels).to.deep.equal([1, 2, 3, 4]);
    expect(crcn!.groups).to.have.length(5);
    expect(crcn!.groups.flatMap((g) => g.items)).to.have.length(16);
    expect(crcn!.levels).to.have.length(8);
  });

  it('checks what is chosen: a known competence, a level the framework has, an ESCO skill URI, a ROME code', () => {
    const base = { chosen: [], levels: {}, esco: '', escoName: '', rome: '' };
    expect(readAlignments({ ...base, chosen: ['RECTEC:ORG3'], levels: { RECTEC: '2' } }).alignments).to.deep.equal([
      { framework: 'RECTEC', code: 'ORG3', name: 'Travailler en équipe', url: 'https://rectec.ac-versailles.fr/#ORG3', level: 2 },
    ]);
    expect(readAlignments({ ...base, chosen: ['RECTEC:ORG3'], levels: { RECTEC: '7' } }).problem, 'RECTEC stops at 4').to.equal('alignment');
    expect(readAlignments({ ...base, chosen: ['CRCN:9.9'] }).problem).to.equal('alignment');
    expect(readAlignments({ ...base, esco: 'https://example.org/skill' }).problem).to.equal('esco');
    expect(readAlignments({ ...base, rome: 'K13' }).problem).to.equal('rome');
    expect(readAlignments({ ...base, rome: 'k1304', esco: 'http://data.europa.eu/esco/skill/0f3a6d4a-8a4b-4d2c-9f8e-1a2b3c4d5e6f', escoName: 'accueillir le public' }).alignments.map((a) => a.framework))
      .to.deep.equal(['ESCO', 'ROME']);
  });

  it('the starter badges carry sensible alignments into issued badges, valid against the official schema and said plainly', async () => {
    const { credentialId } = await issueToEmail(app.ctx, 'ariege', 'Aïcha Benali', 'aicha@example.org');
    const badge = (await fetch(`${app.url}/credentials/${credentialId}.json`).then((r) => r.json())) as OpenBadgeCredential;
    const alignment = badge.credentialSubject.achievement!.alignment!;
    expect(alignment.map((a) => [a.targetFramework, a.targetCode, a.targetDescription])).to.deep.equal([['RECTEC', 'COM1', 'Niveau 1'], ['RECTEC', 'COM3', 'Niveau 1']]);
    const { report } = await verifyBadge(app.ctx, JSON.stringify(badge), 'fr');
    expect(report.checks.find((c) => c.id === 'schema')!.status, JSON.stringify(report.checks)).to.equal('pass');
    const page = await fetch(`${app.url}/credentials/${credentialId}`).then((r) => r.text());
    expect(page).to.include(translate('fr', 'badge.alignedLevel', { framework: 'RECTEC', name: 'Communiquer à l’oral', level: 1 }));
  });

  it('a facilitator aligns a badge class from its form; a wrong code is refused with the field named', async () => {
    const account = (await app.ctx.store.accounts.byEmail(ADMIN.email))!;
    const version = await copyStarterBadge(app.ctx, await authorize(app.ctx, account, 'ariege', 'admin'), 'demarches');
    const admin = new WebClient(app.url);
    await admin.login();
    const form = await admin.get(`/c/ariege/badges/${version.badgeClassId}`);
    expect(form.text).to.include('value="CRCN:2.4" checked').and.include('value="RECTEC:COM4" checked');
    const fields = {
      name: version.name, description: version.description, criteria: version.criteria, achievementType: version.achievementType, imageAlt: version.imageAlt,
      language: 'fr', statusPurpose: 'revocation', framework: ['CRCN:1.1', 'CRCN:2.4'], level_CRCN: '3', rome: 'M1607',
    };
    const wrong = await admin.post(`/c/ariege/badges/${version.badgeClassId}`, { ...fields, rome: 'Z99' });
    expect(wrong.status).to.equal(400);
    const saved = await admin.post(`/c/ariege/badges/${version.badgeClassId}`, fields);
    expect(saved.status).to.equal(303);
    const json = await fetch(`${app.url}/achievements/${(await app.ctx.store.achievements.current((await app.ctx.store.collectives.bySlug('ariege'))!.id)).find((v) => v.badgeClassId === version.badgeClassId)!.id}.json`).then((r) => r.json()) as { alignment: { targetCode: string; targetDescription?: string }[] };
    expect(json.alignment.map((a) => [a.targetCode, a.targetDescription ?? null])).to.deep.equal([['1.1', 'Niveau 3'], ['2.4', 'Niveau 3'], ['M1607', null]]);
  });
});
