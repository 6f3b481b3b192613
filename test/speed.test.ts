// Issue 21: what makes Badgeons fast must not change an answer. The worker pool gives the reports
// this thread gives, refuses work beyond its queue with 503 + Retry-After (never a wrong verdict),
// and a pool that cannot answer gives no verdict at all (503), never "invalid". The public page is
// rendered once per content, yet shows a revocation at once and sets no cookie.
import { expect } from 'chai';
import { createServer, get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism } from 'node:os';
import { loadConfig } from '../src/config.js';
import { controllerDocument, didKeyFor, didWebFromUrl, verificationMethodId } from '../src/ob3/did.js';
import { DocumentResolver } from '../src/ob3/documents.js';
import { generateKey } from '../src/ob3/keys.js';
import type { OpenBadgeCredential, VerificationReport } from '../src/ob3/model.js';
import { signDataIntegrity } from '../src/ob3/proof/data-integrity.js';
import { verify } from '../src/ob3/verify/index.js';
import { sampleCredential } from '../src/ob3/warm.js';
import { changeStatus } from '../src/credentials/credential-status.js';
import { credentialPageLane } from '../src/credentials/routes.js';
import { createWeb } from '../src/web/app.js';
import { inThisThread, startWorkers, type Workers } from '../src/workers/pool.js';
import { verifyBadge } from '../src/verifier/verifying.js';
import { ownPathsIn } from '../src/verifier/resolver.js';
import { AppError } from '../src/shared/errors.js';
import type { VerifyInput } from '../src/ob3/verify/index.js';
import { issueToEmail } from './helpers/learner.js';
import { startDocumentServer, type DocumentServer } from './helpers/server.js';
import { publishIssuer } from './helpers/issuer.js';
import { startTestApp, type TestApp } from './helpers/app.js';

const NOW = new Date('2026-11-22T12:00:00Z');

async function sampleBadge(): Promise<OpenBadgeCredential> {
  const key = generateKey();
  const did = didKeyFor(key.publicKeyMultibase);
  return signDataIntegrity(sampleCredential(did), { key, verificationMethod: verificationMethodId(did, key) });
}

describe('speed without a changed answer (issue 21)', function () {
  this.timeout(60_000);

  describe('the worker pool', () => {
    let workers: Workers;
    before(async () => { workers = await startWorkers({ threads: 2 }); });
    after(() => workers.close());
    const settings = { publicUrl: 'http://localhost:9', fetchAllowHosts: [], fetchTimeoutMs: 2000 };
    const task = (input: VerifyInput) => ({ input, lang: 'en' as const, now: NOW.toISOString(), settings });
    const nothingOwn = async () => undefined;

    it('gives each badge, authentic or altered, JSON, bytes or JWT, the report this thread gives', async () => {
      const key = generateKey();
      const did = didKeyFor(key.publicKeyMultibase);
      const { signed, jwt } = await workers.signBoth(sampleCredential(did), key, verificationMethodId(did, key));
      const inputs: VerifyInput[] = [
        signed, JSON.stringify(signed), Buffer.from(JSON.stringify(signed)), jwt,
        { ...signed, name: 'Autre chose' }, `${jwt.slice(0, -4)}AAAA`, 'pas un badge',
      ];
      const here = inThisThread();
      const summary = (r: VerificationReport) => [r.verdict, ...r.checks.map((c) => `${c.id}:${c.status}:${c.code ?? ''}`)].join(' ');
      const pooled = await Promise.all(inputs.map(async (input) => summary(await workers.verify(task(input), nothingOwn))));
      const inThread = await Promise.all(inputs.map(async (input) => summary(await here.verify(task(input), nothingOwn))));
      expect(pooled).to.deep.equal(inThread);
      expect(pooled.filter((s) => s.startsWith('valid '))).to.have.length(4);
      expect(workers.stats().completed).to.be.at.least(inputs.length);
    });

    it('signs in its threads what verifies here, both forms', async () => {
      const key = generateKey();
      const did = didKeyFor(key.publicKeyMultibase);
      const { signed, jwt } = await workers.signBoth(sampleCredential(did), key, verificationMethodId(did, key));
      const resolver = new DocumentResolver({ offline: true });
      expect((await verify(signed, { resolver, now: NOW })).verified).to.equal(true);
      expect((await verify(jwt, { resolver, now: NOW })).verified).to.equal(true);
    });

    it('keeps a thread busy while one verification waits for our documents: another runs meanwhile', async () => {
      const one = await startWorkers({ threads: 1 });
      try {
        const key = generateKey();
        const did = didWebFromUrl('http://localhost:9/issuers/c');
        const badge = await signDataIntegrity(sampleCredential(did), { key, verificationMethod: verificationMethodId(did, key) });
        // Our DID document is answered only once both verifications have asked for it (or after 5 s):
        // a thread holding one task at a time would ask once, then wait.
        let asked = 0;
        let bothAsked: () => void = () => {};
        const both = new Promise<void>((resolve) => { bothAsked = resolve; });
        const own = async (path: string) => {
          if (path !== '/issuers/c/did.json') return undefined;
          if (++asked === 2) bothAsked();
          await Promise.race([both, new Promise((resolve) => setTimeout(resolve, 5000))]);
          return controllerDocument(did, [key]);
        };
        const reports = await Promise.all([one.verify(task(badge), own), one.verify(task(badge), own)]);
        expect(asked, 'both asked before either was answered').to.equal(2);
        expect(reports.map((r) => r.checks.find((c) => c.id === 'proof')?.status)).to.deep.equal(['pass', 'pass']);
        expect(one.concurrency, 'and a batch signs as many badges at once').to.be.greaterThan(1);
      } finally {
        await one.close();
      }
    });

    it('sends the documents of ours a badge names with its task, so the thread need not ask; what it does not name is asked', async () => {
      const one = await startWorkers({ threads: 1 });
      try {
        const key = generateKey();
        const did = didWebFromUrl('http://localhost:9/issuers/c');
        const status = { id: 'http://localhost:9/status/c/3#17', type: 'BitstringStatusListEntry', statusPurpose: 'revocation', statusListIndex: '17', statusListCredential: 'http://localhost:9/status/c/3' };
        const text = JSON.stringify({ ...sampleCredential(did), credentialStatus: status });
        const all = () => true;
        expect(ownPathsIn('http://localhost:9', text, all)).to.deep.equal(['/issuers/c/did.json', '/status/c/3']);
        expect(ownPathsIn('https://badgeons.example', text, all), 'only ours').to.deep.equal([]);
        const evidence = Array.from({ length: 12 }, (_, i) => ({ id: `http://localhost:9/evidence/${i}` }));
        const many = JSON.stringify({ evidence, credentialStatus: status });
        expect(ownPathsIn('http://localhost:9', many, all), 'at most eight').to.have.length(8);
        expect(ownPathsIn('http://localhost:9', many, (path) => !path.startsWith('/evidence/')), 'eight of those kept').to.deep.equal(['/status/c/3']);
        const crafted = `${'http://localhost:9/x '.repeat(200)}${JSON.stringify(status)}`;
        expect(ownPathsIn('http://localhost:9', crafted, all), 'a text of thousands of addresses is read only so far').to.have.length(1);
        const badge = await signDataIntegrity(sampleCredential(did), { key, verificationMethod: verificationMethodId(did, key) });
        const asked: string[] = [];
        const own = async (path: string) => {
          asked.push(path);
          return path === '/issuers/c/did.json' ? controllerDocument(did, [key]) : undefined;
        };
        const proof = (r: VerificationReport) => r.checks.find((c) => c.id === 'proof')?.status;
        expect(proof(await one.verify(task(badge), own, () => ['/issuers/c/did.json']))).to.equal('pass');
        expect(asked, 'read once, ahead of the task; the thread did not ask').to.deep.equal(['/issuers/c/did.json']);
        asked.length = 0;
        expect(proof(await one.verify(task(badge), own, () => []))).to.equal('pass');
        expect(asked, 'not named: the thread asks').to.deep.equal(['/issuers/c/did.json']);
      } finally {
        await one.close();
      }
    });

    it('a pool that cannot answer gives no verdict: the verifier answers 503 BUSY — never invalid', async () => {
      const gone = await startWorkers({ threads: 1 });
      await gone.close();
      let refused: unknown;
      await gone.verify(task(await sampleBadge()), nothingOwn).catch((error: unknown) => { refused = error; });
      expect(refused).to.be.instanceOf(Error);
      const app = await startTestApp();
      try {
        const thrown = await verifyBadge({ ...app.ctx, workers: gone }, JSON.stringify(await sampleBadge()), 'fr').then(() => undefined, (error: unknown) => error);
        expect(thrown).to.be.instanceOf(AppError).and.to.include({ code: 'BUSY', status: 503 });
      } finally {
        await app.close();
      }
    });
  });

  it('reads BADGEONS_WORKERS (0: none) and BADGEONS_VERIFY_QUEUE, refusing what is not a count', () => {
    expect(loadConfig({ BADGEONS_WORKERS: '0' }).workers).to.equal(0);
    expect(loadConfig({ BADGEONS_WORKERS: '3', BADGEONS_VERIFY_QUEUE: '10' })).to.include({ workers: 3, verifyQueue: 10 });
    const cores = availableParallelism();
    expect(loadConfig({}).workers).to.equal(Math.min(cores - 1, 4));
    for (const env of [{ BADGEONS_WORKERS: '-1' }, { BADGEONS_WORKERS: 'deux' }, { BADGEONS_VERIFY_QUEUE: '0' }]) {
      expect(() => loadConfig(env)).to.throw(AppError).with.property('code', 'CONFIG_NOT_POSITIVE');
    }
  });

  describe('the server under more verifications than its queue holds', () => {
    let app: TestApp;
    let server: DocumentServer;
    before(async () => {
      server = await startDocumentServer();
      app = await startTestApp({
        BADGEONS_WORKERS: '1', BADGEONS_VERIFY_QUEUE: '1', BADGEONS_RATE_LIMIT: '100000', BADGEONS_FETCH_ALLOW_HOSTS: new URL(server.origin).host, BADGEONS_FETCH_TIMEOUT_MS: '1500',
      });
    });
    after(async () => {
      await app.close();
      await server.close();
    });

    it('answers 503 with Retry-After and a reason once its thread and queue are full, then verifies again', async () => {
      // An issuer whose DID document never comes: each of its badges holds a task of the one thread.
      const slow = publishIssuer(server, 'lent');
      server.routes.set('/issuers/lent/did.json', { body: '', hang: true });
      const held = JSON.stringify(await signDataIntegrity(slow.credential(), { key: slow.key, verificationMethod: slow.method }));
      const post = async (body: string) => {
        const res = await fetch(`${app.url}/api/v1/verify`, { method: 'POST', body, headers: { 'content-type': 'application/json', 'accept-language': 'fr' } });
        return { status: res.status, retry: res.headers.get('retry-after'), json: (await res.json()) as { verified?: boolean; verdict?: string; error?: { code: string; message: string } } };
      };
      const holding = Array.from({ length: app.ctx.workers.concurrency + 1 }, () => post(held));
      // The thread's tasks have all asked for the document; the last one waits in the queue.
      while ((server.hits.get('/issuers/lent/did.json') ?? 0) < app.ctx.workers.concurrency) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 100));
      const body = JSON.stringify(await sampleBadge());
      const refused = await Promise.all(Array.from({ length: 5 }, () => post(body)));
      for (const r of refused) {
        expect(r.status).to.equal(503);
        expect(r.retry).to.equal('2');
        expect(r.json.error).to.include({ code: 'BUSY' });
        expect(r.json.error!.message).to.match(/Réessayez dans 2 secondes/);
      }
      // The held ones end as unverifiable (the document never came), never as invalid; then there is room again.
      const ended = await Promise.all(holding);
      expect(new Set(ended.map((r) => `${r.status} ${r.json.verdict}`))).to.deep.equal(new Set(['200 unverifiable']));
      const after = await post(body);
      expect([after.status, after.json.verified]).to.deep.equal([200, true]);
    });
  });

  describe('the public badge page', () => {
    let app: TestApp;
    before(async () => { app = await startTestApp(); });
    after(() => app.close());

    // fetch() adds Cache-Control: no-cache to a request with If-None-Match (the Fetch standard), which
    // rightly forbids a 304: conditional requests go as a browser revalidating sends them.
    const conditional = (url: string, etag: string, lang = 'fr') => new Promise<{ status: number; etag: string | undefined; body: string }>((resolve, reject) => {
      get(url, { headers: { 'if-none-match': etag, 'accept-language': lang } }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (chunk: string) => { body += chunk; }).on('end', () => resolve({ status: res.statusCode!, etag: res.headers.etag, body }));
      }).on('error', reject);
    });

    it('is served with an ETag (304 when unchanged), no cookie, and shows a revocation at once', async () => {
      const { scope, credentialId } = await issueToEmail(app.ctx, 'ariege', 'Camille Martin', 'camille@example.org');
      const url = `${app.url}/credentials/${credentialId}`;
      const first = await fetch(url);
      const etag = first.headers.get('etag');
      expect(first.status).to.equal(200);
      expect(etag).to.match(/^"[\w-]{27}"$/);
      expect(first.headers.get('set-cookie')).to.equal(null);
      expect(await first.text()).to.include('Camille Martin');
      expect((await conditional(url, etag!)).status).to.equal(304);
      // Another language is another page.
      const english = await conditional(url, etag!, 'en');
      expect(english.status).to.equal(200);
      expect(english.etag).to.not.equal(etag);

      await changeStatus(app.ctx, scope, credentialId, 'revoke', 'Erreur de saisie');
      const revoked = await conditional(url, etag!);
      expect(revoked.status).to.equal(200);
      expect(revoked.etag).to.not.equal(etag);
      expect(revoked.body).to.match(/retiré|révoqué/i);
    });

    it('is answered ahead of Express for a visitor without a session, as Express answers it, and only then', async () => {
      const { scope, credentialId } = await issueToEmail(app.ctx, 'ariege', 'Lou Garnier', 'lou@example.org');
      const path = `/credentials/${credentialId}`;
      // The lane alone, on a server of its own: 418 says it declined.
      const lane = credentialPageLane(await createWeb(app.ctx));
      const alone = createServer((req, res) => void lane(req, res).then((served) => { if (!served) res.writeHead(418).end(); }));
      await new Promise<void>((resolve) => alone.listen(0, resolve));
      const laneUrl = `http://localhost:${(alone.address() as AddressInfo).port}`;
      try {
        const byLane = await fetch(laneUrl + path, { headers: { 'accept-language': 'fr', 'x-request-id': 'lane-1' } });
        // A session cookie that opens nothing takes the page through Express, to the same anonymous page.
        const byExpress = await fetch(app.url + path, { headers: { 'accept-language': 'fr', cookie: `badgeons_session=${'x'.repeat(43)}` } });
        expect(byLane.status).to.equal(200);
        expect(byExpress.status).to.equal(200);
        const html = await byLane.text();
        expect(html).to.include('Lou Garnier');
        expect(html).to.equal(await byExpress.text());
        for (const header of ['etag', 'cache-control', 'content-type', 'content-security-policy', 'x-content-type-options', 'referrer-policy', 'x-frame-options', 'access-control-allow-origin']) {
          expect(byLane.headers.get(header), header).to.be.a('string').and.equal(byExpress.headers.get(header));
        }
        expect(byLane.headers.get('x-request-id')).to.equal('lane-1');
        expect(byLane.headers.get('set-cookie')).to.equal(null);
        expect(app.logs.find((line) => line.includes('"lane-1"')), 'logged with its id').to.include(path);
        expect((await conditional(laneUrl + path, byLane.headers.get('etag')!)).status).to.equal(304);
        const head = await fetch(laneUrl + path, { method: 'HEAD' });
        expect([head.status, await head.text(), head.headers.get('content-length')]).to.deep.equal([200, '', String(Buffer.byteLength(html))]);

        const declined = async (url: string, init: RequestInit = {}) => (await fetch(laneUrl + url, init)).status;
        expect(await declined(path, { headers: { cookie: 'badgeons_session=abc' } }), 'a session').to.equal(418);
        expect(await declined(path, { headers: { accept: 'application/ld+json' } }), 'JSON').to.equal(418);
        expect(await declined(`${path}?changed=revoked`), 'a query').to.equal(418);
        expect(await declined(`${path}.json`), 'a file').to.equal(418);
        expect(await declined(path, { method: 'POST' }), 'POST').to.equal(418);
        expect(await declined(`/credentials/${'A'.repeat(22)}`), 'unknown').to.equal(418);
        await app.ctx.store.credentials.setDisplay(credentialId, 'hidden');
        expect(await declined(path), 'hidden by its holder').to.equal(418);
        await app.ctx.store.credentials.setDisplay(credentialId, 'name');
        await changeStatus(app.ctx, scope, credentialId, 'revoke', 'Erreur');
        expect(await declined(path), 'revoked: still shown, as revoked').to.equal(200);
      } finally {
        alone.close();
      }
    });
  });
});
