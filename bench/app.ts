// The web app's figures: issuing 500 credentials for one atelier end to end (build, sign DI + JWT,
// save with a status index), requests/s on a public credential page under bench/load.ts, and
// verifications/s through POST /api/v1/verify (baked PNG, JSON) beside the same call in-process,
// and the end of a 20-person atelier (issue, print every card, mail those with an address).
import { NO_FACTS } from '../src/reports/facts.js';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config.js';
import { startServer } from '../src/server.js';
import { copyStarterBadge } from '../src/badge-classes/achievements.js';
import { addParticipant, createAtelier } from '../src/ateliers/ateliers.js';
import { groupCards, sendGroupLinks } from '../src/learners/handover.js';
import { collectiveReport } from '../src/reports/report.js';
import { sqliteDriver } from '../src/store/sqlite/index.js';
import type { Account } from '../src/store/index.js';
import { qrDataUrl } from '../src/web/qr.js';
import type { Context } from '../src/shared/context.js';
import type { Scope } from '../src/collectives/collectives.js';
import { authorize, createCollective } from '../src/collectives/collectives.js';
import { batchFinished, startIssuing } from '../src/issuing/issuing.js';
import { newId } from '../src/store/ids.js';
import { bakedPng, findPublicCredential } from '../src/credentials/credentials.js';
import { verifyBadge } from '../src/verifier/verifying.js';
import { inThisThread } from '../src/workers/pool.js';

export interface AppFigures {
  issue500PerSecond: number;
  issue500Ms: number;
  pageRps: number;
  pageP50Ms: number;
  pageP99Ms: number;
  pageErrors: number;
  /** The physical reference for the page: plain node:http sending the same bytes, same load, same run. */
  pageRefRps: number;
  /**
   * POST /api/v1/verify (the server's worker pool, one thread per core) beside verifyBadge called
   * in this process with everything in one thread; `pool` repeats the JSON figure with its ratio.
   */
  verify: Record<'png' | 'json', { httpRps: number; inProcessPerSecond: number; p50Ms: number; p99Ms: number; errors: number }> & {
    pool: { threads: number; httpRps: number; vsOneThread: number };
    /** The first verification after a restart on the same data, and a warm one (ms). */
    coldMs: number;
    warmMs: number;
  };
  /** The end of a 20-person atelier: issue to all, print every card, mail the 14 with an address. */
  group20: { issueMs: number; cardsMs: number; mailMs: number };
  /** The funder's report for a collective with 20,000 participants and 50,000 badges (a year). */
  report: { coldMs: number; warmMs: number };
}

/**
 * A large collective written straight into the database (signing 50,000 badges would only time
 * signing): 100 ateliers of 200 people with their facts, 50,000 badges; then the report, timed.
 */
export async function benchReport(ctx: Context, account: Account, file: string): Promise<{ coldMs: number; warmMs: number }> {
  const collective = await createCollective(ctx, account, { slug: 'bench-report', name: 'Bench report' });
  const scope = await authorize(ctx, account, 'bench-report', 'admin');
  const versions = [await copyStarterBadge(ctx, scope, 'ecoute'), await copyStarterBadge(ctx, scope, 'demarches'), await copyStarterBadge(ctx, scope, 'equipe')];
  const list = await ctx.store.statusLists.reserve(collective.id, 'revocation', ctx.now().toISOString(), { size: 131_072, fillLimit: 1 });
  list.release();
  const db = sqliteDriver(file);
  const genders = ['woman', 'man', 'other', null];
  const communes = ['09122', '09225', '09261', '31555', null];
  await db.transaction(async (tx) => {
    let index = 0;
    for (let a = 0; a < 100; a++) {
      const atelierId = newId();
      const date = `2026-${String(1 + (a % 12)).padStart(2, '0')}-${String(1 + (a % 28)).padStart(2, '0')}`;
      await tx.run('INSERT INTO ateliers (id, collective_id, title, date, place, facilitators, badge_class_ids, created_at) VALUES (?, ?, ?, ?, \'\', \'\', ?, ?)',
        [atelierId, collective.id, `Atelier ${a}`, date, JSON.stringify(versions.map((v) => v.badgeClassId)), date]);
      for (let p = 0; p < 200; p++) {
        const id = newId();
        await tx.run(`INSERT INTO participants (id, atelier_id, collective_id, name, email, consent_at, created_at, gender, age_band, situation, commune, qpv)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, '16-25', 'job-seeker', ?, 'no')`, [id, atelierId, collective.id, `P ${a}-${p}`, `p${a}-${p}@example.org`, date, date, genders[p % 4], communes[p % 5]]);
        for (let b = 0; b < (p % 2 ? 3 : 2); b++) {
          const v = versions[b]!;
          await tx.run(`INSERT INTO credentials (id, collective_id, badge_class_id, version_id, atelier_id, participant_id, recipient_name, json, jwt, status_list_id, status_index, issued_at, issued_by, opened_at)
            VALUES (?, ?, ?, ?, ?, ?, '', '{}', 'x', ?, ?, ?, ?, ?)`, [newId(), collective.id, v.badgeClassId, v.id, atelierId, id, list.list.id, index++, `${date}T10:00:00Z`, account.id, p % 3 ? `${date}T12:00:00Z` : null]);
        }
      }
    }
    await tx.run('INSERT INTO status_entries (status_list_id, status_index) SELECT status_list_id, status_index FROM credentials WHERE status_list_id = ?', [list.list.id]);
    await tx.run('UPDATE status_lists SET used = ? WHERE id = ?', [index, list.list.id]);
  });
  await db.close();
  const timed = async () => {
    const start = performance.now();
    const report = await collectiveReport(ctx, scope, { from: '2026-01-01', to: '2026-12-31' });
    if (report.totals.people.count !== 20_000 || report.totals.badges.count !== 50_000) throw new Error(`bench report: ${report.totals.people.count} people, ${report.totals.badges.count} badges`);
    return Math.round(performance.now() - start);
  };
  // The first report after a start also reads the list of communes (13 MB of JSON); the next ones do not.
  return { coldMs: await timed(), warmMs: await timed() };
}

/** Times the end of a 20-person atelier, as the facilitator runs it through the use cases the pages call. */
async function benchGroup(ctx: Context, scope: Scope, badgeClassId: string): Promise<AppFigures['group20']> {
  const atelier = await createAtelier(ctx, scope, { title: 'Groupe de vingt', date: '2026-11-26', badgeClassIds: [badgeClassId] });
  const ids: string[] = [];
  for (let i = 0; i < 20; i++) ids.push((await addParticipant(ctx, scope, atelier.id, { name: `Personne ${i}`, ...(i < 14 ? { email: `g${i}@example.org` } : {}), consent: true })).id);
  let start = performance.now();
  const batch = await startIssuing(ctx, scope, atelier.id, { badgeClassId, participantIds: ids, reflections: {}, reissue: false });
  await batchFinished(ctx, scope, batch.id);
  const issueMs = performance.now() - start;
  start = performance.now();
  const { cards } = await groupCards(ctx, scope, atelier.id);
  await Promise.all(cards.map((c) => qrDataUrl(c.url)));
  const cardsMs = performance.now() - start;
  start = performance.now();
  await sendGroupLinks(ctx, scope, atelier.id, 'fr');
  const mailMs = performance.now() - start;
  return { issueMs: Math.round(issueMs), cardsMs: Math.round(cardsMs), mailMs: Math.round(mailMs) };
}

export async function benchApp(): Promise<AppFigures> {
  const dir = mkdtempSync(path.join(tmpdir(), 'badgeons-bench-'));
  const boot = (port: string) => startServer(loadConfig({
    PORT: port, DATA_DIR: path.join(dir, 'data'), KEYS_DIR: path.join(dir, 'keys'), BADGEONS_RATE_LIMIT: String(1e9),
    // The server's own default unless BADGEONS_WORKERS says otherwise (to measure the pool on 2 cores).
    ...(process.env.BADGEONS_WORKERS ? { BADGEONS_WORKERS: process.env.BADGEONS_WORKERS } : {}),
  }), { publicUrlFromPort: true, log: () => {} });
  let running = await boot('0');
  try {
    let { ctx } = running;
    const account = { id: newId(), email: 'bench@example.org', name: 'Bench', passwordHash: null, instanceAdmin: true, createdAt: ctx.now().toISOString() };
    await ctx.store.accounts.create(account);
    const collective = await createCollective(ctx, account, { slug: 'bench', name: 'Bench' });
    const scope = await authorize(ctx, account, 'bench', 'admin');
    const version = await copyStarterBadge(ctx, scope, 'equipe');
    const atelier = await createAtelier(ctx, scope, { title: 'Bench', date: '2026-11-22', badgeClassIds: [version.badgeClassId] });
    const now = ctx.now().toISOString();
    const participants = Array.from({ length: 500 }, (_, i) => ({
      id: newId(), atelierId: atelier.id, collectiveId: collective.id, name: `Participant ${i}`,
      email: i % 2 ? `p${i}@example.org` : '', consentAt: now, createdAt: now, facts: NO_FACTS,
    }));
    await ctx.store.ateliers.addParticipants(participants);
    const reflections = Object.fromEntries(participants.map((p) => [p.id, 'J’ai organisé le tour de parole et aidé une nouvelle venue.']));

    const started = performance.now();
    const batch = await startIssuing(ctx, scope, atelier.id, { badgeClassId: version.badgeClassId, participantIds: participants.map((p) => p.id), reflections, reissue: false });
    const done = (await batchFinished(ctx, scope, batch.id))!;
    const issueMs = performance.now() - started;
    if (done.done !== 500) throw new Error(`bench issuing: ${done.done}/500 issued, ${JSON.stringify(done.errors.slice(0, 3))}`);

    const credential = (await ctx.store.credentials.forAtelier(collective.id, atelier.id))[0]!;
    // A restart on the same port (the badges' did:web names it), then its first verification and a warm one.
    await running.close();
    running = await boot(new URL(running.url).port);
    ({ ctx } = running);
    const timedVerify = async () => {
      const start = performance.now();
      if ((await verifyBadge(ctx, credential.json!, 'fr')).report.verdict !== 'valid') throw new Error('bench: first badge did not verify');
      return Math.round(performance.now() - start);
    };
    const firstVerify = { coldMs: await timedVerify(), warmMs: await timedVerify() };
    // The single-thread reference: the same use case with no worker pool.
    const oneThread: Context = { ...ctx, workers: inThisThread() };
    const url = `${running.url}/credentials/${credential.id}`;
    const load = fileURLToPath(new URL('./load.js', import.meta.url));
    await runLoad(load, url, 1000); // warm-up
    const figures = await runLoad(load, url, 5000);
    const pageRefRps = await plainHttpReference(load, Buffer.from(await (await fetch(url)).arrayBuffer()));

    // Verification: the same badge as a baked PNG and as JSON, over HTTP and in this process.
    const found = await findPublicCredential(ctx, credential.id);
    const inputs = { png: { bytes: bakedPng(found), type: 'image/png' }, json: { bytes: Buffer.from(found.record.json!), type: 'application/json' } };
    const verifyFigures = { ...firstVerify } as AppFigures['verify'];
    for (const [kind, input] of Object.entries(inputs) as [keyof typeof inputs, (typeof inputs)['png']][]) {
      const file = path.join(dir, `badge.${kind}`);
      writeFileSync(file, input.bytes);
      let count = 0;
      const started = performance.now();
      while (performance.now() - started < 3000) {
        if (!(await verifyBadge(oneThread, input.bytes, 'fr')).report.verified) throw new Error(`bench ${kind} did not verify`);
        count++;
      }
      const inProcessPerSecond = Math.round((count * 1000) / (performance.now() - started));
      await runLoad(load, `${running.url}/api/v1/verify`, 1000, file, input.type);
      const http = await runLoad(load, `${running.url}/api/v1/verify`, 5000, file, input.type);
      verifyFigures[kind] = { httpRps: http.rps, inProcessPerSecond, p50Ms: http.p50, p99Ms: http.p99, errors: http.errors };
    }
    const { httpRps, inProcessPerSecond } = verifyFigures.json;
    verifyFigures.pool = { threads: ctx.workers.threads, httpRps, vsOneThread: Math.round((100 * httpRps) / inProcessPerSecond) / 100 };
    return {
      issue500PerSecond: Math.round(500_000 / issueMs), issue500Ms: Math.round(issueMs),
      pageRps: figures.rps, pageP50Ms: figures.p50, pageP99Ms: figures.p99, pageErrors: figures.errors, pageRefRps,
      verify: verifyFigures, group20: await benchGroup(ctx, scope, version.badgeClassId),
      report: await benchReport(ctx, account, path.join(dir, 'data', 'badgeons.sqlite')),
    };
  } finally {
    await running.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Requests/s of a plain node:http server answering `page` from memory: what this machine's HTTP can do at all. */
async function plainHttpReference(load: string, page: Buffer): Promise<number> {
  const server = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': page.length }).end(page));
  await new Promise<void>((resolve) => server.listen(0, resolve));
  try {
    const url = `http://localhost:${(server.address() as AddressInfo).port}/credentials/reference`;
    await runLoad(load, url, 1000);
    return (await runLoad(load, url, 5000)).rps;
  } finally {
    server.close();
  }
}

function runLoad(script: string, url: string, ms: number, bodyFile?: string, type?: string): Promise<{ rps: number; p50: number; p99: number; errors: number }> {
  // Verification gets enough connections to keep every worker busy; pages get 32.
  const args = bodyFile ? [script, url, '16', String(ms), bodyFile, type!] : [script, url, '32', String(ms)];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, (error, stdout) => (error ? reject(error) : resolve(JSON.parse(stdout))));
  });
}
