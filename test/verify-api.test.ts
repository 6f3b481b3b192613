// Verification for everyone and revocation, over real HTTP: the JSON APIs (VC-API and ours),
// API tokens, revocation / suspension / renewal round trips, another issuer's badges served by a
// real server, and hostile input. The app and the other issuer run on loopback; the SSRF guard
// lets the test issuer through by name (BADGEONS_FETCH_ALLOW_HOSTS) and nothing else.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { deflateSync, gunzipSync } from 'node:zlib';
import sharp from 'sharp';
import { bakePng, makeChunk, PNG_SIGNATURE } from '../src/ob3/bake/png.js';
import { clearDocumentCache } from '../src/ob3/documents.js';
import type { OpenBadgeCredential, VerificationReport } from '../src/ob3/model.js';
import { WebClient, startTestApp, type TestApp } from './helpers/app.js';
import { DISPLAYER_ISSUER_NAME, publishDisplayerCases, type DisplayerBadge } from './helpers/displayer.js';
import { FIXTURES } from './helpers/fixtures.js';
import { startDocumentServer, type DocumentServer } from './helpers/server.js';

type Report = VerificationReport & { issuer?: { id: string; name: string; known: boolean } };
const UNBAKED = readFileSync(path.join(FIXTURES, 'images', 'unbaked.png'));

/** A PNG whose credential chunk is compressed and inflates to `size` bytes. */
function decompressionBomb(size: number): Buffer {
  const ihdrEnd = 8 + 25;
  const data = Buffer.concat([Buffer.from('openbadgecredential\0\x01\0\0\0', 'latin1'), deflateSync(Buffer.alloc(size, 0x20))]);
  return Buffer.concat([PNG_SIGNATURE, UNBAKED.subarray(8, ihdrEnd), makeChunk('iTXt', data), UNBAKED.subarray(ihdrEnd)]);
}

describe('verification for everyone, and revocation (HTTP)', function () {
  this.timeout(60_000);
  let app: TestApp;
  let server: DocumentServer;
  let admin: WebClient;
  let cases: DisplayerBadge[];
  let token: string;
  let revocableAchievement: string;
  let suspendableAchievement: string;

  const api = async (url: string, body: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${app.url}${url}`, {
      method: 'POST', body: Buffer.isBuffer(body) || typeof body === 'string' ? body : JSON.stringify(body),
      headers: { 'content-type': 'application/json', 'accept-language': 'en', ...headers },
    });
    return { status: res.status, headers: res.headers, json: (await res.json()) as Record<string, unknown> };
  };
  const verifyApi = async (body: unknown, headers: Record<string, string> = {}) => (await api('/api/v1/verify', body, headers)).json as unknown as Report;
  const issue = (achievement: string, extra: Record<string, unknown> = {}, options: Record<string, unknown> = {}) =>
    api('/credentials/issue', {
      credential: {
        credentialSubject: { name: 'Camille', identifier: [{ type: 'IdentityObject', identityType: 'emailAddress', hashed: false, identityHash: 'camille@example.org' }], achievement: { id: achievement } },
        evidence: [{ narrative: 'J’ai accueilli les nouvelles personnes.' }],
        ...extra,
      },
      options,
    }, { authorization: `Bearer ${token}` });

  async function createBadge(name: string, fields: Record<string, string>): Promise<string> {
    const picture = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#1f6f8b' } }).png().toBuffer();
    await admin.get('/c/ariege/badges/new');
    const reply = await admin.postMultipart('/c/ariege/badges', {
      name, description: `${name}, reconnu en atelier.`, criteria: 'Avoir participé.', imageAlt: 'Un cercle bleu', achievementType: 'ext:SoftSkill', ...fields,
    }, { field: 'image', name: 'b.png', type: 'image/png', bytes: picture });
    expect(reply.status, reply.text.slice(0, 300)).to.equal(303);
    const collective = (await app.ctx.store.collectives.bySlug('ariege'))!;
    const version = (await app.ctx.store.achievements.current(collective.id)).find((v) => v.name === name)!;
    return `${app.url}/achievements/${version.id}`;
  }

  before(async () => {
    clearDocumentCache();
    server = await startDocumentServer();
    cases = await publishDisplayerCases(server);
    app = await startTestApp({
      BADGEONS_FETCH_ALLOW_HOSTS: new URL(server.origin).host, BADGEONS_FETCH_TIMEOUT_MS: '1000', BADGEONS_RATE_LIMIT: '100000',
    });
    admin = new WebClient(app.url);
    await admin.login();
    await admin.get('/dashboard');
    await admin.post('/collectives', { slug: 'ariege', name: "Badgeons l'Ariège", town: 'Foix' });
    revocableAchievement = await createBadge('Accueillir', {});
    suspendableAchievement = await createBadge('Animer un groupe', { statusPurpose: 'suspension', validityDays: '365' });
  });
  after(async () => {
    await app.close();
    await server.close();
  });

  it('an admin creates an API token, shown once and stored hashed; issuing needs it', async () => {
    await admin.get('/c/ariege/settings');
    const page = await admin.post('/c/ariege/tokens', { name: 'Logiciel du centre social' });
    token = /id="new-token" type="text" readonly value="([^"]+)"/.exec(page.text)![1]!;
    expect(token).to.match(/^bdg_[A-Za-z0-9_-]{43}$/);
    const collective = (await app.ctx.store.collectives.bySlug('ariege'))!;
    const [stored] = await app.ctx.store.apiTokens.list(collective.id);
    expect(stored!.hash).to.match(/^[A-Za-z0-9_-]{43}$/).and.not.to.include(token);
    expect((await admin.get('/c/ariege/settings')).text).not.to.include(token);

    const missing = await api('/credentials/issue', { credential: {} });
    expect(missing.status).to.equal(401);
    expect(missing.json).to.deep.equal({ error: { code: 'API_TOKEN_MISSING', message: 'API token missing: send the header "Authorization: Bearer <token>".' } });
    const wrong = await api('/credentials/issue', { credential: {} }, { authorization: 'Bearer bdg_wrong' });
    expect((wrong.json.error as { code: string }).code).to.equal('API_TOKEN_INVALID');
  });

  it('POST /credentials/issue signs a badge of the collective (Data Integrity or JWT) that verifies, and refuses what is not its own', async () => {
    const reply = await issue(revocableAchievement);
    expect(reply.status).to.equal(201);
    const credential = reply.json.verifiableCredential as OpenBadgeCredential;
    expect(credential.id).to.equal(`${app.url}${reply.headers.get('location')}`);
    expect(credential.credentialSubject.name).to.equal('Camille');
    expect(credential.evidence![0]!.narrative).to.equal('J’ai accueilli les nouvelles personnes.');
    expect(credential.credentialStatus).to.include({ type: 'BitstringStatusListEntry', statusPurpose: 'revocation' });
    const check = await api('/credentials/verify', { verifiableCredential: credential });
    expect(check.status).to.equal(200);
    expect(check.json).to.include({ verified: true, verdict: 'valid' });
    expect(check.json.checks).to.include.members(['proof', 'provenance', 'status']);
    expect(check.json.errors).to.deep.equal([]);

    const jwt = await issue(revocableAchievement, {}, { format: 'jwt' });
    expect(jwt.json.verifiableCredential).to.be.a('string').and.match(/^ey[\w-]+\.[\w-]+\.[\w-]+$/);
    expect((await api('/credentials/verify', { verifiableCredential: jwt.json.verifiableCredential })).json.verdict).to.equal('valid');

    const foreign = await issue('https://elsewhere.example/achievements/1');
    expect(foreign.status).to.equal(400);
    expect((foreign.json.error as { code: string }).code).to.equal('API_ACHIEVEMENT_UNKNOWN');
    const otherIssuer = await issue(revocableAchievement, { issuer: 'did:web:elsewhere.example' });
    expect((otherIssuer.json.error as { code: string }).code).to.equal('API_ISSUER_MISMATCH');
    const noRecipient = await api('/credentials/issue', { credential: { credentialSubject: { achievement: { id: revocableAchievement } } } }, { authorization: `Bearer ${token}` });
    expect((noRecipient.json.error as { code: string }).code).to.equal('API_REQUEST_INVALID');
    const collective = (await app.ctx.store.collectives.bySlug('ariege'))!;
    expect(await app.ctx.store.credentials.count(collective.id), 'refused requests store nothing').to.equal(2);
  });

  it('revokes through the API: verify says revoked at once, everywhere; a revocation cannot be undone', async () => {
    const credential = (await issue(revocableAchievement)).json.verifiableCredential as OpenBadgeCredential;
    expect((await verifyApi({ url: credential.id })).verdict).to.equal('valid');
    const revoke = await api('/credentials/status', { credentialId: credential.id, credentialStatus: [{ type: 'BitstringStatusListCredential', status: 'revoked' }], reason: 'Délivré par erreur' }, { authorization: `Bearer ${token}` });
    expect(revoke.status).to.equal(200);
    expect(revoke.json).to.deep.equal({ credentialId: credential.id, status: 'revoked' });
    // by URL, as pasted JSON, as a baked PNG, and through VC-API
    expect((await verifyApi({ url: credential.id })).verdict).to.equal('revoked');
    expect((await verifyApi(credential)).verdict).to.equal('revoked');
    expect((await verifyApi(bakePng(UNBAKED, JSON.stringify(credential)), { 'content-type': 'image/png' })).verdict).to.equal('revoked');
    const vcApi = await api('/credentials/verify', { verifiableCredential: credential });
    expect(vcApi.status).to.equal(400);
    expect((vcApi.json.errors as { title: string }[]).map((e) => e.title)).to.deep.equal(['status']);
    // The list itself, as any verifier fetches it: short cache, bit set at the credential's index.
    const entry = credential.credentialStatus as { statusListCredential: string; statusListIndex: string };
    const list = await fetch(entry.statusListCredential);
    expect(list.headers.get('cache-control')).to.equal('public, max-age=60');
    const bits = gunzipSync(Buffer.from(((await list.json()) as { credentialSubject: { encodedList: string } }).credentialSubject.encodedList.slice(1), 'base64url'));
    const index = Number(entry.statusListIndex);
    expect(bits.length).to.equal(131072 / 8);
    expect((bits[index >> 3]! >> (7 - (index & 7))) & 1).to.equal(1);
    const again = await api('/credentials/status', { credentialId: credential.id, credentialStatus: [{ type: 'BitstringStatusListCredential', status: 'active' }] }, { authorization: `Bearer ${token}` });
    expect(again.status).to.equal(409);
    expect((again.json.error as { code: string }).code).to.equal('ALREADY_REVOKED');
    // The public page says so; the private reason stays private.
    const page = await fetch(credential.id).then((r) => r.text());
    expect(page).to.include('Ce badge a été révoqué par Badgeons l&#x27;Ariège');
    expect(page).not.to.include('Délivré par erreur');
  });

  it('suspends then reinstates a badge whose class allows it, from its page (with a private reason)', async () => {
    const credential = (await issue(suspendableAchievement)).json.verifiableCredential as OpenBadgeCredential;
    expect(credential.credentialStatus).to.include({ statusPurpose: 'suspension' });
    const revocationList = (await issue(revocableAchievement)).json.verifiableCredential as OpenBadgeCredential;
    const listOf = (c: OpenBadgeCredential) => (c.credentialStatus as { statusListCredential: string }).statusListCredential;
    expect(listOf(credential), 'one list per purpose').not.to.equal(listOf(revocationList));
    const page = await admin.get(new URL(credential.id).pathname);
    expect(page.text).to.include('Suspendre ce badge').and.not.to.include('Révoquer ce badge');
    const id = new URL(credential.id).pathname.split('/').pop()!;
    const suspended = await admin.follow(await admin.post(`/c/ariege/credentials/${id}/status`, { action: 'suspend', reason: 'Vérification en cours', confirm: 'yes' }));
    expect(suspended.text).to.include('Le badge est suspendu.').and.include('Vérification en cours').and.include('Rétablir ce badge');
    expect((await verifyApi({ url: credential.id })).verdict).to.equal('suspended');
    const publicPage = await fetch(credential.id).then((r) => r.text());
    expect(publicPage).to.include('Ce badge est suspendu').and.not.to.include('Vérification en cours');
    const stranger = new WebClient(app.url);
    await stranger.get('/verify');
    const refused = await stranger.post(`/c/ariege/credentials/${id}/status`, { action: 'reinstate' });
    expect(refused.status).to.equal(401);
    await admin.follow(await admin.post(`/c/ariege/credentials/${id}/status`, { action: 'reinstate' }));
    expect((await verifyApi({ url: credential.id })).verdict).to.equal('valid');
    const wrongAction = await admin.post(`/c/ariege/credentials/${id}/status`, { action: 'revoke', confirm: 'yes' });
    expect(wrongAction.status).to.equal(409);
  });

  it('renews a badge: same id, newer validFrom and validUntil; pages say when it expires', async () => {
    const credential = (await issue(suspendableAchievement)).json.verifiableCredential as OpenBadgeCredential;
    expect(Date.parse(credential.validUntil!) - Date.parse(credential.validFrom!)).to.equal(365 * 86_400_000);
    const id = new URL(credential.id).pathname.split('/').pop()!;
    const page = await admin.get(`/credentials/${id}`);
    expect(page.text).to.match(/Expire le \d+ \S+ \d{4}/);
    await new Promise((resolve) => setTimeout(resolve, 1100)); // renewals come later than the second they were issued in
    const renewed = await admin.follow(await admin.post(`/c/ariege/credentials/${id}/renew`, {}));
    expect(renewed.text).to.include('Le badge est renouvelé.');
    const current = await fetch(`${credential.id}.json`).then((r) => r.json()) as OpenBadgeCredential;
    expect(current.id).to.equal(credential.id);
    expect(Date.parse(current.validFrom!)).to.be.greaterThan(Date.parse(credential.validFrom!));
    expect(Date.parse(current.validUntil!)).to.be.greaterThan(Date.parse(credential.validUntil!));
    expect(current.credentialStatus).to.deep.equal(credential.credentialStatus);
    expect((await verifyApi(current)).verdict).to.equal('valid');
    const jwt = await fetch(`${credential.id}.jwt`).then((r) => r.text());
    expect(JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()).validFrom).to.equal(current.validFrom);
  });

  it('verifies another issuer’s badges (the 1EdTech displayer cases, VC 2.0 and 1.1) by URL, JSON, JWT-less PNG, and multipart upload', async () => {
    for (const c of cases) {
      const byUrl = await verifyApi({ url: c.url });
      expect(byUrl.verdict, `${c.expect} VC ${c.vc} by URL: ${JSON.stringify(byUrl.checks)}`).to.equal(c.expect);
      expect(byUrl.issuer).to.deep.include({ name: DISPLAYER_ISSUER_NAME, known: false });
      expect((await verifyApi(c.credential)).verdict, `${c.expect} VC ${c.vc} as JSON`).to.equal(c.expect);
      const form = new FormData();
      form.append('file', new Blob([bakePng(UNBAKED, JSON.stringify(c.credential))], { type: 'image/png' }), 'badge.png');
      const upload = await fetch(`${app.url}/api/v1/verify`, { method: 'POST', body: form }).then((r) => r.json()) as Report;
      expect(upload.verdict, `${c.expect} VC ${c.vc} uploaded`).to.equal(c.expect);
    }
    const vcApi = await api('/credentials/verify', { verifiableCredential: cases[0]!.credential });
    expect((vcApi.json.warnings as { title: string }[]).map((w) => w.title)).to.include('issuer');
  });

  it('fails closed when another issuer’s status list cannot be had', async () => {
    const saved = server.routes.get('/status/v2')!;
    // What the verifier fetched is kept a minute, in each worker thread: forget it, as a minute would.
    await app.ctx.workers.forgetFetched();
    server.routes.set('/status/v2', { body: 'oops', status: 500 });
    try {
      const report = await verifyApi(cases[0]!.credential);
      expect(report.verdict).to.equal('unverifiable');
      expect(report.checks.find((c) => c.id === 'status')!.status).to.equal('fail');
    } finally {
      server.routes.set('/status/v2', saved);
      await app.ctx.workers.forgetFetched();
    }
  });

  it('a tampered badge fails on its proof and names no issuer', async () => {
    const tampered = { ...cases[0]!.credential, name: 'Diplôme de médecine' };
    const report = await verifyApi(tampered);
    expect(report.verdict).to.equal('invalid');
    expect(report.checks.find((c) => c.id === 'proof')!.status).to.equal('fail');
    expect(report.issuer).to.equal(undefined);
  });

  describe('abuse', () => {
    const formatFailure = async (body: unknown, headers: Record<string, string> = {}) => {
      const started = Date.now();
      const report = await verifyApi(body, headers);
      return { report, ms: Date.now() - started, format: report.checks.find((c) => c.id === 'format')!.message };
    };

    it('an upload over the limit gets 413 with a message, and nothing else breaks', async () => {
      const reply = await api('/api/v1/verify', Buffer.alloc(9 * 1024 * 1024, 0x20), { 'content-type': 'application/octet-stream' });
      expect(reply.status).to.equal(413);
      expect((reply.json.error as { code: string }).code).to.equal('UPLOAD_TOO_LARGE');
      const page = new WebClient(app.url);
      await page.get('/verify');
      const form = await page.postMultipart('/verify', {}, { field: 'file', name: 'big.png', type: 'image/png', bytes: Buffer.alloc(9 * 1024 * 1024) });
      expect(form.status).to.equal(413);
      expect(form.text).to.include('Le fichier envoyé est trop lourd.');
    });

    it('a PNG with a huge iTXt chunk, and a compressed one (a decompression bomb): a clean failed check, nothing inflated', async () => {
      const huge = await formatFailure(bakePng(UNBAKED, 'x'.repeat(3 * 1024 * 1024)), { 'content-type': 'image/png' });
      expect(huge.report.verdict).to.equal('invalid');
      expect(huge.format).to.include('too large');
      const bomb = await formatFailure(decompressionBomb(200 * 1024 * 1024), { 'content-type': 'image/png' });
      expect(bomb.report.verdict).to.equal('invalid');
      expect(bomb.format).to.include('compressed').and.include('§5.3.1');
    });

    it('SVG with an external entity or a billion laughs, and bytes that are not UTF-8: a clean failed check', async () => {
      const xxe = await formatFailure('<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg">&x;</svg>', { 'content-type': 'image/svg+xml' });
      expect(xxe.report.verdict).to.equal('invalid');
      expect(xxe.format).to.include('DOCTYPE').and.not.to.include('root:');
      const laughs = await formatFailure(`<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('')}]><svg xmlns="http://www.w3.org/2000/svg">&lol9;</svg>`, { 'content-type': 'image/svg+xml' });
      expect(laughs.report.verdict).to.equal('invalid');
      // Not UTF-8: read as Windows-1252 (a badge saved again by Notepad would verify), which here is no JSON.
      const notUtf8 = await formatFailure(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), { 'content-type': 'application/json' });
      expect(notUtf8.report.verdict, 'damaged or mistyped text says nothing of a badge').to.equal('unverifiable');
      expect(notUtf8.format).to.include('JSON');
    });

    it('refuses URLs at private addresses or without https (SSRF), and gives up on a URL that never answers', async () => {
      const appPort = new URL(app.url).port;
      for (const url of [`http://127.0.0.1:${appPort}/issuers/ariege/did.json`, 'https://10.0.0.1/badge.json', 'https://169.254.169.254/latest/meta-data/', 'https://[::1]/x', 'http://example.org/badge.json', 'https://localhost/x']) {
        const { report, format } = await formatFailure({ url });
        expect(report.verdict, `${url}: cannot be had, says nothing of the badge`).to.equal('unverifiable');
        expect(format, url).to.include('only public https addresses');
      }
      server.routes.set('/hang', { body: '', hang: true });
      const hang = await formatFailure({ url: `${server.origin}/hang` });
      expect(hang.format).to.include('did not answer in time (1000 ms)');
      expect(hang.ms).to.be.lessThan(5000);
      expect((await fetch(`${app.url}/`)).status, 'the server is still up').to.equal(200);
    });

    it('malformed API bodies get a specific error code, never a 500', async () => {
      const empty = await api('/api/v1/verify', '', { 'content-type': 'application/json' });
      expect(empty.status).to.equal(400);
      expect((empty.json.error as { code: string }).code).to.equal('VERIFY_INPUT_MISSING');
      const noCredential = await api('/credentials/verify', { something: 1 });
      expect((noCredential.json.error as { code: string }).code).to.equal('API_REQUEST_INVALID');
      const badJson = await api('/credentials/verify', '{"verifiableCredential": ', {});
      expect(badJson.status).to.equal(400);
      const garbage = await verifyApi('not a badge at all', { 'content-type': 'text/plain' });
      expect(garbage.verdict).to.equal('unsupported');
    });
  });

  it('answers the common verification ahead of Express exactly as the route does: headers, report, errors, log', async () => {
    const credential = (await issue(revocableAchievement)).json.verifiableCredential as OpenBadgeCredential;
    const gzip = (await import('node:zlib')).gzipSync(JSON.stringify(credential));
    // The lane takes a plain body with no query; a query, a multipart form or a compressed body go to the Express route.
    const replies = {
      lane: await api('/api/v1/verify', credential, { 'x-request-id': 'lane-1' }),
      route: await api('/api/v1/verify?recipient=', credential, { 'x-request-id': 'route-1' }),
      gzip: await api('/api/v1/verify', gzip, { 'content-encoding': 'gzip' }),
    };
    const headers = ['content-type', 'content-security-policy', 'x-content-type-options', 'referrer-policy', 'x-frame-options', 'access-control-allow-origin', 'access-control-allow-methods'];
    for (const [name, reply] of Object.entries(replies)) {
      expect(reply.status, name).to.equal(200);
      expect((reply.json as unknown as Report).verdict, name).to.equal('valid');
      expect((reply.json as unknown as Report).issuer, name).to.include({ known: true, name: "Badgeons l'Ariège" });
      expect(headers.map((h) => reply.headers.get(h)), name).to.deep.equal(headers.map((h) => replies.route.headers.get(h)));
    }
    expect(replies.lane.headers.get('x-request-id')).to.equal('lane-1');
    expect(replies.lane.json.checks).to.deep.equal(replies.route.json.checks);
    // Errors in the API's shape, from both.
    for (const url of ['/api/v1/verify', '/api/v1/verify?recipient=']) {
      const empty = await api(url, '', { 'content-type': 'application/octet-stream' });
      expect([empty.status, (empty.json.error as { code: string }).code], url).to.deep.equal([400, 'VERIFY_INPUT_MISSING']);
      expect(empty.headers.get('access-control-allow-origin'), url).to.equal('*');
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    const logged = app.logs.filter((l) => l.startsWith('request ')).map((l) => JSON.parse(l.slice(8)) as Record<string, unknown>);
    expect(logged.find((e) => e.reqId === 'lane-1')).to.include({ method: 'POST', path: '/api/v1/verify', status: 200 });
  });

  it('answers CORS preflights, for any origin', async () => {
    const res = await fetch(`${app.url}/credentials/verify`, { method: 'OPTIONS', headers: { origin: 'https://wallet.example', 'access-control-request-method': 'POST' } });
    expect(res.status).to.equal(204);
    expect(res.headers.get('access-control-allow-origin')).to.equal('*');
    expect(res.headers.get('access-control-allow-headers')).to.include('Authorization');
  });

  it('limits requests per client address, with Retry-After, on the APIs and the verifier page', async () => {
    const limited = await startTestApp({ BADGEONS_RATE_LIMIT: '3' });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        statuses.push((await fetch(`${limited.url}/api/v1/verify`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })).status);
      }
      expect(statuses).to.deep.equal([200, 200, 200, 429]);
      // Behind a reverse proxy on this machine, each client counts for itself, ahead of Express as in it.
      const forwarded = async (client: string, query = '') => (await fetch(`${limited.url}/api/v1/verify${query}`, { method: 'POST', body: '{}', headers: { 'x-forwarded-for': client } })).status;
      expect([await forwarded('203.0.113.7'), await forwarded('203.0.113.7', '?recipient='), await forwarded('203.0.113.7'), await forwarded('203.0.113.7', '?recipient=')]).to.deep.equal([200, 200, 200, 429]);
      expect([await forwarded('203.0.113.8'), await forwarded('203.0.113.8', '?recipient=')]).to.deep.equal([200, 200]);
      const refused = await fetch(`${limited.url}/credentials/verify`, { method: 'POST', body: '{}', headers: { 'accept-language': 'fr' } });
      expect(refused.status).to.equal(429);
      expect(Number(refused.headers.get('retry-after'))).to.be.within(1, 60);
      expect(await refused.json()).to.have.nested.property('error.code', 'RATE_LIMITED');
      const page = await fetch(`${limited.url}/verify?url=${encodeURIComponent('https://example.org/b.json')}`);
      expect(page.status).to.equal(429);
      expect(await page.text()).to.include('Trop de demandes');
      expect((await fetch(`${limited.url}/verify`)).status, 'the empty form is not counted').to.equal(200);
    } finally {
      await limited.close();
    }
  });

  it('admins revoke API tokens; a revoked token issues nothing', async () => {
    const collective = (await app.ctx.store.collectives.bySlug('ariege'))!;
    const [stored] = await app.ctx.store.apiTokens.list(collective.id);
    await admin.get('/c/ariege/settings');
    await admin.post(`/c/ariege/tokens/${stored!.id}/revoke`, {});
    const reply = await issue(revocableAchievement);
    expect(reply.status).to.equal(401);
  });
});
