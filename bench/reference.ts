// The references of `npm run bench`, in a process of their own so that nothing of Badgeons
// (notably its jsonld speed-up) is loaded: raw node:crypto Ed25519, and @digitalbazaar/vc as its
// README uses it, on the credential and key the parent sends as JSON on stdin.
import { createPrivateKey, createPublicKey, randomBytes, sign as edSign, verify as edVerify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as vc from '@digitalbazaar/vc';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { bundledContext } from '../src/ob3/contexts.js';
import { didKeyDocument } from '../src/ob3/did.js';
import { measure } from './measure.js';

const { credential, jwk, method, now } = JSON.parse(readFileSync(0, 'utf8')) as {
  credential: object; jwk: import('node:crypto').JsonWebKey; method: string; now: string;
};
const privateKey = createPrivateKey({ key: jwk, format: 'jwk' });
const publicKey = createPublicKey(privateKey);

const loader = async (url: string) => {
  const context = bundledContext(url);
  if (context) return { contextUrl: null, documentUrl: url, document: context };
  const doc = didKeyDocument(url.split('#')[0]!);
  const document = url.includes('#') ? { '@context': 'https://w3id.org/security/multikey/v1', ...doc.verificationMethod![0] } : doc;
  return { contextUrl: null, documentUrl: url, document };
};
const signer = { id: method, algorithm: 'Ed25519', sign: async ({ data }: { data: Uint8Array }) => edSign(null, data, privateKey) };
// vc.issue adds its proof to the object it is given: hand it a copy each time.
const issue = () => vc.issue({ credential: structuredClone(credential), suite: new DataIntegrityProof({ signer, cryptosuite: eddsaRdfc2022 }), documentLoader: loader });
const signed = await issue();
const verifyPlain = async () => {
  const r = await vc.verifyCredential({ credential: signed, suite: new DataIntegrityProof({ cryptosuite: eddsaRdfc2022 }), documentLoader: loader, now: new Date(now) });
  if (!r.verified) throw new Error('plain vc.verifyCredential failed');
};
const message = randomBytes(64);
const signature = edSign(null, message, privateKey);

process.stdout.write(JSON.stringify({
  'ref.ed25519.sign': await measure(() => edSign(null, message, privateKey)),
  'ref.ed25519.verify': await measure(() => edVerify(null, message, publicKey, signature)),
  'ref.vc.issue': await measure(issue),
  'ref.vc.verify': await measure(verifyPlain),
}) + '\n');
