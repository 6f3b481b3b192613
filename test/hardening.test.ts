// Hardening: a strict Content-Security-Policy (no inline script on any page), request ids in the
// structured request log with the secrets of paths masked, slow clients cut off, and the
// verifier's fetches held to public addresses at connect time.
import { expect } from 'chai';
import { connect } from 'node:net';
import { clearDocumentCache, DocumentResolver } from '../src/ob3/documents.js';
import { publicFetch } from '../src/verifier/url-guard.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { startDocumentServer } from './helpers/server.js';

describe('hardening', function () {
  this.timeout(30_000);
  let app: TestApp;
  before(async () => { app = await startTestApp({ BADGEONS_REQUEST_TIMEOUT_MS: '1000' }); });
  after(async () => { await app?.close(); });

  it('sends a strict CSP, and no page carries an inline script or style', async () => {
    for (const page of ['/', '/login', '/verify', '/my-badges', '/nulle-part']) {
      const res = await fetch(`${app.url}${page}`);
      const csp = res.headers.get('content-security-policy')!;
      expect(csp, page).to.include("script-src 'self'").and.include("style-src 'self'").and.include("frame-ancestors 'none'");
      expect(csp, page).not.to.include('unsafe-inline');
      const html = await res.text();
      expect(html, page).not.to.match(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(html, page).not.to.match(/\sstyle="/);
      expect(html, page).not.to.match(/\son[a-z]+="/);
    }
  });

  it('gives each request an id, echoed and logged with its status and duration; secrets in paths are masked', async () => {
    const mine = await fetch(`${app.url}/healthz`, { headers: { 'x-request-id': 'lb-4f2a' } });
    expect(mine.headers.get('x-request-id')).to.equal('lb-4f2a');
    const made = await fetch(`${app.url}/healthz`, { headers: { 'x-request-id': 'not an id!' } });
    expect(made.headers.get('x-request-id')).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const secret = 'A'.repeat(43);
    await fetch(`${app.url}/claim/${secret}?x=1`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const entries = app.logs.filter((l) => l.startsWith('request ')).map((l) => JSON.parse(l.slice(8)) as Record<string, unknown>);
    expect(entries.find((e) => e.reqId === 'lb-4f2a')).to.include({ method: 'GET', path: '/healthz', status: 200 });
    expect(entries.find((e) => e.reqId === 'lb-4f2a')!.ms).to.be.a('number');
    expect(entries.find((e) => String(e.path).startsWith('/claim/'))).to.include({ path: '/claim/…', status: 410 });
    expect(app.logs.join('\n')).not.to.include(secret);
  });

  it('cuts off a client that sends its request too slowly (408), and keeps serving others', async () => {
    const answer = await new Promise<string>((resolve) => {
      const socket = connect(Number(new URL(app.url).port), '127.0.0.1');
      let data = '';
      socket.on('data', (d) => { data += d.toString(); });
      socket.on('close', () => resolve(data));
      socket.write('POST /api/v1/verify HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"a":');
    });
    expect(answer).to.match(/^HTTP\/1\.1 408/);
    expect((await fetch(`${app.url}/healthz`)).status).to.equal(200);
  });
});

describe("the verifier's fetch", () => {
  it('checks the address it connects to, so a name that resolves again to a private address (DNS rebinding) is refused', async () => {
    const server = await startDocumentServer();
    try {
      clearDocumentCache();
      server.json('/did.json', { id: 'did:web:example' });
      const host = new URL(server.origin).host;
      // The pre-check said yes, as it would have for a first DNS answer that was public.
      const fooled = new DocumentResolver({ allowUrl: () => true, fetch: publicFetch([]) });
      const code = await fooled.fetchDocument(`${server.origin}/did.json`).then(() => 'fetched', (e: { code: string }) => e.code);
      expect(code).to.equal('URL_FORBIDDEN');
      expect(server.hits.get('/did.json') ?? 0, 'no connection was made').to.equal(0);
      // An operator's allowed host goes through.
      const allowed = new DocumentResolver({ allowUrl: () => true, fetch: publicFetch([host]) });
      expect(await allowed.fetchDocument(`${server.origin}/did.json`)).to.deep.equal({ id: 'did:web:example' });
    } finally {
      await server.close();
    }
  });
});
