// A collective's list of issued badges, over real HTTP: badges from ateliers and from the API side
// by side, search without accents, filters by state and origin, pages, the spreadsheet (with a
// name that tries to be a formula), and nobody outside the collective sees it.
import { expect } from 'chai';
import { createApiToken } from '../src/collectives/api-tokens.js';
import { addParticipant, createAtelier, eraseParticipant } from '../src/ateliers/ateliers.js';
import { changeStatus } from '../src/credentials/credential-status.js';
import { ISSUED_PAGE_SIZE } from '../src/credentials/issued-badges.js';
import { issueOne, prepareIssue } from '../src/issuing/issuing.js';
import type { Collective } from '../src/store/index.js';
import { ADMIN, WebClient, joinCollective, startTestApp, type TestApp } from './helpers/app.js';
import { issueToEmail } from './helpers/learner.js';
import { authorize, type AdminScope } from '../src/collectives/collectives.js';

describe('the list of issued badges', function () {
  this.timeout(120_000);
  let app: TestApp;
  let admin: WebClient;
  let collective: Collective;
  let scope: AdminScope;
  const ids: Record<string, string> = {};

  before(async () => {
    app = await startTestApp();
    for (const [name, email] of [['Élodie Fabre', 'elodie@example.org'], ['Marc Petit', 'marc@example.org'], ['=HYPERLINK("http://x")', 'x@example.org'], ['Zoé Roux', 'zoe@example.org']] as const) {
      ids[name] = (await issueToEmail(app.ctx, 'ariege', name, email)).credentialId;
    }
    collective = (await app.ctx.store.collectives.bySlug('ariege'))!;
    const account = (await app.ctx.store.accounts.byEmail(ADMIN.email))!;
    scope = await authorize(app.ctx, account, 'ariege', 'admin');
    await changeStatus(app.ctx, scope, ids['Marc Petit']!, 'revoke', 'erreur de saisie');
    const zoe = (await app.ctx.store.credentials.byId(ids['Zoé Roux']!))!;
    await eraseParticipant(app.ctx, scope, zoe.participantId!);
    // One through the API, as another tool would.
    const { secret } = await createApiToken(app.ctx, scope, 'outil');
    const version = (await app.ctx.store.achievements.current(collective.id))[0]!;
    const issued = await fetch(`${app.url}/credentials/issue`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
      body: JSON.stringify({ credential: { credentialSubject: { name: 'Awa Diallo', achievement: { id: `${app.url}/achievements/${version.id}` }, identifier: [{ identityType: 'emailAddress', hashed: false, identityHash: 'awa@example.org' }] } } }),
    });
    expect(issued.status).to.equal(201);
    admin = new WebClient(app.url);
    await admin.login();
  });
  after(async () => { await app?.close(); });

  const rows = (html: string) => [...html.matchAll(/<tr>\s*<td><a href="\/credentials\/([^"]+)">([^<]*)<\/a><\/td>[\s\S]*?<span class="state-(\w+)">/g)]
    .map((m) => ({ id: m[1]!, name: m[2]!, state: m[3]! }));

  it('shows every badge, from ateliers and from the API, newest first, with its state', async () => {
    const home = await admin.get('/c/ariege');
    expect(home.text).to.include('href="/c/ariege/credentials"');
    const page = await admin.get('/c/ariege/credentials');
    expect(page.status).to.equal(200);
    expect(page.text).to.include('5 badges');
    const list = rows(page.text);
    expect(list.map((r) => r.name)).to.deep.equal(['Awa Diallo', '(données effacées)', '&#x3D;HYPERLINK(&quot;http://x&quot;)', 'Marc Petit', 'Élodie Fabre']);
    expect(list.map((r) => r.state)).to.deep.equal(['active', 'erased', 'active', 'revoked', 'active']);
    expect(page.text).to.include('par API');
  });

  it('finds a name without its accents, and filters by state and by origin', async () => {
    const elodie = rows((await admin.get('/c/ariege/credentials?q=elodie')).text);
    expect(elodie.map((r) => r.id)).to.deep.equal([ids['Élodie Fabre']]);
    const revoked = await admin.get('/c/ariege/credentials?state=revoked');
    expect(revoked.text).to.include('Badges trouvés\u202F: 1');
    expect(rows(revoked.text).map((r) => r.name)).to.deep.equal(['Marc Petit']);
    expect(rows((await admin.get('/c/ariege/credentials?source=api')).text).map((r) => r.name)).to.deep.equal(['Awa Diallo']);
    const none = await admin.get('/c/ariege/credentials?q=personne');
    expect(none.text).to.include('Aucun badge ne correspond');
    // Nonsense in the address is ignored, not an error.
    expect((await admin.get('/c/ariege/credentials?state=volé&page=-3&source=x')).text).to.include('5 badges');
  });

  it('downloads the list as a spreadsheet, with formulas made inert', async () => {
    const res = await admin.get('/c/ariege/credentials.csv?state=active');
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^text\/csv/);
    expect(res.headers.get('content-disposition')).to.match(/attachment; filename="badges-ariege-\d{4}-\d{2}-\d{2}\.csv"/);
    expect(res.text.charCodeAt(0), 'a BOM, so Excel reads UTF-8').to.equal(0xfeff);
    const lines = res.text.slice(1).trim().split('\r\n');
    expect(lines[0]).to.equal('Nom;Badge;Délivré le;Atelier;État;Expire le;Adresse du badge');
    expect(lines).to.have.length(4);
    expect(lines[1]).to.match(/^Awa Diallo;Écouter et accueillir;\d{4}-\d{2}-\d{2};par API;Valable;;http:\/\/localhost:\d+\/credentials\//);
    expect(lines[2]).to.match(/^"'=HYPERLINK\(""http:\/\/x""\)";/);
    expect(lines[3]).to.include('Élodie Fabre;Écouter et accueillir;').and.include(`/credentials/${ids['Élodie Fabre']}`);
  });

  it('pages a long list', async () => {
    const version = (await app.ctx.store.achievements.current(collective.id))[0]!;
    const atelier = await createAtelier(app.ctx, scope, { title: 'Grand atelier', date: '2026-11-21', badgeClassIds: [version.badgeClassId] });
    const people = [];
    for (let i = 0; i < ISSUED_PAGE_SIZE; i++) people.push(await addParticipant(app.ctx, scope, atelier.id, { name: `Personne ${i}`, email: '', consent: true }));
    const { awards } = await prepareIssue(app.ctx, scope, atelier.id, { badgeClassId: version.badgeClassId, participantIds: people.map((p) => p.id), reissue: false, reflections: {} });
    for (const award of awards) await issueOne(app.ctx, scope, award);
    const first = await admin.get('/c/ariege/credentials');
    expect(rows(first.text)).to.have.length(ISSUED_PAGE_SIZE);
    expect(first.text).to.include('Page 1 sur 2');
    const next = /<a href="([^"]+)" rel="next">/.exec(first.text)![1]!.replace(/&amp;/g, '&').replace(/&#x3D;/g, '=');
    expect(next).to.equal('/c/ariege/credentials?page=2');
    const second = await admin.get(next);
    expect(second.text).to.include('Page 2 sur 2');
    expect(rows(second.text)).to.have.length(5);
    expect(rows(second.text).at(-1)!.name).to.equal('Élodie Fabre');
  });

  it('is only for the collective’s members', async () => {
    expect((await fetch(`${app.url}/c/ariege/credentials`, { redirect: 'manual' })).status).to.equal(303);
    await issueToEmail(app.ctx, 'couserans', 'Lou', 'lou@example.org');
    const other = await joinCollective(app, 'couserans', { email: 'anim@example.org', name: 'Anim', role: 'facilitator' });
    expect((await other.get('/c/couserans/credentials')).status).to.equal(200);
    expect((await other.get('/c/ariege/credentials')).status).to.equal(403);
    expect((await other.get('/c/ariege/credentials.csv')).status).to.equal(403);
  });
});
