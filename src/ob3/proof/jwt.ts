// VC-JWT (OB 3.0 §8.2): sign with EdDSA (`typ: JWT`, `kid`), verify EdDSA/RS*/PS*/ES* with the
// key named by `kid` or carried in a public `jwk` header, and map the registered claims (§8.2.4).
import { CompactSign, calculateJwkThumbprint, type JWK } from 'jose';
import { constants, createPublicKey, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { PRIVATE_JWK_MEMBERS } from '../did.js';
import { DocumentResolver } from '../documents.js';
import { Ob3Error, toOb3Error } from '../errors.js';
import type { IssuerKey } from '../keys.js';
import { publicJwkFromMultibase } from '../keys.js';
import type { JsonObject, OpenBadgeCredential, ProofOutcome, VerificationMethod } from '../model.js';
import { decodeUtf8 } from '../utf8.js';
import { isUnreachable } from './unreachable.js';

/**
 * Asymmetric algorithms only: `none` and the HMAC family can never prove an issuer. Verification
 * calls node:crypto directly: jose goes through WebCrypto, whose thread-pool round trip costs
 * more than the signature check itself.
 */
interface AlgSpec { hash: string | null; kty: string; pss?: boolean; ecdsa?: boolean }
const ALGS: Record<string, AlgSpec> = {
  EdDSA: { hash: null, kty: 'OKP' }, Ed25519: { hash: null, kty: 'OKP' },
  RS256: { hash: 'sha256', kty: 'RSA' }, RS384: { hash: 'sha384', kty: 'RSA' }, RS512: { hash: 'sha512', kty: 'RSA' },
  PS256: { hash: 'sha256', kty: 'RSA', pss: true }, PS384: { hash: 'sha384', kty: 'RSA', pss: true }, PS512: { hash: 'sha512', kty: 'RSA', pss: true },
  ES256: { hash: 'sha256', kty: 'EC', ecdsa: true }, ES384: { hash: 'sha384', kty: 'EC', ecdsa: true }, ES512: { hash: 'sha512', kty: 'EC', ecdsa: true },
  // secp256k1 (RFC 8812), as did:ethr, ION and EBSI issuers sign.
  ES256K: { hash: 'sha256', kty: 'EC', ecdsa: true },
};
/** Algorithms that cannot prove an issuer to anyone else: no signature, or a secret the verifier would have to share. */
const FORBIDDEN_ALG = /^(none|HS\d+)$/i;
const REGISTERED_CLAIMS = ['iss', 'jti', 'sub', 'nbf', 'exp', 'iat', 'aud'];
export const JWT_PATTERN = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

export interface JwtHeader {
  alg?: string;
  kid?: string;
  jwk?: JsonObject;
  typ?: string;
  [extra: string]: unknown;
}

function numericDate(iso: string | undefined): number | undefined {
  if (!iso) return undefined;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

function subjectId(credential: OpenBadgeCredential): string | undefined {
  const subject = Array.isArray(credential.credentialSubject) ? credential.credentialSubject[0] : credential.credentialSubject;
  return typeof subject?.id === 'string' ? subject.id : undefined;
}

export function issuerId(credential: OpenBadgeCredential): string | undefined {
  const issuer = credential.issuer;
  return typeof issuer === 'string' ? issuer : typeof issuer?.id === 'string' ? issuer.id : undefined;
}

/** Signs the credential as a compact JWS (§8.2): the payload is the credential plus iss/jti/sub/nbf/exp. */
export async function signJwt(credential: OpenBadgeCredential, key: IssuerKey, kid: string): Promise<string> {
  const { proof: _ignored, ...unsigned } = credential;
  const claims: JsonObject = { ...unsigned };
  const iss = issuerId(credential);
  const sub = subjectId(credential);
  const nbf = numericDate(credential.validFrom);
  const exp = numericDate(credential.validUntil);
  if (iss) claims.iss = iss;
  claims.jti = credential.id;
  if (sub) claims.sub = sub;
  if (nbf !== undefined) claims.nbf = nbf;
  if (exp !== undefined) claims.exp = exp;
  try {
    return await new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
      .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT', kid })
      .sign(key.privateKey);
  } catch (error) {
    throw toOb3Error(error, 'SIGN_FAILED');
  }
}

function decodePart(part: string, what: string): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(decodeUtf8(Buffer.from(part, 'base64url')));
  } catch {
    throw new Ob3Error('JWT_MALFORMED', { detail: `${what} is not base64url JSON` });
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new Ob3Error('JWT_MALFORMED', { detail: `${what} is not a JSON object` });
  }
  return value as JsonObject;
}

/**
 * Reads a compact JWT without verifying it: header, and the credential from the payload
 * (VC 2.0 style, or under the legacy `vc` claim with the VC 1.1 claim mapping).
 */
export interface DecodedJwt {
  header: JwtHeader;
  payload: JsonObject;
  credential: OpenBadgeCredential;
}

export function decodeJwtCredential(token: string): DecodedJwt {
  const parts = token.split('.');
  if (parts.length !== 3 || !JWT_PATTERN.test(token)) throw new Ob3Error('JWT_MALFORMED', { detail: 'not a compact JWS' });
  const header = decodePart(parts[0]!, 'header') as JwtHeader;
  const payload = decodePart(parts[1]!, 'payload');
  let credential: JsonObject;
  if (payload.vc && typeof payload.vc === 'object' && !Array.isArray(payload.vc)) {
    // VC 1.1 JWT encoding: the registered claims stand for properties the `vc` object may omit.
    credential = { ...(payload.vc as JsonObject) };
    if (credential.id === undefined && typeof payload.jti === 'string') credential.id = payload.jti;
    if (credential.issuer === undefined && typeof payload.iss === 'string') credential.issuer = payload.iss;
    const toIso = (s: unknown) => (typeof s === 'number' ? new Date(s * 1000).toISOString() : undefined);
    const v1 = Array.isArray(credential['@context']) && credential['@context'][0] === 'https://www.w3.org/2018/credentials/v1';
    const [from, until] = v1 ? ['issuanceDate', 'expirationDate'] : ['validFrom', 'validUntil'];
    if (credential[from] === undefined && toIso(payload.nbf)) credential[from] = toIso(payload.nbf);
    if (credential[until] === undefined && toIso(payload.exp)) credential[until] = toIso(payload.exp);
    const subject = credential.credentialSubject as JsonObject | undefined;
    if (subject && typeof subject === 'object' && subject.id === undefined && typeof payload.sub === 'string') {
      credential.credentialSubject = { ...subject, id: payload.sub };
    }
  } else {
    credential = Object.fromEntries(Object.entries(payload).filter(([k]) => !REGISTERED_CLAIMS.includes(k)));
    if (credential.validUntil === undefined && typeof payload.exp === 'number') {
      credential.validUntil = new Date(payload.exp * 1000).toISOString().replace(/\.000Z$/, 'Z');
    }
  }
  return { header, payload, credential: credential as unknown as OpenBadgeCredential };
}

// Importing a key costs as much as checking a signature; issuers have few keys.
const keyCache = new Map<string, KeyObject>();

function publicKeyFromJwk(jwk: JsonObject): KeyObject {
  const { kty, crv, x, y, n, e } = jwk;
  const id = JSON.stringify([kty, crv, x, y, n, e]);
  let key = keyCache.get(id);
  if (!key) {
    key = createPublicKey({ key: { kty, crv, x, y, n, e } as import('node:crypto').JsonWebKey, format: 'jwk' });
    if (keyCache.size >= 1000) keyCache.clear();
    keyCache.set(id, key);
  }
  return key;
}

function jwkFromMethod(method: VerificationMethod): JsonObject {
  if (method.publicKeyJwk && typeof method.publicKeyJwk === 'object') return method.publicKeyJwk;
  if (typeof method.publicKeyMultibase === 'string') return publicJwkFromMultibase(method.publicKeyMultibase);
  throw new Ob3Error('VERIFICATION_METHOD_NOT_FOUND', { id: method.id });
}

/** The public JWK named by `kid`: a DID URL or https URL of a verification method, a JWK or a JWKS. */
async function resolveKid(kid: string, issuer: string | undefined, resolver: DocumentResolver): Promise<{ jwk: JsonObject; controllerId?: string }> {
  // A bare fragment or key name is relative to a DID issuer.
  const absolute = /^[a-z][a-z0-9+.-]*:/i.test(kid) ? kid : issuer?.startsWith('did:') ? `${issuer}#${kid.replace(/^#/, '')}` : kid;
  if (absolute.startsWith('did:')) {
    const { method } = await resolver.resolveVerificationMethod(absolute);
    return { jwk: jwkFromMethod(method), controllerId: method.controller };
  }
  const doc = await resolver.fetchDocument(absolute, 'application/jwk+json, application/json');
  if (doc && typeof doc === 'object') {
    const d = doc as JsonObject;
    if (typeof d.kty === 'string') return { jwk: d, ...(typeof d.iss === 'string' ? { controllerId: d.iss } : {}) };
    if (Array.isArray(d.keys)) {
      const fragment = absolute.split('#')[1];
      const match = (d.keys as JsonObject[]).find((k) => k && (k.kid === absolute || (fragment && k.kid === fragment)));
      if (match) return { jwk: match, ...(typeof match.iss === 'string' ? { controllerId: match.iss } : {}) };
    }
  }
  const { method } = await resolver.resolveVerificationMethod(absolute);
  return { jwk: jwkFromMethod(method), controllerId: method.controller };
}

/**
 * For a key carried in the header, who vouches for it: the issuer's DID document, or the
 * issuer's JWKS at https://{authority}/.well-known/jwks.json (Implementation Guide, key provenance).
 */
async function vouchForJwk(jwk: JsonObject, issuer: string, resolver: DocumentResolver): Promise<string | undefined> {
  const thumbprint = await calculateJwkThumbprint(jwk as JWK);
  const same = async (candidate: JsonObject) =>
    (await calculateJwkThumbprint(candidate as JWK).catch(() => '')) === thumbprint;
  if (issuer.startsWith('did:')) {
    const doc = await resolver.resolveDid(issuer);
    for (const method of doc.verificationMethod ?? []) {
      const candidate = (() => { try { return jwkFromMethod(method); } catch { return undefined; } })();
      if (candidate && (await same(candidate))) return method.controller ?? doc.id;
    }
    return undefined;
  }
  const jwksUrl = new URL('/.well-known/jwks.json', issuer).href;
  const jwks = (await resolver.fetchDocument(jwksUrl, 'application/json')) as JsonObject;
  for (const key of Array.isArray(jwks?.keys) ? (jwks.keys as JsonObject[]) : []) {
    if (key && (await same(key))) return typeof key.iss === 'string' ? key.iss : issuer;
  }
  return undefined;
}

/** The key the header names (`kid`, resolved) or carries (`jwk`, public members only); an Ob3Error when the header is unusable. */
async function headerKey(header: DecodedJwt['header'], issuer: string | undefined, resolver: DocumentResolver): Promise<{ jwk: JsonObject; controllerId?: string } | Ob3Error> {
  if (header.jwk !== undefined) {
    if (!header.jwk || typeof header.jwk !== 'object') return new Ob3Error('JWT_KEY_HEADER');
    if (PRIVATE_JWK_MEMBERS.some((m) => m in header.jwk!)) return new Ob3Error('JWT_PRIVATE_KEY');
    return { jwk: header.jwk };
  }
  if (typeof header.kid !== 'string' || !header.kid) return new Ob3Error('JWT_KEY_HEADER');
  return resolveKid(header.kid, issuer, resolver);
}

/** Whether the signature over header.payload holds with this key (a key of the wrong type never does). */
function signatureHolds(token: string, jwk: JsonObject, spec: AlgSpec): boolean {
  try {
    if (jwk.kty !== spec.kty) return false;
    const dot = token.lastIndexOf('.');
    return cryptoVerify(
      spec.hash,
      Buffer.from(token.slice(0, dot), 'ascii'),
      {
        key: publicKeyFromJwk(jwk),
        ...(spec.pss ? { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST } : {}),
        ...(spec.ecdsa ? { dsaEncoding: 'ieee-p1363' as const } : {}),
      },
      Buffer.from(token.slice(dot + 1), 'base64url'),
    );
  } catch {
    return false; // a malformed key or signature: it does not hold
  }
}

/** §8.2.6: the registered claims should agree with the credential they wrap (reported, see ProofOutcome). */
function registeredClaimMismatch(payload: DecodedJwt['payload'], credential: OpenBadgeCredential, issuer: string | undefined) {
  const sub = subjectId(credential);
  const from = credential.validFrom ?? credential.issuanceDate;
  const until = credential.validUntil ?? credential.expirationDate;
  return ([
    ['iss', payload.iss !== undefined && payload.iss !== issuer, issuer],
    ['jti', payload.jti !== undefined && payload.jti !== credential.id, credential.id],
    ['sub', payload.sub !== undefined && sub !== undefined && payload.sub !== sub, sub],
    ['nbf', payload.nbf !== undefined && from !== undefined && payload.nbf !== numericDate(from), from],
    ['exp', payload.exp !== undefined && until !== undefined && payload.exp !== numericDate(until), until],
  ] as const).find(([, differs]) => differs);
}

/** Verifies a compact JWT credential (§8.2.6). Never throws. */
export async function verifyJwt(
  token: string,
  resolver: DocumentResolver,
  decodedAlready?: DecodedJwt,
): Promise<{ outcome: ProofOutcome; credential?: OpenBadgeCredential; provenanceError?: Ob3Error }> {
  let decoded: DecodedJwt;
  try {
    decoded = decodedAlready ?? decodeJwtCredential(token);
  } catch (error) {
    return { outcome: { ok: false, unreachable: false, error: toOb3Error(error, 'JWT_MALFORMED') } };
  }
  const { header, payload, credential } = decoded;
  const fail = (error: Ob3Error) => ({ outcome: { ok: false as const, unreachable: isUnreachable(error), error }, credential });
  const alg = String(header.alg ?? 'none');
  const spec = Object.hasOwn(ALGS, alg) ? ALGS[alg]! : undefined;
  // Any other asymmetric algorithm may be sound: not one we check here, which says nothing of the badge.
  if (!spec) return fail(FORBIDDEN_ALG.test(alg) ? new Ob3Error('JWT_ALG_FORBIDDEN', { alg }) : new Ob3Error('PROOF_UNSUPPORTED', { type: `VC-JWT/${alg}` }));
  if ((header.kid === undefined) === (header.jwk === undefined)) return fail(new Ob3Error('JWT_KEY_HEADER'));
  const issuer = issuerId(credential);

  let jwk: JsonObject;
  let controllerId: string | undefined;
  let provenanceError: Ob3Error | undefined;
  try {
    const found = await headerKey(header, issuer, resolver);
    if (found instanceof Ob3Error) return fail(found);
    ({ jwk, controllerId } = found);
  } catch (error) {
    return fail(toOb3Error(error, 'KEY_UNREACHABLE'));
  }
  if (!signatureHolds(token, jwk, spec)) return fail(new Ob3Error('PROOF_INVALID'));
  const claimMismatch = registeredClaimMismatch(payload, credential, issuer);
  if (header.jwk !== undefined && issuer) {
    try {
      controllerId = await vouchForJwk(jwk, issuer, resolver);
    } catch (error) {
      provenanceError = toOb3Error(error, 'KEY_UNREACHABLE');
    }
  }
  const methodId = header.kid ?? `jwk#${await calculateJwkThumbprint(jwk as JWK)}`;
  return {
    outcome: {
      ok: true,
      kind: `VC-JWT/${alg}`,
      methodId,
      ...(controllerId ? { controllerId } : {}),
      ...(payload.nbf === undefined ? { missingNbf: true } : {}),
      ...(claimMismatch ? { claimMismatch: { claim: claimMismatch[0], expected: String(claimMismatch[2]) } } : {}),
    },
    credential,
    ...(provenanceError ? { provenanceError } : {}),
  };
}
