// npm run bench [-- --json]: ops/s (median of several rounds) for our hot paths, next to
// references measured in the same run on the same credential (bench/reference.ts, in a child
// process so that none of our code is loaded there).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { bakePng, unbakePng } from '../src/ob3/bake/png.js';
import { sampleCredential } from '../src/ob3/warm.js';
import { didKeyFor, verificationMethodId } from '../src/ob3/did.js';
import { DocumentResolver } from '../src/ob3/documents.js';
import { generateKey } from '../src/ob3/keys.js';
import { signDataIntegrity } from '../src/ob3/proof/data-integrity.js';
import { signJwt } from '../src/ob3/proof/jwt.js';
import { verify } from '../src/ob3/verify/index.js';
import { benchApp } from './app.js';
import { measure, ROUND_MS, ROUNDS } from './measure.js';

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  const key = generateKey();
  const did = didKeyFor(key.publicKeyMultibase);
  const method = verificationMethodId(did, key);
  const credential = sampleCredential(did);
  const resolver = new DocumentResolver({ offline: true });
  const now = new Date('2026-11-22T00:00:00Z');
  const signedDi = await signDataIntegrity(credential, { key, verificationMethod: method, resolver });
  const jwt = await signJwt(credential, key, method);
  const check = async (input: unknown) => {
    const report = await verify(input as string, { resolver, now });
    if (!report.verified) throw new Error(`bench input did not verify: ${JSON.stringify(report.checks)}`);
  };
  await check(signedDi);
  await check(jwt);

  const png = await sharp({ create: { width: 256, height: 256, channels: 4, background: '#e4572e' } })
    .composite([{ input: Buffer.from('<svg width="256" height="256"><circle cx="128" cy="128" r="100" fill="#29335c"/></svg>') }])
    .png().toBuffer();
  const credentialText = JSON.stringify(signedDi);
  const baked = bakePng(png, credentialText);

  const reference = fileURLToPath(new URL('./reference.js', import.meta.url));
  const references = JSON.parse(execFileSync(process.execPath, [reference], {
    input: JSON.stringify({ credential, jwk: key.privateKey.export({ format: 'jwk' }), method, now: now.toISOString() }),
  }).toString('utf8')) as Record<string, number>;
  const results: Record<string, number> = {
    'di.issue': await measure(() => signDataIntegrity(credential, { key, verificationMethod: method, resolver })),
    'di.verify': await measure(() => check(signedDi)),
    'jwt.issue': await measure(() => signJwt(credential, key, method)),
    'jwt.verify': await measure(() => check(jwt)),
    bake: await measure(() => bakePng(png, credentialText)),
    unbake: await measure(() => unbakePng(baked)),
    ...references,
  };
  const app = await benchApp();
  if (json) {
    process.stdout.write(JSON.stringify({ ...results, ...app }) + '\n');
    return;
  }
  const pad = (s: string) => s.padEnd(20);
  process.stdout.write(`Badgeons bench — ops/s, median of ${ROUNDS} rounds of ${ROUND_MS} ms (Node ${process.version})\n`);
  for (const [name, value] of Object.entries(results)) {
    process.stdout.write(`${pad(name)}${String(value).padStart(9)} ops/s  ${(1000 / value).toFixed(3).padStart(9)} ms/op\n`);
  }
  const bakeUnbake = 1 / (1 / results.bake! + 1 / results.unbake!);
  process.stdout.write(`\nDI verify vs plain vc.verifyCredential: ${(results['di.verify']! / results['ref.vc.verify']!).toFixed(2)}× (target ≥ 3×)\n`);
  process.stdout.write(`DI issue vs plain vc.issue:              ${(results['di.issue']! / results['ref.vc.issue']!).toFixed(2)}×\n`);
  process.stdout.write(`bake + unbake of a ${png.length}-byte 256×256 PNG: ${Math.round(bakeUnbake)} /s\n`);
  process.stdout.write('\nWeb app (server in this process, load generator in another, 32 keep-alive connections)\n');
  process.stdout.write(`issue 500 credentials for one atelier (DI + JWT, stored): ${app.issue500PerSecond} credentials/s (${app.issue500Ms} ms)\n`);
  process.stdout.write(`  reference: plain vc.issue ${results['ref.vc.issue']} ops/s, raw Ed25519 sign ${results['ref.ed25519.sign'] ?? '?'} ops/s\n`);
  process.stdout.write(`end of a 20-person atelier: issue ${app.group20.issueMs} ms, every card (links + QR codes) ${app.group20.cardsMs} ms, mail the 14 with an address (outbox) ${app.group20.mailMs} ms\n`);
  const { verify: v } = app;
  process.stdout.write(`first verification after a restart: ${v.coldMs} ms, a warm one ${v.warmMs} ms (target: within 2×)\n`);
  process.stdout.write(`funder's report, 20,000 participants and 50,000 badges: ${app.report.warmMs} ms (target < 1000 ms); the first after a start ${app.report.coldMs} ms (it reads the list of communes)\n`);
  process.stdout.write(`public credential page: ${app.pageRps} requests/s (p50 ${app.pageP50Ms} ms, p99 ${app.pageP99Ms} ms, ${app.pageErrors} errors) (target ≥ 2,000/s, p99 < 50 ms)\n`);
  process.stdout.write(`  reference: plain node:http sending the same page from memory ${app.pageRefRps} requests/s (the page: ${Math.round((100 * app.pageRps) / app.pageRefRps)} % of it)\n`);
  for (const kind of ['png', 'json'] as const) {
    const k = v[kind];
    process.stdout.write(`POST /api/v1/verify, ${kind === 'png' ? 'baked PNG' : 'JSON'}: ${k.httpRps} requests/s (p50 ${k.p50Ms} ms, p99 ${k.p99Ms} ms, ${k.errors} errors) — verifyBadge in one thread: ${k.inProcessPerSecond}/s\n`);
  }
  process.stdout.write(`worker pool (${v.pool.threads} threads): HTTP verify ${v.pool.httpRps}/s = ${v.pool.vsOneThread}× one thread in-process (target ≥ 1.5×)\n`);
  process.stdout.write(`  reference: raw Ed25519 verify ${results['ref.ed25519.verify'] ?? '?'} ops/s, plain vc.verifyCredential ${results['ref.vc.verify']} ops/s\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
