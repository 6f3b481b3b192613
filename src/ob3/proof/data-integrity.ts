// Embedded proofs (OB 3.0 §8.3): sign with DataIntegrityProof / eddsa-rdfc-2022; verify that, its
// predecessor name eddsa-2022 and Ed25519Signature2020 (Implementation Guide), and the other suites
// of the W3C VC 2.0 Recommendations: ecdsa-rdfc-2019 (P-256, P-384) and eddsa-jcs-2022, with Digital
// Bazaar's maintained packages. Any other suite is reported unsupported, by name.
// First: it changes jsonld before jsonld's expansion module takes its references.
import '../jsonld-speed.js';
import { createPublicKey, sign as ed25519Sign, verify as ed25519Verify, type KeyObject } from 'node:crypto';
import { createRequire } from 'node:module';
import * as vc from '@digitalbazaar/vc';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { DataIntegrityProof, type Cryptosuite } from '@digitalbazaar/data-integrity';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { cryptosuite as ecdsaRdfc2019 } from '@digitalbazaar/ecdsa-rdfc-2019-cryptosuite';
import { createVerifyCryptosuite as eddsaJcs2022 } from '@digitalbazaar/eddsa-jcs-2022-cryptosuite';
import { Ed25519Signature2020 } from '@digitalbazaar/ed25519-signature-2020';
import jsigs from 'jsonld-signatures';
import { alternateContext } from '../contexts.js';
import { DocumentResolver, normalizeController } from '../documents.js';
import { Ob3Error, findOb3Error, toOb3Error } from '../errors.js';
import type { IssuerKey } from '../keys.js';
import type { OpenBadgeCredential, Proof, ProofOutcome } from '../model.js';
import { isUnreachable } from './unreachable.js';

// The suites check that a verification method comes with the context of its own type.
const METHOD_CONTEXTS: Record<string, string> = {
  Multikey: 'https://w3id.org/security/multikey/v1',
  Ed25519VerificationKey2020: 'https://w3id.org/security/suites/ed25519-2020/v1',
  JsonWebKey: 'https://w3id.org/security/jwk/v1',
};

// ed25519-multikey builds a node KeyObject from the raw public key for every signature it checks
// (a tenth of a verification); an issuer signs many badges with one key, so keep the last few.
const publicKeys = new Map<string, KeyObject>();
const MAX_PUBLIC_KEYS = 256;

function publicKeyObject(raw: Uint8Array): KeyObject {
  const x = Buffer.from(raw).toString('base64url');
  let key = publicKeys.get(x);
  if (!key) {
    key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });
    if (publicKeys.size >= MAX_PUBLIC_KEYS) publicKeys.delete(publicKeys.keys().next().value!);
    publicKeys.set(x, key);
  }
  return key;
}

/** The suite's own key reading (types, contexts, encodings), with the KeyObject kept. */
const eddsaRdfc2022Verifying: Cryptosuite = {
  ...eddsaRdfc2022,
  createVerifier: async ({ verificationMethod }) => {
    const pair = await Ed25519Multikey.from(verificationMethod);
    const key = publicKeyObject(pair.publicKey);
    return {
      algorithm: 'Ed25519', id: pair.id,
      verify: async ({ data, signature }: { data: Uint8Array; signature: Uint8Array }) => ed25519Verify(null, data, key, signature),
    };
  },
};

// The 2022 drafts called the same algorithm eddsa-2022; the Implementation Guide asks us to accept it.
const eddsa2022: Cryptosuite = { ...eddsaRdfc2022Verifying, name: 'eddsa-2022' };

/** The DataIntegrityProof cryptosuites we verify, by the name a proof gives. */
const SUITES: Record<string, Cryptosuite> = {
  'eddsa-rdfc-2022': eddsaRdfc2022Verifying, 'eddsa-2022': eddsa2022, 'ecdsa-rdfc-2019': ecdsaRdfc2019, 'eddsa-jcs-2022': eddsaJcs2022(),
};
/** Suites that canonicalise with RDFC (JSON-LD), where a context published in two states matters. */
const RDFC = new Set(['eddsa-rdfc-2022', 'eddsa-2022', 'ecdsa-rdfc-2019']);
/** A multibase proofValue is a signature: 64 bytes (Ed25519) to 96 (P-384); anything far longer is refused before decoding (base58 is quadratic). */
const MAX_PROOF_VALUE = 256;

// Some contexts were published in more than one state under the same URL (contexts/README.md):
// a credential signed under the other state is verified again with it. jsonld caches contexts by
// URL, so that second pass gets a context cache of its own.
const require = createRequire(import.meta.url);
const ContextResolver = require('jsonld/lib/ContextResolver.js') as new (o: { sharedCache: unknown }) => unknown;
const alternateCache = new Map<string, unknown>();
const withAlternates = (suite: Cryptosuite): Cryptosuite => ({
  ...suite,
  canonize: (input, options) =>
    suite.canonize(input, { ...(options as object), contextResolver: new ContextResolver({ sharedCache: alternateCache }) }),
});

function contextUrls(credential: OpenBadgeCredential): string[] {
  return ([] as unknown[]).concat(credential['@context'] ?? []).filter((c): c is string => typeof c === 'string');
}

export interface SignOptions {
  key: IssuerKey;
  /** Full verification method URL, e.g. `did:web:…#z6Mk…`. */
  verificationMethod: string;
  /** Proof creation time; now by default. */
  created?: Date | string;
  resolver?: DocumentResolver;
}

/** Adds a DataIntegrityProof (eddsa-rdfc-2022) to an unsigned credential. */
export async function signDataIntegrity(
  credential: OpenBadgeCredential,
  { key, verificationMethod, created, resolver = new DocumentResolver({ offline: true }) }: SignOptions,
): Promise<OpenBadgeCredential> {
  const signer = {
    id: verificationMethod,
    algorithm: 'Ed25519',
    sign: async ({ data }: { data: Uint8Array }) => new Uint8Array(ed25519Sign(null, data, key.privateKey)),
  };
  const date = created === undefined ? undefined : new Date(created).toISOString().replace(/\.000Z$/, 'Z');
  const suite = new DataIntegrityProof({ signer, cryptosuite: eddsaRdfc2022, ...(date ? { date } : {}) });
  try {
    const { proof: _ignored, ...unsigned } = credential;
    return (await vc.issue({ credential: unsigned, suite, documentLoader: resolver.jsonldLoader() })) as OpenBadgeCredential;
  } catch (error) {
    throw findOb3Error(error) ?? toOb3Error(error, 'SIGN_FAILED');
  }
}

function supported(proof: Proof): boolean {
  return (proof.type === 'DataIntegrityProof' && typeof proof.cryptosuite === 'string' && proof.cryptosuite in SUITES) ||
    proof.type === 'Ed25519Signature2020';
}

/** Verifies the credential's embedded proofs; any one valid proof suffices (§8). Never throws. */
export async function verifyDataIntegrity(
  credential: OpenBadgeCredential,
  resolver: DocumentResolver,
): Promise<ProofOutcome> {
  const proofs = ([] as Proof[]).concat(credential.proof ?? []).filter((p) => p && typeof p === 'object');
  if (proofs.length === 0) return { ok: false, unreachable: false, error: new Ob3Error('PROOF_MISSING') };
  const usable = proofs.filter(supported);
  if (usable.length === 0) {
    const type = proofs.map((p) => [p.type, p.cryptosuite].filter(Boolean).join('/')).join(', ');
    return { ok: false, unreachable: false, error: new Ob3Error('PROOF_UNSUPPORTED', { type }) };
  }
  let failure: ProofOutcome | undefined;
  const hasAlternates = contextUrls(credential).some((url) => alternateContext(url));
  for (const proof of usable) {
    if (typeof proof.proofValue === 'string' && proof.proofValue.length > MAX_PROOF_VALUE) {
      failure ??= { ok: false, unreachable: false, error: new Ob3Error('PROOF_VALUE_TOO_LONG', { length: proof.proofValue.length }) };
      continue;
    }
    let outcome = await verifyOne(credential, proof, resolver, false);
    if (!outcome.ok && outcome.error.code === 'PROOF_INVALID' && hasAlternates && RDFC.has(String(proof.cryptosuite))) {
      outcome = await verifyOne(credential, proof, resolver, true);
    }
    if (outcome.ok) return outcome;
    // Prefer reporting a bad signature over an unreachable key.
    if (!failure || (failure.ok === false && failure.unreachable)) failure = outcome;
  }
  return failure!;
}

async function verifyOne(
  credential: OpenBadgeCredential, proof: Proof, resolver: DocumentResolver, alternates: boolean,
): Promise<ProofOutcome> {
  const methodId = typeof proof.verificationMethod === 'string' ? proof.verificationMethod : '';
  let preloaded: Record<string, unknown>;
  let controllerId: string;
  try {
    const { method, controller } = await resolver.resolveVerificationMethod(methodId);
    const context = METHOD_CONTEXTS[method.type] ?? METHOD_CONTEXTS.Multikey;
    const methodDoc = { ...method, '@context': context, id: methodId };
    const controllerDoc = normalizeController(controller);
    // A bare did:key names the key and its controller at once: one document must serve as both.
    preloaded = methodId === controller.id
      ? { [methodId]: { ...controllerDoc, ...methodDoc, '@context': [...[controllerDoc['@context']].flat(), context] } }
      : { [methodId]: methodDoc, [controller.id]: controllerDoc };
    controllerId = method.controller;
  } catch (error) {
    const e = toOb3Error(error, 'KEY_UNREACHABLE');
    return { ok: false, unreachable: isUnreachable(e), error: e };
  }
  // Verify a document holding only this proof, so a second, unsupported proof cannot fail it.
  const document = { ...credential, proof };
  const suite =
    proof.type === 'Ed25519Signature2020'
      ? new Ed25519Signature2020()
      : new DataIntegrityProof({
          cryptosuite: (alternates ? withAlternates : (c: Cryptosuite) => c)(SUITES[String(proof.cryptosuite)]!),
        });
  const failed = (cause: unknown): ProofOutcome => {
    const error = findOb3Error(cause) ?? new Ob3Error('PROOF_INVALID', {}, { cause });
    return { ok: false, unreachable: isUnreachable(error), error };
  };
  try {
    const result = await jsigs.verify(document, {
      suite: [suite],
      purpose: new jsigs.purposes.AssertionProofPurpose(),
      documentLoader: resolver.jsonldLoader(preloaded, { alternates }),
    });
    if (result.verified) return { ok: true, kind: [proof.type, proof.cryptosuite].filter(Boolean).join('/'), methodId, controllerId };
    return failed(result.results?.find((r) => !r.verified)?.error ?? result.error);
  } catch (error) {
    return failed(error);
  }
}
