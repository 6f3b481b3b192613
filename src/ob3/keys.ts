// Ed25519 issuer keys: generate, store as JWK files (mode 0600, the private half optionally sealed
// with a passphrase), load, rotate, mark compromised, and convert between raw bytes, JWK and
// Multikey (`z6Mk…` multibase).
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmodSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as base58 from 'base58-universal';
import { Ob3Error } from './errors.js';
import { seal, unseal } from './sealed.js';

/** Multicodec prefix of an Ed25519 public key (0xed, varint-encoded). */
const ED25519_PUB_PREFIX = Uint8Array.from([0xed, 0x01]);

/** What a key file holds: a private JWK plus our metadata. */
export interface KeyFile {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  /** The private half in clear; absent when sealed. */
  d?: string;
  /** The private half sealed with the keys passphrase (base64url of salt ‖ nonce ‖ tag ‖ ciphertext). */
  sealedD?: string;
  alg: 'EdDSA';
  /** Key id: the Multikey fingerprint of the public key (`z6Mk…`). */
  kid: string;
  created: string;
  /** Set when a newer key took over; the key stays published so old badges verify. */
  retired?: string;
  /** From when the key is no longer trusted: what it signed since then was revoked. */
  compromised?: string;
}

export interface IssuerKey {
  kid: string;
  publicKeyMultibase: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  created: string;
  retired?: string;
  compromised?: string;
  /** Where it was loaded from, if from a file. */
  file?: string;
  /** Whether its file holds the private half in clear (to seal it once a passphrase is set). */
  clear?: boolean;
}

export function publicKeyMultibaseFromRaw(raw: Uint8Array): string {
  const bytes = new Uint8Array(ED25519_PUB_PREFIX.length + raw.length);
  bytes.set(ED25519_PUB_PREFIX);
  bytes.set(raw, ED25519_PUB_PREFIX.length);
  return 'z' + base58.encode(bytes);
}

/** Raw 32-byte Ed25519 public key from a `z6Mk…` multibase value; throws on anything else. */
export function rawPublicKeyFromMultibase(multibase: string): Uint8Array {
  if (typeof multibase !== 'string' || !multibase.startsWith('z')) {
    throw new Ob3Error('KEY_FILE_INVALID', { path: String(multibase) });
  }
  const bytes = base58.decode(multibase.slice(1));
  if (bytes.length !== 34 || bytes[0] !== 0xed || bytes[1] !== 0x01) {
    throw new Ob3Error('KEY_FILE_INVALID', { path: multibase });
  }
  return bytes.subarray(2);
}

export function publicJwkFromMultibase(multibase: string): { kty: 'OKP'; crv: 'Ed25519'; x: string } {
  return { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(rawPublicKeyFromMultibase(multibase)).toString('base64url') };
}

export function publicKeyFromMultibase(multibase: string): KeyObject {
  return createPublicKey({ key: publicJwkFromMultibase(multibase), format: 'jwk' });
}

function fromJwk(jwk: KeyFile & { d: string }, file?: string): IssuerKey {
  const privateKey = createPrivateKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, d: jwk.d }, format: 'jwk' });
  const publicKey = createPublicKey(privateKey);
  const x = publicKey.export({ format: 'jwk' }).x;
  if (x !== jwk.x) throw new Error('public and private halves differ');
  const publicKeyMultibase = publicKeyMultibaseFromRaw(Buffer.from(x, 'base64url'));
  return {
    kid: publicKeyMultibase, publicKeyMultibase, privateKey, publicKey, created: jwk.created,
    ...(jwk.retired ? { retired: jwk.retired } : {}), ...(jwk.compromised ? { compromised: jwk.compromised } : {}), ...(file ? { file } : {}),
  };
}

export function generateKey(now = new Date()): IssuerKey {
  const { privateKey } = generateKeyPairSync('ed25519');
  const jwk = privateKey.export({ format: 'jwk' });
  return fromJwk({
    kty: 'OKP', crv: 'Ed25519', x: jwk.x!, d: jwk.d!, alg: 'EdDSA', kid: '', created: now.toISOString(),
  });
}

/** Builds a key from a 32-byte seed (test vectors, deterministic fixtures). */
export function keyFromSeed(seed: Uint8Array, created = new Date(0).toISOString()): IssuerKey {
  // PKCS#8 wrapping of a raw Ed25519 seed (RFC 8410).
  const der = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), Buffer.from(seed)]);
  const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  const jwk = privateKey.export({ format: 'jwk' });
  return fromJwk({ kty: 'OKP', crv: 'Ed25519', x: jwk.x!, d: jwk.d!, alg: 'EdDSA', kid: '', created });
}

/** The key as a file; with a passphrase, its private half is sealed. */
export function toKeyFile(key: IssuerKey, passphrase?: string): KeyFile {
  const jwk = key.privateKey.export({ format: 'jwk' });
  const secret = passphrase
    ? { sealedD: seal(Buffer.from(jwk.d!, 'base64url'), passphrase).toString('base64url') }
    : { d: jwk.d! };
  return {
    kty: 'OKP', crv: 'Ed25519', x: jwk.x!, ...secret, alg: 'EdDSA', kid: key.kid, created: key.created,
    ...(key.retired ? { retired: key.retired } : {}), ...(key.compromised ? { compromised: key.compromised } : {}),
  };
}

/** Writes the key as `<dir>/<kid>.jwk` readable by the owner only (sealed with `passphrase` if given); returns the path. */
export function saveKey(dir: string, key: IssuerKey, passphrase?: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, `${key.kid}.jwk`);
  const tmp = `${file}.tmp-${process.pid}`;
  // Write then rename, so a crash never leaves a half-written key.
  writeFileSync(tmp, JSON.stringify(toKeyFile(key, passphrase), null, 2) + '\n', { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
  key.file = file;
  key.clear = !passphrase;
  return file;
}

/** Reads a key file; a sealed one needs the passphrase (KEY_PASSPHRASE_NEEDED, KEY_PASSPHRASE_WRONG). */
export function loadKey(file: string, passphrase?: string): IssuerKey {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Ob3Error('KEY_FILE_UNREADABLE', { path: file }, { cause: error });
  }
  let jwk: KeyFile;
  try {
    jwk = JSON.parse(text) as KeyFile;
  } catch (error) {
    throw new Ob3Error('KEY_FILE_INVALID', { path: file }, { cause: error });
  }
  let d = jwk.d;
  if (typeof jwk.sealedD === 'string') {
    if (!passphrase) throw new Ob3Error('KEY_PASSPHRASE_NEEDED', { path: file });
    const opened = unseal(Buffer.from(jwk.sealedD, 'base64url'), passphrase);
    if (!opened) throw new Ob3Error('KEY_PASSPHRASE_WRONG', { path: file });
    d = opened.toString('base64url');
  }
  try {
    if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof d !== 'string' || typeof jwk.x !== 'string') {
      throw new Error('not an Ed25519 private JWK');
    }
    // ed25519-multikey exports a 64-byte `d` (seed ‖ public key); JOSE and node want the 32-byte seed.
    const seed = Buffer.from(d, 'base64url');
    if (seed.length === 64) d = seed.subarray(0, 32).toString('base64url');
    return { ...fromJwk({ ...jwk, d }, file), clear: typeof jwk.sealedD !== 'string' };
  } catch (error) {
    throw new Ob3Error('KEY_FILE_INVALID', { path: file }, { cause: error });
  }
}

/** Every key in `dir`, oldest first. */
export function loadKeys(dir: string, passphrase?: string): IssuerKey[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.jwk'));
  } catch {
    return [];
  }
  return names.map((n) => loadKey(path.join(dir, n), passphrase)).sort((a, b) => a.created.localeCompare(b.created));
}

/** The key new badges are signed with: the newest one that is not retired. */
export function activeKey(keys: IssuerKey[]): IssuerKey | undefined {
  return keys.filter((k) => !k.retired).at(-1);
}

/** Adds a new key to `dir` and retires the others; they stay so old badges still verify. */
export function rotateKey(dir: string, now = new Date(), passphrase?: string): IssuerKey {
  for (const key of loadKeys(dir, passphrase)) {
    if (!key.retired) {
      key.retired = now.toISOString();
      saveKey(dir, key, passphrase);
    }
  }
  const next = generateKey(now);
  saveKey(dir, next, passphrase);
  return next;
}
