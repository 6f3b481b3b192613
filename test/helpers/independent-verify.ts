// Verifies a credential (JSON on stdin) with software that is not ours: plain @digitalbazaar/vc
// over the contexts/ files read directly, a did:key document written out by hand (the key checked by @digitalbazaar/ed25519-multikey),
// and the official JSON schema through ajv. Runs in its own process so nothing of Badgeons is
// loaded. did:web documents, which it cannot fetch, come from the JSON file named by DID_DOCUMENTS
// ({did: document}), fetched by the test beforehand. Prints {"vc": boolean, "schema": boolean, "errors": [...]}.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as vc from '@digitalbazaar/vc';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { Ajv2019 } from 'ajv/dist/2019.js';
import addFormats from 'ajv-formats';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const index = JSON.parse(readFileSync(path.join(root, 'contexts/index.json'), 'utf8')) as { contexts: Record<string, string> };
const credential = JSON.parse(readFileSync(0, 'utf8')) as { proof: { verificationMethod: string }; type: string[] };
const dids = process.env.DID_DOCUMENTS ? JSON.parse(readFileSync(process.env.DID_DOCUMENTS, 'utf8')) as Record<string, { verificationMethod: { id: string }[] }> : {};

const documentLoader = async (url: string) => {
  const file = index.contexts[url];
  if (file) return { contextUrl: null, documentUrl: url, document: JSON.parse(readFileSync(path.join(root, 'contexts', file), 'utf8')) };
  const [did, fragment] = url.split('#');
  const given = dids[did!];
  if (given) return { contextUrl: null, documentUrl: url, document: fragment ? { '@context': 'https://w3id.org/security/multikey/v1', ...given.verificationMethod.find((m) => m.id === url) } : given };
  if (!did!.startsWith('did:key:')) throw new Error(`unexpected document ${url}`);
  const id = `${did}#${did!.slice('did:key:'.length)}`;
  const publicKeyMultibase = did!.slice('did:key:'.length);
  await Ed25519Multikey.from({ id, controller: did, publicKeyMultibase }); // throws unless an Ed25519 Multikey
  const method = { '@context': 'https://w3id.org/security/multikey/v1', id, type: 'Multikey', controller: did, publicKeyMultibase };
  const document = fragment ? method : {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
    id: did, verificationMethod: [method], assertionMethod: [id],
  };
  return { contextUrl: null, documentUrl: url, document };
};

// The signature is what this independent check is for; a status entry (ours: tested over HTTP elsewhere) is not looked up.
const checkStatus = async () => ({ verified: true });
const result = await vc.verifyCredential({ credential, suite: new DataIntegrityProof({ cryptosuite }), documentLoader, checkStatus });
const ajv = new Ajv2019({ strict: false });
(addFormats as unknown as (a: Ajv2019) => void)(ajv);
const schemaFile = credential.type.includes('EndorsementCredential') ? 'ob_v3p0_endorsementcredential_schema.json' : 'ob_v3p0_achievementcredential_schema.json';
const validate = ajv.compile(JSON.parse(readFileSync(path.join(root, 'schemas', schemaFile), 'utf8')));
const schema = validate(credential);
process.stdout.write(JSON.stringify({ vc: result.verified, schema, errors: [String((result.error as { errors?: unknown[] })?.errors?.[0] ?? result.error ?? ''), ...(validate.errors ?? []).map((e) => e.message)] }) + '\n');
