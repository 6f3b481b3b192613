// DIDs for issuers: did:key and did:jwk (computed locally) and did:web (built from a base URL,
// resolved over HTTPS), and the DID documents that publish issuer keys as Multikey.
import { createPublicKey } from 'node:crypto';
import * as base58 from 'base58-universal';
import { Ob3Error } from './errors.js';
import type { IssuerKey } from './keys.js';
import { rawPublicKeyFromMultibase } from './keys.js';
import type { ControllerDocument, VerificationMethod } from './model.js';

export const DID_CONTEXT = 'https://www.w3.org/ns/did/v1';
export const MULTIKEY_CONTEXT = 'https://w3id.org/security/multikey/v1';
/** did:jwk documents name their key's type in this context (not bundled: nothing reads it as JSON-LD). */
const JWS_2020_CONTEXT = 'https://w3id.org/security/suites/jws-2020/v1';

export function didKeyFor(publicKeyMultibase: string): string {
  return `did:key:${publicKeyMultibase}`;
}

/** `https://badges.example.org:8443/issuers/ariege` → `did:web:badges.example.org%3A8443:issuers:ariege`. */
export function didWebFromUrl(baseUrl: string): string {
  const url = new URL(baseUrl);
  const host = url.port ? `${url.hostname}%3A${url.port}` : url.hostname;
  const segments = url.pathname.split('/').filter(Boolean).map(encodeURIComponent);
  return ['did:web', host, ...segments].join(':');
}

/** Where a did:web document lives (did:web spec §3.2.1); plain http only for localhost. */
export function didWebToUrl(did: string): string {
  const parts = did.split(':');
  if (parts.length < 3 || parts[0] !== 'did' || parts[1] !== 'web' || !parts[2]) {
    throw new Ob3Error('DID_INVALID', { did });
  }
  const host = decodeURIComponent(parts[2]);
  const segments = parts.slice(3).map(decodeURIComponent);
  if (!/^[a-z0-9.[\]:-]+$/i.test(host) || segments.some((s) => s === '' || s.includes('/'))) {
    throw new Ob3Error('DID_INVALID', { did });
  }
  const scheme = isLocalHost(host.replace(/:\d+$/, '')) ? 'http' : 'https';
  const pathPart = segments.length ? `/${segments.map(encodeURIComponent).join('/')}/did.json` : '/.well-known/did.json';
  return `${scheme}://${host}${pathPart}`;
}

export function isLocalHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || h === '127.0.0.1' || h === '::1';
}

export function verificationMethodId(controller: string, key: Pick<IssuerKey, 'publicKeyMultibase'>): string {
  return `${controller}#${key.publicKeyMultibase}`;
}

/** A controller (DID) document listing `keys` as Multikey, all usable for assertions. */
export function controllerDocument(id: string, keys: Pick<IssuerKey, 'publicKeyMultibase'>[]): ControllerDocument {
  const methods: VerificationMethod[] = keys.map((key) => ({
    id: verificationMethodId(id, key),
    type: 'Multikey',
    controller: id,
    publicKeyMultibase: key.publicKeyMultibase,
  }));
  const ids = methods.map((m) => m.id);
  return {
    '@context': [DID_CONTEXT, MULTIKEY_CONTEXT],
    id,
    verificationMethod: methods,
    assertionMethod: ids,
    authentication: ids,
  };
}

/** Multicodec prefixes and key lengths of the did:key types we verify with: P-256 and P-384 (compressed points). */
const ECDSA_MULTIKEYS = [
  { prefix: [0x80, 0x24], length: 33 },
  { prefix: [0x81, 0x24], length: 49 },
];

/** True for a `z…` Multikey of an Ed25519, P-256 or P-384 public key. */
function knownMultikey(fingerprint: string): boolean {
  if (fingerprint.length > 80) return false; // bounded before the (quadratic) base58 decoder
  try {
    rawPublicKeyFromMultibase(fingerprint);
    return true;
  } catch { /* not Ed25519 */ }
  try {
    const bytes = base58.decode(fingerprint.slice(1));
    return fingerprint.startsWith('z') && ECDSA_MULTIKEYS.some((k) => bytes[0] === k.prefix[0] && bytes[1] === k.prefix[1] && bytes.length === 2 + k.length);
  } catch {
    return false;
  }
}

/** The DID document of a did:key, computed locally (Ed25519 `z6Mk…`, P-256 `zDn…`, P-384 `z82…` keys). */
export function didKeyDocument(did: string): ControllerDocument {
  const fingerprint = did.slice('did:key:'.length);
  if (!knownMultikey(fingerprint)) throw new Ob3Error('DID_INVALID', { did });
  const doc = controllerDocument(did, [{ publicKeyMultibase: fingerprint }]);
  return { ...doc, capabilityInvocation: doc.assertionMethod, capabilityDelegation: doc.assertionMethod };
}

/** DER prefix of a P-256 SubjectPublicKeyInfo holding a compressed point (did:key `zDn…` keys are compressed). */
const P256_COMPRESSED_SPKI = Buffer.from('3039301306072a8648ce3d020106082a8648ce3d030107032200', 'hex');

export interface PublicJwk {
  kty: string;
  crv?: string;
  x?: string;
  y?: string;
  [member: string]: unknown;
}

/**
 * The public key a holder's DID names, as a JWK: did:key (Ed25519 `z6Mk…`, P-256 `zDn…`) and
 * did:jwk, the methods wallets use for key binding; a DID URL's fragment is ignored.
 */
export function publicJwkFromDid(didUrl: string): PublicJwk {
  const did = didUrl.split('#')[0]!;
  try {
    if (did.startsWith('did:jwk:')) {
      const jwk = JSON.parse(Buffer.from(did.slice('did:jwk:'.length), 'base64url').toString('utf8')) as PublicJwk;
      return createPublicKey({ key: jwk as never, format: 'jwk' }).export({ format: 'jwk' }) as PublicJwk;
    }
    if (did.startsWith('did:key:z')) {
      const bytes = base58.decode(did.slice('did:key:z'.length));
      if (bytes[0] === 0xed && bytes[1] === 0x01 && bytes.length === 34) {
        return { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(bytes.subarray(2)).toString('base64url') };
      }
      if (bytes[0] === 0x80 && bytes[1] === 0x24 && bytes.length === 35) {
        const key = createPublicKey({ key: Buffer.concat([P256_COMPRESSED_SPKI, bytes.subarray(2)]), format: 'der', type: 'spki' });
        return key.export({ format: 'jwk' }) as PublicJwk;
      }
    }
  } catch {
    // falls through: not a key we can read
  }
  throw new Ob3Error('DID_INVALID', { did });
}

/** A did:jwk longer than this names no key anyone uses (an RSA-4096 key's is about 1 KB). */
const MAX_DID_JWK = 4096;
/** JWK members that only a private (or secret) key has. */
export const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth'];

/**
 * The DID document of a did:jwk, computed locally as its method specifies: the key its name
 * carries, as `#0`, for every relationship — key agreement alone when the key says `"use": "enc"`,
 * all but it for `"sig"`. A name carrying private members is refused: a key everyone holds proves nothing.
 */
export function didJwkDocument(did: string): ControllerDocument {
  const encoded = did.slice('did:jwk:'.length);
  let given: unknown;
  try {
    given = encoded.length <= MAX_DID_JWK && /^[A-Za-z0-9_-]+$/.test(encoded) ? JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) : undefined;
  } catch {
    given = undefined;
  }
  if (!given || typeof given !== 'object' || Array.isArray(given) || PRIVATE_JWK_MEMBERS.some((m) => m in given)) throw new Ob3Error('DID_INVALID', { did });
  const publicKeyJwk = publicJwkFromDid(did);
  const id = `${did}#0`;
  const { use } = given as PublicJwk;
  return {
    '@context': [DID_CONTEXT, JWS_2020_CONTEXT],
    id: did,
    verificationMethod: [{ id, type: 'JsonWebKey2020', controller: did, publicKeyJwk }],
    ...(use === 'enc' ? {} : { assertionMethod: [id], authentication: [id], capabilityInvocation: [id], capabilityDelegation: [id] }),
    ...(use === 'sig' ? {} : { keyAgreement: [id] }),
  };
}

/** `did:jwk:…` for a public JWK (wallets that send their key as `jwk` rather than a DID). */
export function didJwkFor(jwk: PublicJwk): string {
  const { kty, crv, x, y, n, e } = jwk;
  const publicOnly = Object.fromEntries(Object.entries({ crv, e, kty, n, x, y }).filter(([, v]) => v !== undefined));
  return `did:jwk:${Buffer.from(JSON.stringify(publicOnly)).toString('base64url')}`;
}
