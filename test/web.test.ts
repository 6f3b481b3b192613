// The web app over real HTTP: a started server on a temporary DATA_DIR, a cookie-keeping client,
// real images through sharp, real signatures checked by our verifier and by `badgeons verify`.
import { NO_FACTS } from '../src/reports/facts.js';
import { expect } from 'chai';
import { translate } from '../src/i18n/index.js';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import QRCode from 'qrcode';
import sharp from 'sharp';
import { unbakePng } from '../src/ob3/bake/png.js';
import { clearDocumentCache } from '../src/ob3/documents.js';
import { verify } from '../src/ob3/verify/index.js';
import { ADMIN, WebClient, startTestApp, type TestApp } from './helpers/app.js';
import { runCli } from './helpers/cli.js';

const cli = runCli;

const ids = (text: string, pattern: RegExp): string[] => [...text.matchAll(pattern)].map((m) => m[1]!);

async function png(colour: string, size = 300): Promise<Buffer> {
  return sharp({ create: { width: size, height: size, channels: 4, background: colour } }).png().toBuffer();
}

describe('web app', function () {
  this.timeout(60_000);
  let app: TestApp;
  let admin: WebClient;
  let badgeClassId: string;
  let atelierUrl: string;
  let credentialIds: string[] = [];

  before(async () => {
    clearDocumentCache();
    app = await startTestApp();
    admin = new WebClient(app.url);
  });
  after(() => app.close());

  it('answers /healthz while its database reads, 503 once it does not', async () => {
    const other = await startTestApp();
    const ok = await fetch(`${other.url}/healthz`);
    expect(ok.status).to.equal(200);
    expect(await ok.json()).to.deep.equal({ status: 'ok' });
    await other.ctx.store.close();
    const down = await fetch(`${other.url}/healthz`);
    expect(down.status).to.equal(503);
    other.server.closeAllConnections();
    await new Promise((resolve) => other.server.close(resolve));
  });

  it('creates the first admin from the environment and refuses a wrong password, in French', async () => {
    expect(app.logs.join('\n')).to.include(`administrator account created for ${ADMIN.email}`);
    const client = new WebClient(app.url);
    const wrong = await client.login(ADMIN.email, 'pas le bon');
    expect(wrong.status).to.equal(401);
    expect(wrong.text).to.include('Adresse ou mot de passe incorrect');
    const ok = await admin.login();
    expect(ok.status).to.equal(303);
    expect(ok.headers.get('set-cookie')).to.match(/badgeons_session=[^;]+; Path=\/; HttpOnly; SameSite=Lax/);
  });

  it('refuses a form without its CSRF token and keeps nothing', async () => {
    const reply = await admin.post('/collectives', { slug: 'sans-jeton', name: 'Sans jeton' }, { csrf: false });
    expect(reply.status).to.equal(403);
    expect(reply.text).to.include('Le formulaire a expiré');
    expect(await app.ctx.store.collectives.bySlug('sans-jeton')).to.equal(undefined);
  });

  it('creates a collective, which is a did:web issuer with a 0600 key', async () => {
    await admin.get('/dashboard');
    const reply = await admin.follow(await admin.post('/collectives', { slug: 'ariege', name: "Badgeons l'Ariège", town: 'Foix', description: 'Ateliers de la Ligue' }));
    expect(reply.status).to.equal(200);
    expect(reply.text).to.include('Badgeons l&#x27;Ariège');
    const did = await fetch(`${app.url}/issuers/ariege/did.json`).then((r) => r.json()) as { id: string; assertionMethod: string[] };
    expect(did.id).to.equal(`did:web:localhost%3A${new URL(app.url).port}:issuers:ariege`);
    expect(did.assertionMethod).to.have.length(1);
    const collective = (await app.ctx.store.collectives.bySlug('ariege'))!;
    const [key] = app.ctx.keys.all(collective.id);
    expect(statSync(key!.file!).mode & 0o777).to.equal(0o600);
    for (const file of ['badgeons.sqlite', 'badgeons.sqlite-wal']) expect(statSync(path.join(app.dir, 'data', file)).mode & 0o777, file).to.equal(0o600);
    const profile = await fetch(`${app.url}/issuers/ariege`, { headers: { accept: 'application/ld+json' } }).then((r) => r.json()) as Record<string, unknown>;
    expect(profile.id).to.equal(did.id);
    expect(profile.type).to.deep.equal(['Profile']);
    const html = await fetch(`${app.url}/issuers/ariege`).then((r) => r.text());
    expect(html).to.include('<h1>Badgeons l&#x27;Ariège</h1>');
  });

  it('creates a badge class from an uploaded picture, normalised to a 512×512 PNG', async () => {
    await admin.get('/c/ariege/badges/new');
    const reply = await admin.postMultipart('/c/ariege/badges', {
      name: 'Faire ses démarches en ligne', description: 'Sait remplir un formulaire en ligne.', criteria: '- Créer un compte\n- Envoyer un document',
      achievementType: 'ext:DigitalSkill', tags: 'numérique, autonomie', language: 'fr', imageAlt: 'Un écran', alignmentUrl: '', alignmentName: '', validityDays: '',
    }, { field: 'image', name: 'badge.jpg', type: 'image/jpeg', bytes: await sharp(await png('#2f7d32', 800)).jpeg().toBuffer() });
    expect(reply.status).to.equal(303);
    const home = await admin.get('/c/ariege');
    badgeClassId = ids(home.text, /\/c\/ariege\/badges\/([\w-]{22})"/g)[0]!;
    const version = (await app.ctx.store.achievements.current((await app.ctx.store.collectives.bySlug('ariege'))!.id))[0]!;
    const meta = await sharp(version.imagePng).metadata();
    expect([meta.format, meta.width, meta.height]).to.deep.equal(['png', 512, 512]);
  });

  it('refuses a picture that is not one, and an oversized one, with the form kept', async () => {
    await admin.get('/c/ariege/badges/new');
    const fields = { name: 'Cassé', description: 'd', criteria: 'c', imageAlt: 'a' };
    const bad = await admin.postMultipart('/c/ariege/badges', fields, { field: 'image', name: 'x.png', type: 'image/png', bytes: Buffer.from('pas une image du tout') });
    expect(bad.status).to.equal(415);
    expect(bad.text).to.include('n’est pas une image lisible');
    expect(bad.text).to.include('value="Cassé"');
    const huge = await admin.postMultipart('/c/ariege/badges', fields, { field: 'image', name: 'x.png', type: 'image/png', bytes: Buffer.alloc(3 * 1024 * 1024, 1) });
    expect(huge.status).to.equal(413);
    expect((await app.ctx.store.achievements.current((await app.ctx.store.collectives.bySlug('ariege'))!.id)).map((v) => v.name)).to.deep.equal(['Faire ses démarches en ligne']);
  });

  it('sanitises an SVG picture: no script, no event handler, no external link', async () => {
    await admin.get('/c/ariege/badges/new');
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="100" height="100" onload="alert(1)"><script>alert(2)</script><circle cx="50" cy="50" r="40" fill="red"/><image xlink:href="https://evil.example/x.png" width="10" height="10"/></svg>';
    const reply = await admin.postMultipart('/c/ariege/badges', { name: 'Vecteur', description: 'd', criteria: 'c', imageAlt: 'Un rond rouge' },
      { field: 'image', name: 'b.svg', type: 'image/svg+xml', bytes: Buffer.from(svg) });
    expect(reply.status).to.equal(303);
    const version = (await app.ctx.store.achievements.current((await app.ctx.store.collectives.bySlug('ariege'))!.id)).find((v) => v.name === 'Vecteur')!;
    expect(version.imageSvg).to.include('<circle');
    expect(version.imageSvg).not.to.match(/script|onload|evil\.example/);
  });

  it('copies a starter badge from the catalogue', async () => {
    const page = await admin.get('/c/ariege/catalogue');
    expect(page.text).to.include('Travailler en équipe');
    expect(ids(page.text, /action="\/c\/ariege\/catalogue\/([\w-]+)"/g)).to.have.length(12);
    const picture = await fetch(`${app.url}/catalogue/equipe.svg`);
    expect(picture.headers.get('content-type')).to.match(/^image\/svg\+xml/);
    expect((await sharp(Buffer.from(await picture.arrayBuffer())).metadata()).width).to.equal(512);
    const reply = await admin.post('/c/ariege/catalogue/equipe', {});
    expect(reply.status).to.equal(303);
    const edit = await admin.follow(reply);
    expect(edit.text).to.include('value="Travailler en équipe"');
  });

  it('creates an atelier offering the badge, and imports a Windows-1252 CSV with one bad row reported', async () => {
    await admin.get('/c/ariege/ateliers/new');
    const created = await admin.post('/c/ariege/ateliers', { title: 'Atelier numérique', date: '2026-11-20', place: 'Salle des fêtes, Foix', facilitators: 'Claire', badgeClassIds: [badgeClassId] });
    expect(created.status).to.equal(303);
    atelierUrl = created.headers.get('location')!.split('?')[0]!;
    expect((await admin.get(created.headers.get('location')!)).text).to.include(translate('fr', 'atelier.done.created'));
    await admin.get(atelierUrl);
    const csv = Buffer.from('nom;prénom;email;consentement\r\nDurand;Hélène;helene@example.org;oui\r\nMartin;Loïc;;oui\r\nBernard;Zoé;pas-un-email;oui\r\nPetit;Anaïs;;oui\r\n', 'latin1');
    const reply = await admin.postMultipart(`${atelierUrl}/import`, {}, { field: 'file', name: 'liste.csv', type: 'text/csv', bytes: csv });
    expect(reply.status).to.equal(200);
    expect(reply.text).to.include('3 personnes ajoutées');
    expect(reply.text).to.include('Ligne 4');
    expect(reply.text).to.include('L’adresse e-mail n’est pas valable');
    expect(reply.text).to.include('Hélène Durand');
    expect(reply.text).to.include('Loïc Martin');
  });

  it('refuses a CSV that is not text, importing nothing', async () => {
    await admin.get(atelierUrl);
    const reply = await admin.postMultipart(`${atelierUrl}/import`, {}, { field: 'file', name: 'photo.csv', type: 'text/csv', bytes: await png('#000000', 10) });
    expect(reply.status).to.equal(415);
    expect(reply.text).to.include('n’est pas un CSV');
    expect(ids(reply.text, /\/participants\/([\w-]{22})\/erase/g)).to.have.length(3);
  });

  it('previews then issues badges to three participants, with their reflections', async () => {
    const form = await admin.get(`${atelierUrl}/issue`);
    const participants = ids(form.text, /name="participant" value="([\w-]{22})"/g);
    expect(participants).to.have.length(3);
    const fields = {
      badge: badgeClassId, participant: participants,
      ...Object.fromEntries(participants.map((id, i) => [`reflection_${id}`, `J’ai envoyé mon dossier en ligne (${i}).`])),
    };
    const preview = await admin.post(`${atelierUrl}/issue`, { ...fields, action: 'preview' });
    expect(preview.status).to.equal(200);
    expect(preview.text).to.include('Aperçu');
    expect(preview.text).to.include('J’ai envoyé mon dossier en ligne (0).');
    const issued = await admin.post(`${atelierUrl}/issue`, { ...fields, action: 'issue' });
    expect(issued.status).to.equal(303);
    const batchUrl = issued.headers.get('location')!;
    let batch: { state: string; done: number; failed: number } = { state: 'running', done: 0, failed: 0 };
    for (let i = 0; i < 100 && batch.state === 'running'; i++) {
      batch = JSON.parse((await admin.get(batchUrl, { accept: 'application/json' })).text);
      if (batch.state === 'running') await new Promise((r) => setTimeout(r, 100));
    }
    expect(batch).to.include({ state: 'finished', done: 3, failed: 0 });
    const page = await admin.get(atelierUrl);
    credentialIds = ids(page.text, /href="\/credentials\/([\w-]{22})"/g);
    expect(credentialIds).to.have.length(3);
  });

  it('refuses to issue the same badge twice to the same person unless asked', async () => {
    const form = await admin.get(`${atelierUrl}/issue`);
    const first = ids(form.text, /name="participant" value="([\w-]{22})"/g)[0]!;
    const again = await admin.post(`${atelierUrl}/issue`, { badge: badgeClassId, participant: first, action: 'issue' });
    const batchUrl = again.headers.get('location')!;
    await new Promise((r) => setTimeout(r, 300));
    const batch = JSON.parse((await admin.get(batchUrl, { accept: 'application/json' })).text);
    expect(batch).to.include({ done: 0, failed: 1 });
    expect(batch.errors[0].code).to.equal('ALREADY_ISSUED');
    const page = await admin.get(batchUrl);
    expect(page.text).to.include('a déjà le badge «\u202FFaire ses démarches en ligne\u202F»');
  });

  it('serves the public credential page with OpenGraph tags and alternate links to the badge itself, and every download verifies', async () => {
    const id = credentialIds[0]!;
    const page = await fetch(`${app.url}/credentials/${id}`).then((r) => r.text());
    expect(page).to.include(`<link rel="alternate" type="application/vc+ld+json" href="${app.url}/credentials/${id}.json">`)
      .and.include(`<link rel="alternate" type="application/vc+jwt" href="${app.url}/credentials/${id}.jwt">`);
    expect(page).to.include('<h1 id="badge-name">Faire ses démarches en ligne</h1>');
    expect(page).to.match(/Délivré à (Hélène Durand|Loïc Martin|Anaïs Petit)/);
    expect(page).to.include(`<meta property="og:url" content="${app.url}/credentials/${id}">`);
    expect(page).to.include('og:image');
    expect(page).to.include('Vérifier ce badge');

    const json = await fetch(`${app.url}/credentials/${id}`, { headers: { accept: 'application/ld+json' } }).then((r) => r.json()) as Record<string, unknown>;
    const status = json.credentialStatus as { statusListCredential: string; statusPurpose: string };
    expect(status.statusListCredential).to.equal(`${app.url}/status/ariege/1`);
    const list = await fetch(status.statusListCredential);
    expect(list.headers.get('cache-control')).to.equal('public, max-age=60');
    expect(((await list.json()) as { credentialSubject: { statusPurpose: string } }).credentialSubject.statusPurpose).to.equal('revocation');
    const report = await verify(json, { lang: 'en' });
    expect(report.verdict, JSON.stringify(report.checks)).to.equal('valid');
    const jwt = await fetch(`${app.url}/credentials/${id}.jwt`).then((r) => r.text());
    expect((await verify(jwt, { lang: 'en' })).verdict).to.equal('valid');
    const svg = await fetch(`${app.url}/credentials/${id}.svg`).then((r) => r.text());
    expect((await verify(svg, { lang: 'en' })).verdict).to.equal('valid');

    const baked = Buffer.from(await (await fetch(`${app.url}/credentials/${id}.png`)).arrayBuffer());
    expect(JSON.parse(unbakePng(baked).text).id).to.equal(`${app.url}/credentials/${id}`);
    const file = path.join(app.dir, 'badge.png');
    writeFileSync(file, baked);
    const cliReport = await cli(['verify', file, '--json']);
    expect(cliReport.code, cliReport.stdout).to.equal(0);
    expect(JSON.parse(cliReport.stdout).verdict).to.equal('valid');
  });

  it('the Vérifier button shows the verdict and every check; an address the verifier may not fetch shows no badge', async () => {
    const page = await fetch(`${app.url}/credentials/${credentialIds[1]}`).then((r) => r.text());
    const verifyUrl = /href="(\/verify\?url[^"]+)"/.exec(page)![1]!.replace(/&#x3D;/g, '=');
    const result = await fetch(`${app.url}${verifyUrl}`).then((r) => r.text());
    expect(result).to.include('Badge authentique et valable.');
    expect(result.match(/<li class="check-pass"/g)).to.have.length.greaterThan(5);
    expect(result).to.include('Signature intacte\u202F: Oui');
    expect(result).to.include('id="badge-name"');
    const elsewhere = await fetch(`${app.url}/verify?url=${encodeURIComponent('https://evil.invalid/credentials/x')}`).then((r) => r.text());
    expect(elsewhere).to.include('seules les adresses https publiques sont suivies');
    expect(elsewhere).not.to.include('id="badge-name"');
  });

  it('gives a participant a personal claim link: her badge, downloads, LinkedIn; the same link is shown again, a new link retires the old', async () => {
    const atelier = await admin.get(atelierUrl);
    expect(atelier.text).to.include(`/credentials/${credentialIds[1]}/claim-link`);
    const made = await admin.post(`/c/ariege/credentials/${credentialIds[1]}/claim-link`, {});
    expect(made.status).to.equal(200);
    expect(made.headers.get('cache-control')).to.equal('no-store');
    const link = /id="claim-url" type="text" readonly value="([^"]+)"/.exec(made.text)![1]!;
    expect(link).to.match(new RegExp(`^${app.url}/claim/[A-Za-z0-9_-]{43}$`));
    // The card's QR code is that link, as an inline SVG.
    const qr = /<img class="qr" src="data:image\/svg\+xml;base64,([^"]+)"/.exec(made.text)![1]!.replace(/&#x3D;/g, '=');
    expect(Buffer.from(qr, 'base64').toString()).to.equal(await QRCode.toString(link, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }));
    expect(made.text).to.include('Votre badge').and.include('<script src="/static/print.js" defer>');
    const claim = await fetch(link);
    expect(claim.status).to.equal(200);
    expect(claim.headers.get('cache-control')).to.equal('no-store');
    const page = await claim.text();
    expect(page).to.match(/Bravo .+\u202F! Voici votre badge\./);
    expect(page).to.match(/href="\/claim\/[A-Za-z0-9_-]{43}\/badge\.png"/);
    const through = /href="(\/claim\/[A-Za-z0-9_-]{43}\/linkedin)"/.exec(page)![1]!;
    const linkedIn = new URL((await fetch(`${app.url}${through}`, { redirect: 'manual' })).headers.get('location')!);
    expect(linkedIn.origin + linkedIn.pathname).to.equal('https://www.linkedin.com/profile/add');
    expect(Object.fromEntries(linkedIn.searchParams)).to.include({
      startTask: 'CERTIFICATION_NAME', organizationName: "Badgeons l'Ariège", certUrl: `${app.url}/credentials/${credentialIds[1]}`, certId: credentialIds[1],
    });
    expect(linkedIn.searchParams.get('issueYear')).to.match(/^20\d\d$/);
    // The card: the badge's picture, and a short code to type at <host>/code, which opens the same page.
    const code = /<strong class="claim-card-code">(BDG-[0-9A-Z]{5}-[0-9A-Z]{5})<\/strong>/.exec(made.text)![1]!;
    expect(made.text).to.include(`${app.url.replace(/^https?:\/\//, '')}/code`).and.include('class="claim-card-picture"');
    const typed = code.toLowerCase().replace(/-/g, ' ').replace(/0/g, 'o');
    const opened = await admin.post('/code', { code: typed });
    expect(opened.status).to.equal(303);
    expect(`${app.url}${opened.headers.get('location')}`).to.equal(link);
    const wrong = await admin.post('/code', { code: 'BDG-00000-00000' });
    expect(wrong.status).to.equal(404);
    expect(wrong.text).to.include(translate('fr', 'error.CODE_UNKNOWN'));
    const same = await admin.post(`/c/ariege/credentials/${credentialIds[1]}/claim-link`, {});
    expect(/id="claim-url" type="text" readonly value="([^"]+)"/.exec(same.text)![1], 'shown again, the link is the same (the card can be reprinted)').to.equal(link);
    const again = await admin.post(`/c/ariege/credentials/${credentialIds[1]}/claim-link`, { renew: '1' });
    const newLink = /id="claim-url" type="text" readonly value="([^"]+)"/.exec(again.text)![1]!;
    expect(newLink).not.to.equal(link);
    expect((await fetch(link)).status, 'the old link is retired').to.equal(410);
    expect((await fetch(newLink)).status).to.equal(200);
    expect((await fetch(`${app.url}/claim/not-a-token`)).status).to.equal(410);
  });

  it('keeps issued badges unchanged when the badge class is edited (a new version)', async () => {
    const before = await fetch(`${app.url}/credentials/${credentialIds[0]}.json`).then((r) => r.text());
    await admin.get(`/c/ariege/badges/${badgeClassId}`);
    const reply = await admin.postMultipart(`/c/ariege/badges/${badgeClassId}`, {
      name: 'Démarches en ligne (v2)', description: 'Nouvelle description.', criteria: 'c', imageAlt: 'Un écran', achievementType: 'ext:DigitalSkill',
    });
    expect(reply.status).to.equal(303);
    expect(await fetch(`${app.url}/credentials/${credentialIds[0]}.json`).then((r) => r.text())).to.equal(before);
    const oldAchievement = JSON.parse(before).credentialSubject.achievement.id as string;
    const served = await fetch(oldAchievement, { headers: { accept: 'application/json' } }).then((r) => r.json()) as { name: string };
    expect(served.name).to.equal('Faire ses démarches en ligne');
  });

  it('re-issues when asked; a badge class with alignment and validity gives badges that say so', async () => {
    await admin.get(`/c/ariege/badges/${badgeClassId}`);
    await admin.postMultipart(`/c/ariege/badges/${badgeClassId}`, {
      name: 'Démarches en ligne (v3)', description: 'd', criteria: 'c', imageAlt: 'Un écran', achievementType: 'ext:DigitalSkill', validityDays: '365',
      alignmentUrl: 'https://esco.example.org/skill/demarches', alignmentName: 'Utiliser des services en ligne',
    });
    const form = await admin.get(`${atelierUrl}/issue`);
    const first = ids(form.text, /name="participant" value="([\w-]{22})"/g)[0]!;
    const again = await admin.post(`${atelierUrl}/issue`, { badge: badgeClassId, participant: first, action: 'issue', reissue: 'yes' });
    const batchUrl = again.headers.get('location')!;
    let batch = JSON.parse((await admin.get(batchUrl, { accept: 'application/json' })).text);
    while (batch.state === 'running') batch = JSON.parse((await admin.get(batchUrl, { accept: 'application/json' })).text);
    expect(batch).to.include({ done: 1, failed: 0 });
    const record = (await app.ctx.store.credentials.forParticipant(first, badgeClassId))!;
    const credential = JSON.parse(record.json!);
    expect(Date.parse(credential.validUntil) - Date.parse(credential.validFrom)).to.equal(365 * 86_400_000);
    expect(credential.credentialSubject.achievement.alignment).to.deep.equal([{ type: ['Alignment'], targetName: 'Utiliser des services en ligne', targetUrl: 'https://esco.example.org/skill/demarches' }]);
    expect((await verify(credential, { lang: 'en' })).verdict).to.equal('valid');
  });

  it('an admin sets the collective’s logo, which its Profile then carries', async () => {
    await admin.get('/c/ariege/settings');
    const saved = await admin.postMultipart('/c/ariege/settings', { name: "Badgeons l'Ariège", town: 'Foix', description: '', url: 'https://ariege.example.org', email: 'contact@ariege.example.org' },
      { field: 'logo', name: 'logo.webp', type: 'image/webp', bytes: await sharp(await png('#123456', 600)).webp().toBuffer() });
    expect(saved.status).to.equal(200);
    const logo = await fetch(`${app.url}/issuers/ariege/logo.png`);
    expect((await sharp(Buffer.from(await logo.arrayBuffer())).metadata()).width).to.equal(256);
    const profile = await fetch(`${app.url}/issuers/ariege`, { headers: { accept: 'application/json' } }).then((r) => r.json()) as { image: { id: string }; url: string };
    expect(profile.image.id).to.equal(`${app.url}/issuers/ariege/logo.png`);
    expect(profile.url).to.equal('https://ariege.example.org');
  });

  it('keeps one collective’s facilitator out of another collective', async () => {
    await admin.get('/dashboard');
    await admin.post('/collectives', { slug: 'couserans', name: 'Collectif du Couserans' });
    await admin.get('/c/couserans/settings');
    const added = await admin.post('/c/couserans/members', { name: 'Sam', email: 'sam@example.org', role: 'facilitator' });
    const link = /value="(http[^"]+\/invitations\/[\w-]+)"/.exec(added.text)![1]!;
    const sam = new WebClient(app.url);
    await sam.get(new URL(link).pathname);
    expect((await sam.post(new URL(link).pathname, { name: 'Sam', password: 'le mot de passe de Sam' })).status).to.equal(303);
    expect((await sam.login('sam@example.org', 'le mot de passe de Sam')).status).to.equal(303);
    expect((await sam.get('/c/couserans')).status).to.equal(200);
    expect((await sam.get('/c/couserans/settings')).status).to.equal(403);
    for (const url of ['/c/ariege', atelierUrl, `${atelierUrl}/issue`, `/c/ariege/badges/${badgeClassId}`, '/c/ariege/settings']) {
      const reply = await sam.get(url);
      expect(reply.status, url).to.equal(403);
      expect(reply.text).not.to.include('Hélène');
    }
    // Ids from the other collective under Sam's own collective are not found either.
    expect((await sam.get(`/c/couserans/ateliers/${atelierUrl.split('/').pop()}`)).status).to.equal(404);
    const post = await sam.post(`${atelierUrl}/participants`, { name: 'Intrus' });
    expect(post.status).to.equal(403);
    const anonymous = new WebClient(app.url);
    const redirected = await anonymous.get('/c/ariege');
    expect(redirected.status).to.equal(303);
    expect(redirected.headers.get('location')).to.equal('/login?next=%2Fc%2Fariege');
  });

  it('erases a participant: the public page is gone (410), the downloaded badge still verifies', async () => {
    const id = credentialIds[0]!;
    const kept = await fetch(`${app.url}/credentials/${id}.json`).then((r) => r.json()) as Record<string, unknown>;
    const record = (await app.ctx.store.credentials.byId(id))!;
    const page = await admin.get(atelierUrl);
    expect(page.text).to.include(`/participants/${record.participantId}/erase`);
    const answer = await admin.post(`/c/ariege/participants/${record.participantId}/erase`, {});
    expect(answer.status, 'a redirect, so that a reload does not post again').to.equal(303);
    const erased = await admin.follow(answer);
    expect(erased.status).to.equal(200);
    expect(erased.text).to.include('Les données de la personne sont effacées');
    const gone = await fetch(`${app.url}/credentials/${id}`);
    expect(gone.status).to.equal(410);
    expect(await gone.text()).to.include('demandé l’effacement');
    const stored = (await app.ctx.store.credentials.byId(id))!;
    expect([stored.json, stored.recipientName, stored.participantId]).to.deep.equal([null, '', null]);
    clearDocumentCache();
    expect((await verify(kept, { lang: 'en' })).verdict).to.equal('valid');
  });

  it('keeps serving pages while a batch of 300 badges is being issued', async () => {
    const collective = (await app.ctx.store.collectives.bySlug('ariege'))!;
    const atelierId = atelierUrl.split('/').pop()!;
    const now = new Date().toISOString();
    const many = Array.from({ length: 300 }, (_, i) => ({
      id: `batch-participant-${String(i).padStart(4, '0')}`.padEnd(22, 'x').slice(0, 22), atelierId, collectiveId: collective.id,
      name: `Personne ${i}`, email: '', consentAt: now, createdAt: now, facts: NO_FACTS,
    }));
    await app.ctx.store.ateliers.addParticipants(many);
    await admin.get(`${atelierUrl}/issue`);
    const started = await admin.post(`${atelierUrl}/issue`, { badge: badgeClassId, participant: many.map((p) => p.id), action: 'issue' });
    const batchUrl = started.headers.get('location')!;
    const during = await fetch(`${app.url}/credentials/${credentialIds[1]}`);
    expect(during.status).to.equal(200);
    const progress = JSON.parse((await admin.get(batchUrl, { accept: 'application/json' })).text);
    expect(progress.state, 'the page answered before the batch ended').to.equal('running');
    expect((await admin.get(batchUrl)).text).to.match(/<progress max="300" value="\d+"/);
    let batch = progress;
    while (batch.state === 'running') {
      await new Promise((r) => setTimeout(r, 200));
      batch = JSON.parse((await admin.get(batchUrl, { accept: 'application/json' })).text);
    }
    expect(batch).to.include({ done: 300, failed: 0 });
  });

  it('throttles repeated failed logins, and resets a password through a link left on the server, never in the logs', async () => {
    const client = new WebClient(app.url);
    for (let i = 0; i < 5; i++) expect((await client.login('sam@example.org', `mauvais ${i}`)).status).to.equal(401);
    const blocked = await client.login('sam@example.org', 'le mot de passe de Sam');
    expect(blocked.status).to.equal(429);
    expect(blocked.text).to.include('Trop d’essais');
    await client.get('/password/forgot');
    const asked = await client.post('/password/forgot', { email: 'admin@example.org' });
    expect(asked.text).to.include('C’est noté');
    // No mail server: the message is in DATA_DIR/outbox for the people running the server, not in the logs nor on a page.
    const record = (await app.ctx.store.mail.list(null, 10)).find((m) => m.kind === 'password-reset')!;
    const eml = readFileSync(path.join(app.dir, 'data', 'outbox', record.file!), 'utf8');
    const link = /http:\/\/\S+\/password\/[A-Za-z0-9_-]{43}/.exec(eml)![0];
    expect(app.logs.join('\n')).not.to.include(new URL(link).pathname.split('/').pop());
    expect((await admin.get(`/admin/outbox/${record.id}`)).status, 'not even for the instance admin').to.equal(403);
    await client.get(new URL(link).pathname);
    expect((await client.post(new URL(link).pathname, { password: 'court' })).text).to.include('au moins 10 caractères');
    expect((await client.post(new URL(link).pathname, { password: 'un tout nouveau mot de passe' })).text).to.include('Votre mot de passe est enregistré');
    expect((await client.get(new URL(link).pathname)).status).to.equal(404);
    expect((await client.login(ADMIN.email, 'un tout nouveau mot de passe')).status).to.equal(303);
  });

  it('marks cookies Secure when PUBLIC_URL is https', async () => {
    const secure = await startTestApp({ PUBLIC_URL: 'https://badges.example.org' });
    try {
      const reply = await new WebClient(secure.url).login();
      expect(reply.headers.get('set-cookie')).to.match(/badgeons_session=[^;]+; Path=\/; HttpOnly; SameSite=Lax; Secure/);
    } finally {
      await secure.close();
    }
  });

  it('answers in English when asked, and with plain error pages, never a stack trace', async () => {
    const en = new WebClient(app.url, 'en-GB,en;q=0.9');
    const home = await en.get('/');
    expect(home.text).to.include('<html lang="en">');
    expect(home.text).to.include('Welcome to Badgeons');
    const missing = await en.get('/credentials/AAAAAAAAAAAAAAAAAAAAAA');
    expect(missing.status).to.equal(404);
    expect(missing.text).to.include('This page does not exist');
    const switched = await en.get('/lang/fr?next=/');
    expect(switched.status).to.equal(303);
    expect((await en.get('/')).text).to.include('Bienvenue sur Badgeons');
    const garbage = await fetch(`${app.url}/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":' });
    expect(garbage.status).to.equal(415);
    expect(await garbage.text()).not.to.match(/at .+\.js:\d+/);
  });
});
