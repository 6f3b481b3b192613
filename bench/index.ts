// npm run bench [-- --json]: ops/s (median of several rounds) for our hot paths, next to
// references measured in the same run on the same credential.
import { sign as edSign, verify as edVerify, randomBytes } from 'node:crypto';
import * as vc from '@digitalbazaar/vc';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import sharp from 'sharp';
import { bakePng, unbakePng } from '../src/ob3/bake/png.js';
import { buildCredential } from '../src/ob3/build.js';
import { bundledContext } from '../src/ob3/contexts.js';
import { didKeyDocument, didKeyFor, verificationMethodId } from '../src/ob3/did.js';
import { DocumentResolver } from '../src/ob3/documents.js';
import { generateKey } from '../src/ob3/keys.js';
import { signDataIntegrity } from '../src/ob3/proof/data-integrity.js';
import { signJwt } from '../src/ob3/proof/jwt.js';
import { verify } from '../src/ob3/verify/index.js';

const ROUNDS = 5;
const ROUND_MS = 400;

async function measure(fn: () => unknown | Promise<unknown>): Promise<number> {
  for (let i = 0; i < 20; i++) await fn(); // warm up caches and the JIT
  const rates: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    let n = 0;
    const start = performance.now();
    while (performance.now() - start < ROUND_MS) {
      await fn();
      n++;
    }
    rates.push((n * 1000) / (performance.now() - start));
  }
  rates.sort((a, b) => a - b);
  return Math.round(rates[Math.floor(ROUNDS / 2)]!);
}

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  const key = generateKey();
  const did = didKeyFor(key.publicKeyMultibase);
  const method = verificationMethodId(did, key);
  const credential = buildCredential({
    issuer: { id: did, type: ['Profile'], name: "Badgeons l'Ariège" },
    achievement: {
      id: 'https://badgeons.example.org/achievements/travailler-en-equipe',
      name: 'Travailler en équipe', description: 'Coopérer au sein d’un groupe.',
      criteriaNarrative: 'A participé à un atelier et su écouter les autres.',
      image: { url: 'https://badgeons.example.org/images/equipe.png', alt: 'Trois mains réunies' },
      achievementType: 'ext:SoftSkill', tags: ['coopération'], inLanguage: 'fr',
    },
    recipient: { email: 'camille@example.org', name: 'Camille' },
    evidence: [{ narrative: 'J’ai organisé le tour de parole.' }],
    validFrom: '2026-01-01T00:00:00Z',
  });
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

  // The plain library, as its README shows it: a document loader over the same contexts.
  const plainLoader = async (url: string) => {
    const base = url.split('#')[0]!;
    const document = bundledContext(url) ?? (base.startsWith('did:key:') ? (url.includes('#')
      ? { '@context': 'https://w3id.org/security/multikey/v1', ...didKeyDocument(base).verificationMethod![0] }
      : didKeyDocument(base)) : undefined);
    if (!document) throw new Error(`not found: ${url}`);
    return { contextUrl: null, documentUrl: url, document };
  };
  const signer = { id: method, algorithm: 'Ed25519', sign: async ({ data }: { data: Uint8Array }) => edSign(null, data, key.privateKey) };
  // vc.issue adds its proof to the object it is given: hand it a copy each time.
  const plainSigned = await vc.issue({ credential: structuredClone(credential), suite: new DataIntegrityProof({ signer, cryptosuite: eddsaRdfc2022 }), documentLoader: plainLoader });
  const plainVerify = async () => {
    const r = await vc.verifyCredential({ credential: plainSigned, suite: new DataIntegrityProof({ cryptosuite: eddsaRdfc2022 }), documentLoader: plainLoader, now });
    if (!r.verified) throw new Error('plain vc verify failed');
  };
  await plainVerify();

  const png = await sharp({ create: { width: 256, height: 256, channels: 4, background: '#e4572e' } })
    .composite([{ input: Buffer.from('<svg width="256" height="256"><circle cx="128" cy="128" r="100" fill="#29335c"/></svg>') }])
    .png().toBuffer();
  const credentialText = JSON.stringify(signedDi);
  const baked = bakePng(png, credentialText);
  const message = randomBytes(64);
  const signature = edSign(null, message, key.privateKey);

  const results: Record<string, number> = {
    'di.issue': await measure(() => signDataIntegrity(credential, { key, verificationMethod: method, resolver })),
    'di.verify': await measure(() => check(signedDi)),
    'jwt.issue': await measure(() => signJwt(credential, key, method)),
    'jwt.verify': await measure(() => check(jwt)),
    bake: await measure(() => bakePng(png, credentialText)),
    unbake: await measure(() => unbakePng(baked)),
    'ref.ed25519.sign': await measure(() => edSign(null, message, key.privateKey)),
    'ref.ed25519.verify': await measure(() => edVerify(null, message, key.publicKey, signature)),
    'ref.vc.issue': await measure(() => vc.issue({ credential: structuredClone(credential), suite: new DataIntegrityProof({ signer, cryptosuite: eddsaRdfc2022 }), documentLoader: plainLoader })),
    'ref.vc.verify': await measure(plainVerify),
  };
  if (json) {
    process.stdout.write(JSON.stringify(results) + '\n');
    return;
  }
  const pad = (s: string) => s.padEnd(20);
  process.stdout.write(`Badgeons bench — ops/s, median of ${ROUNDS} rounds of ${ROUND_MS} ms (Node ${process.version})\n`);
  for (const [name, value] of Object.entries(results)) {
    process.stdout.write(`${pad(name)}${String(value).padStart(9)} ops/s  ${(1000 / value).toFixed(3).padStart(9)} ms/op\n`);
  }
  const bakeUnbake = 1 / (1 / results.bake! + 1 / results.unbake!);
  process.stdout.write(`\nDI verify vs plain vc.verifyCredential: ${(results['di.verify']! / results['ref.vc.verify']!).toFixed(2)}×\n`);
  process.stdout.write(`DI issue vs plain vc.issue:              ${(results['di.issue']! / results['ref.vc.issue']!).toFixed(2)}×\n`);
  process.stdout.write(`bake + unbake of a ${png.length}-byte 256×256 PNG: ${Math.round(bakeUnbake)} /s\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
