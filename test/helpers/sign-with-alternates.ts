// Signs a credential (stdin: {credential, jwk, method}) the way another issuer's software would
// have when a context URL served its other published state (contexts/index.json "alternates"):
// a process of its own, plain @digitalbazaar/vc, a loader that serves the alternate files.
import { createPrivateKey, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as vc from '@digitalbazaar/vc';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const index = JSON.parse(readFileSync(path.join(root, 'contexts/index.json'), 'utf8')) as {
  contexts: Record<string, string>; alternates: Record<string, { file: string }>;
};
const { credential, jwk, method } = JSON.parse(readFileSync(0, 'utf8')) as { credential: object; jwk: import('node:crypto').JsonWebKey; method: string };
const key = createPrivateKey({ key: jwk, format: 'jwk' });
const documentLoader = async (url: string) => {
  const file = index.alternates[url]?.file ?? index.contexts[url];
  if (!file) throw new Error(`unexpected document ${url}`);
  return { contextUrl: null, documentUrl: url, document: JSON.parse(readFileSync(path.join(root, 'contexts', file), 'utf8')) };
};
const signer = { id: method, algorithm: 'Ed25519', sign: async ({ data }: { data: Uint8Array }) => sign(null, data, key) };
process.stdout.write(JSON.stringify(await vc.issue({ credential, suite: new DataIntegrityProof({ signer, cryptosuite }), documentLoader })));
