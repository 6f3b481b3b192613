// The server as a real process (`npm start`'s entry point), stopped the hard way (SIGKILL) and the
// polite way (SIGTERM) in the middle of a 500-badge batch: nothing half-written, the batch resumes
// from its page and nobody gets a badge twice; SIGTERM lets a request in flight finish and closes
// the database cleanly.
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { copyStarterBadge } from '../src/badge-classes/achievements.js';
import { createAtelier, importParticipants } from '../src/ateliers/ateliers.js';
import { authorize, createCollective } from '../src/collectives/collectives.js';
import { openContext } from '../src/server.js';
import { ADMIN, WebClient } from './helpers/app.js';

const SERVER = path.resolve('dist/src/server.js');
const BATCH = 500;

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

interface Running { proc: ChildProcess; output: string[]; exited: Promise<number | null> }

async function startProcess(env: Record<string, string>): Promise<Running> {
  const proc = spawn(process.execPath, [SERVER], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const read = (chunk: Buffer) => {
      output.push(chunk.toString());
      if (output.join('').includes('Badgeons is running')) resolve();
    };
    proc.stdout!.on('data', read);
    proc.stderr!.on('data', read);
    void exited.then(() => reject(new Error(`server exited: ${output.join('')}`)));
  });
  return { proc, output, exited };
}

describe('crash safety (a real server process)', function () {
  this.timeout(180_000);
  let env: Record<string, string>;
  let url: string;
  let atelierUrl: string;
  let badgeClassId: string;
  let participantIds: string[];
  let batchUrl: string;
  let server: Running | undefined;

  before(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'badgeons-crash-'));
    const port = await freePort();
    url = `http://localhost:${port}`;
    env = {
      PORT: String(port), PUBLIC_URL: url, DATA_DIR: path.join(dir, 'data'), KEYS_DIR: path.join(dir, 'keys'),
      BADGEONS_ADMIN_EMAIL: ADMIN.email, BADGEONS_ADMIN_PASSWORD: ADMIN.password, BADGEONS_RATE_LIMIT: '100000',
    };
    // The atelier and its 500 participants, written before the server starts.
    server = await startProcess(env);
    server.proc.kill('SIGTERM');
    await server.exited;
    const ctx = await openContext(loadConfig(env), () => {});
    const admin = (await ctx.store.accounts.byEmail(ADMIN.email))!;
    await createCollective(ctx, admin, { slug: 'ariege', name: 'Badgeons l’Ariège' });
    const scope = await authorize(ctx, admin, 'ariege', 'admin');
    badgeClassId = (await copyStarterBadge(ctx, scope, 'ecoute')).badgeClassId;
    const atelier = await createAtelier(ctx, scope, { title: 'Grand atelier', date: '2026-11-22', badgeClassIds: [badgeClassId] });
    const csv = ['nom;email;consentement', ...Array.from({ length: BATCH }, (_, i) => `Personne ${i};p${i}@example.org;oui`)].join('\n');
    const report = await importParticipants(ctx, scope, atelier.id, Buffer.from(csv));
    participantIds = report.imported.map((p) => p.id);
    expect(participantIds).to.have.length(BATCH);
    await ctx.store.close();
    atelierUrl = `/c/ariege/ateliers/${atelier.id}`;
  });
  after(() => { server?.proc.kill('SIGKILL'); });

  const batch = async (client: WebClient) => JSON.parse((await client.get(batchUrl, { accept: 'application/json' })).text) as { state: string; done: number; failed: number; total: number };

  async function waitFor(client: WebClient, test: (j: Awaited<ReturnType<typeof batch>>) => boolean) {
    for (;;) {
      const j = await batch(client);
      if (test(j)) return j;
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
  }

  /** What the database holds, read by a second connection once the server is down. */
  async function inventory() {
    const ctx = await openContext(loadConfig(env), () => {});
    try {
      const collective = (await ctx.store.collectives.bySlug('ariege'))!;
      const credentials = (await ctx.store.credentials.forAtelier(collective.id, atelierUrl.split('/').at(-1)!));
      const links = await Promise.all(credentials.map((c) => ctx.store.claimLinks.forCredential(c.id)));
      return { credentials, links };
    } finally {
      await ctx.store.close();
    }
  }

  it('SIGKILL mid-batch: every badge is whole (signed, indexed, with its link) or absent; the batch resumes and nobody gets two', async () => {
    server = await startProcess(env);
    const client = new WebClient(url);
    expect((await client.login()).status).to.equal(303);
    await client.get(`${atelierUrl}/issue`);
    const started = await client.post(`${atelierUrl}/issue`, { badge: badgeClassId, participant: participantIds, action: 'issue' });
    batchUrl = started.headers.get('location')!;
    expect(batchUrl).to.match(/\/jobs\//);
    await waitFor(client, (j) => j.done >= 60);
    server.proc.kill('SIGKILL');
    await server.exited;

    const { credentials, links } = await inventory();
    expect(credentials.length, 'killed mid-batch').to.be.within(60, BATCH - 1);
    for (const [i, c] of credentials.entries()) {
      expect(c.json, c.id).to.be.a('string');
      expect(c.jwt, c.id).to.be.a('string');
      expect(JSON.parse(c.json!).credentialStatus.statusListIndex).to.equal(String(c.statusIndex));
      expect(links[i]?.credentialId, `claim link of ${c.id}`).to.equal(c.id);
    }

    server = await startProcess(env);
    expect(server.output.join('')).to.include('interrupted by the last stop');
    // Production logs are pino's: one JSON object per line.
    const lines = server.output.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { msg: string; level: number });
    expect(lines.some((l) => l.msg.includes('Badgeons is running') && l.level === 30)).to.equal(true);
    const again = new WebClient(url);
    await again.login();
    const page = await again.get(batchUrl);
    expect(page.text).to.include('Interrompu').and.include(`${batchUrl}/resume`);
    const before = await batch(again);
    expect(before.state).to.equal('interrupted');
    const resumed = await again.post(`${batchUrl}/resume`, {});
    expect(resumed.status).to.equal(303);
    const finished = await waitFor(again, (j) => j.state === 'finished');
    expect(finished).to.include({ done: BATCH, failed: 0, total: BATCH });
    expect((await again.post(`${batchUrl}/resume`, {})).status, 'a finished batch does not resume').to.equal(409);

    // One badge each, and every one verifies (a sample through the API: signatures, status, schema).
    server.proc.kill('SIGTERM');
    expect(await server.exited).to.equal(0);
    const after = await inventory();
    const holders = after.credentials.map((c) => c.participantId);
    expect(new Set(holders).size).to.equal(BATCH);
    expect(holders).to.have.length(BATCH);
    expect(after.links.every((l, i) => l?.credentialId === after.credentials[i]!.id)).to.equal(true);
    server = await startProcess(env);
    for (const c of after.credentials.filter((_, i) => i % 50 === 0)) {
      const report = await (await fetch(`${url}/api/v1/verify`, { method: 'POST', body: c.json!, headers: { 'content-type': 'application/json' } })).json() as { verdict: string };
      expect(report.verdict, c.id).to.equal('valid');
    }
  });

  it('SIGTERM: a request in flight is answered, the batch stops after the badge in hand (resumable), the database closes cleanly', async () => {
    const client = new WebClient(url);
    await client.login();
    await client.get(`${atelierUrl}/issue`);
    const started = await client.post(`${atelierUrl}/issue`, { badge: badgeClassId, participant: participantIds, action: 'issue', reissue: 'yes' });
    batchUrl = started.headers.get('location')!;
    await waitFor(client, (j) => j.done >= 20);
    const sample = (await inventory()).credentials[0]!.json!;
    // A verification whose body is still arriving when the signal comes.
    const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(`${url}/api/v1/verify`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(sample) } }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => { body += d.toString(); });
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      });
      req.on('error', reject);
      req.write(sample.slice(0, 100));
      setTimeout(() => {
        server!.proc.kill('SIGTERM');
        setTimeout(() => req.end(sample.slice(100)), 300);
      }, 100);
    });
    const { status, body } = await answer;
    expect(status).to.equal(200);
    expect(JSON.parse(body).verdict).to.equal('valid');
    expect(await server!.exited).to.equal(0);
    expect(server!.output.join('')).to.include('SIGTERM');
    expect(existsSync(path.join(env.DATA_DIR!, 'badgeons.sqlite-wal')), 'checkpointed and closed').to.equal(false);
    server = await startProcess(env);
    const j = await batch(client);
    expect(j.state).to.equal('interrupted');
    expect(j.done).to.be.within(20, BATCH - 1);
  });
});
