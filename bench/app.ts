// The web app's figures: issuing 500 credentials for one atelier end to end (build, sign DI + JWT,
// save with a status index), requests/s on a public credential page under bench/load.ts, and
// verifications/s through POST /api/v1/verify (baked PNG, JSON) beside the same call in-process,
// and the end of a 20-person atelier (issue, print every card, mail those with an address).
import { NO_FACTS } from '../src/reports/facts.js';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config.js';
import { startServer } from '../src/server.js';
import { copyStarterBadge } from '../src/badge-classes/achievements.js';
import { addParticipant, createAtelier } from '../src/ateliers/ateliers.js';
import { groupCards, sendGroupLinks } from '../src/learners/handover.js';
import { qrDataUrl } from '../src/web/qr.js';
import type { Context } from '../src/shared/context.js';
import type { Scope } from '../src/collectives/collectives.js';
import { authorize, createCollective } from '../src/collectives/collectives.js';
import { batchFinished, startIssuing } from '../src/issuing/issuing.js';
import { newId } from '../src/store/ids.js';
import { bakedPng, findPublicCredential } from '../src/credentials/credentials.js';
import { verifyBadge } from '../src/verifier/verifying.js';

export interface AppFigures {
  issue500PerSecond: number;
  issue500Ms: number;
  pageRps: number;
  pageP50Ms: number;
  pageP99Ms: number;
  pageErrors: number;
  verify: Record<'png' | 'json', { httpRps: number; inProcessPerSecond: number; p50Ms: number; errors: number }>;
  /** The end of a 20-person atelier: issue to all, print every card, mail the 14 with an address. */
  group20: { issueMs: number; cardsMs: number; mailMs: number };
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
  const running = await startServer(loadConfig({
    PORT: '0', DATA_DIR: path.join(dir, 'data'), KEYS_DIR: path.join(dir, 'keys'), BADGEONS_RATE_LIMIT: String(1e9),
  }), { publicUrlFromPort: true, log: () => {} });
  try {
    const { ctx } = running;
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

    const start = performance.now();
    const batch = await startIssuing(ctx, scope, atelier.id, { badgeClassId: version.badgeClassId, participantIds: participants.map((p) => p.id), reflections, reissue: false });
    const done = (await batchFinished(ctx, scope, batch.id))!;
    const issueMs = performance.now() - start;
    if (done.done !== 500) throw new Error(`bench issuing: ${done.done}/500 issued, ${JSON.stringify(done.errors.slice(0, 3))}`);

    const credential = (await ctx.store.credentials.forAtelier(collective.id, atelier.id))[0]!;
    const url = `${running.url}/credentials/${credential.id}`;
    const load = fileURLToPath(new URL('./load.js', import.meta.url));
    await runLoad(load, url, 1000); // warm-up
    const figures = await runLoad(load, url, 5000);

    // Verification: the same badge as a baked PNG and as JSON, over HTTP and in this process.
    const found = await findPublicCredential(ctx, credential.id);
    const inputs = { png: { bytes: bakedPng(found), type: 'image/png' }, json: { bytes: Buffer.from(found.record.json!), type: 'application/json' } };
    const verifyFigures = {} as AppFigures['verify'];
    for (const [kind, input] of Object.entries(inputs) as [keyof typeof inputs, (typeof inputs)['png']][]) {
      const file = path.join(dir, `badge.${kind}`);
      writeFileSync(file, input.bytes);
      let count = 0;
      const started = performance.now();
      while (performance.now() - started < 3000) {
        if (!(await verifyBadge(ctx, input.bytes, 'fr')).report.verified) throw new Error(`bench ${kind} did not verify`);
        count++;
      }
      const inProcessPerSecond = Math.round((count * 1000) / (performance.now() - started));
      await runLoad(load, `${running.url}/api/v1/verify`, 1000, file, input.type);
      const http = await runLoad(load, `${running.url}/api/v1/verify`, 5000, file, input.type);
      verifyFigures[kind] = { httpRps: http.rps, inProcessPerSecond, p50Ms: http.p50, errors: http.errors };
    }
    return {
      issue500PerSecond: Math.round(500_000 / issueMs), issue500Ms: Math.round(issueMs),
      pageRps: figures.rps, pageP50Ms: figures.p50, pageP99Ms: figures.p99, pageErrors: figures.errors,
      verify: verifyFigures, group20: await benchGroup(ctx, scope, version.badgeClassId),
    };
  } finally {
    await running.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function runLoad(script: string, url: string, ms: number, bodyFile?: string, type?: string): Promise<{ rps: number; p50: number; p99: number; errors: number }> {
  // CPU-bound verification saturates with a few connections; pages get 32.
  const args = bodyFile ? [script, url, '8', String(ms), bodyFile, type!] : [script, url, '32', String(ms)];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, (error, stdout) => (error ? reject(error) : resolve(JSON.parse(stdout))));
  });
}
