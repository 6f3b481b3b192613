// Credential status (OB 3.0 §9.1 step 4): W3C Bitstring Status List (and its predecessor
// StatusList2021), and 1EdTech's revocation list. Fails closed: a list that cannot be had,
// or cannot be trusted, means "status unknown", never "not revoked".
//
// Who keeps the list: the Bitstring Status List Recommendation says the list's issuer MAY differ
// from the credential's (an institution's status service). The badge's issuer delegates by naming
// the list inside its own signature; so the list must be authentic as itself (its proof holds and
// its key is its own issuer's), be exactly the list named (URL, purpose, index in range) and not be
// expired. Who keeps it is reported, so a reader sees when it is not the issuer.
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { cacheGet, cacheSet, type DocumentResolver } from './documents.js';
import { Ob3Error, toOb3Error } from './errors.js';
import type { CredentialStatus, JsonObject, OpenBadgeCredential } from './model.js';
import { verifyDataIntegrity } from './proof/data-integrity.js';
import { JWT_PATTERN, issuerId, verifyJwt } from './proof/jwt.js';
import { CLOCK_SKEW_MS, readDateTime } from './dates.js';

/** Entries a list must have at least (Bitstring Status List §2.1: 16 KiB = 131,072 bits). */
export const STATUS_LIST_MIN_ENTRIES = 131_072;
const MAX_LIST_BYTES = 16 * 1024 * 1024;
const BITSTRING_TYPES = new Set(['BitstringStatusListEntry', 'StatusList2021Entry']);

export type StatusOutcome =
  | { state: 'none' }
  | { state: 'active'; lists: string[]; keepers: string[] }
  | { state: 'revoked' | 'suspended'; list: string; keeper?: string }
  | { state: 'unknown'; error: Ob3Error }
  | { state: 'unsupported'; type: string };

/** A gzip'd, multibase base64url (`u…`) bitstring of `size` zero bits with `set` bits on. */
export function encodeBitstring(size: number, set: Iterable<number> = []): string {
  const bytes = Buffer.alloc(Math.ceil(size / 8));
  for (const index of set) setBit(bytes, index, true);
  return encodeBitstringBytes(bytes);
}

/** The same, from the bits as stored (bit 0 = the left-most bit of the first byte). */
export function encodeBitstringBytes(bytes: Uint8Array): string {
  return 'u' + gzipSync(bytes).toString('base64url');
}

export function decodeBitstring(encoded: string): Buffer {
  // Bitstring Status List: multibase base64url ('u'); StatusList2021: plain base64url.
  const text = encoded.startsWith('u') ? encoded.slice(1) : encoded;
  return gunzipSync(Buffer.from(text, 'base64url'), { maxOutputLength: MAX_LIST_BYTES });
}

/** Bit `index` of the list, counting from the left-most bit of the first byte (the one bit order). */
export function bitAt(bits: Uint8Array, index: number): boolean {
  return ((bits[index >> 3] ?? 0) & (0x80 >> (index & 7))) !== 0;
}

/** Sets or clears bit `index`, in the same order. */
export function setBit(bits: Uint8Array, index: number, on: boolean): void {
  const mask = 0x80 >> (index & 7);
  bits[index >> 3] = on ? bits[index >> 3]! | mask : bits[index >> 3]! & ~mask;
}

interface ListCheck {
  list: string;
  purpose: string;
  set: boolean;
  /** Who signed the list, when that is not the badge's issuer. */
  keeper?: string;
  /** For a `message` entry: the issuer's message for the status found (its `statusMessage`). */
  message?: string;
}

/**
 * The issuer's message for a status value, from the entry's `statusMessage` ([{status: "0x1",
 * message}], Bitstring Status List §2.1): what a verifier shows for the `message` purpose.
 */
function statusMessageFor(entry: CredentialStatus, value: number): string | undefined {
  const messages = Array.isArray(entry.statusMessage) ? (entry.statusMessage as unknown[]) : [];
  const found = messages.find((m): m is JsonObject => !!m && typeof m === 'object' && typeof (m as JsonObject).status === 'string' && Number.parseInt(String((m as JsonObject).status), 16) === value);
  return typeof found?.message === 'string' ? found.message.slice(0, 200) : undefined;
}

// One list serves many badges: a list whose exact content was verified a moment ago (as long as
// fetched documents are cached) is not verified again. Keyed by a digest of the whole document.

async function verifiedList(
  document: unknown, resolver: DocumentResolver, fail: (detail: string) => Ob3Error,
): Promise<{ list: OpenBadgeCredential; signer: string | undefined }> {
  const isJwt = typeof document === 'string' && JWT_PATTERN.test(document);
  if (!isJwt && (!document || typeof document !== 'object')) throw fail('not a credential');
  const key = `verified-status-list:${createHash('sha256').update(isJwt ? (document as string) : JSON.stringify(document)).digest('base64url')}`;
  const hit = cacheGet(key) as { list: OpenBadgeCredential; signer: string | undefined } | undefined;
  if (hit) return hit;
  let result: { list: OpenBadgeCredential; signer: string | undefined };
  if (isJwt) {
    const { outcome, credential } = await verifyJwt(document as string, resolver);
    if (!outcome.ok || !credential) throw outcome.ok ? fail('unreadable') : outcome.error;
    result = { list: credential, signer: outcome.controllerId };
  } else {
    const list = document as OpenBadgeCredential;
    const outcome = await verifyDataIntegrity(list, resolver);
    if (!outcome.ok) throw outcome.unreachable ? outcome.error : fail(outcome.error.message);
    result = { list, signer: outcome.controllerId };
  }
  cacheSet(key, result);
  return result;
}

async function readStatusList(
  url: string, resolver: DocumentResolver, now: Date,
): Promise<{ purpose: string; bits: Buffer; signer: string }> {
  const fail = (detail: string) => new Ob3Error('STATUS_LIST_INVALID', { url, detail });
  const document = await resolver.fetchDocument(url, 'application/vc+ld+json, application/vc+jwt, application/json, text/plain');
  const { list, signer } = await verifiedList(document, resolver, fail);
  // The list speaks for its own issuer only: signed with a key of the issuer it names.
  if (!signer || issuerId(list) !== signer) throw fail(`signed by ${String(signer ?? 'an unknown key')}, not by its issuer ${String(issuerId(list))}`);
  // The very list the badge names, not another one served at that address.
  if (typeof list.id === 'string' && list.id !== url) throw fail(`its id is ${list.id}, not ${url}`);
  const until = list.validUntil ?? list.expirationDate;
  const end = readDateTime(until);
  if (end !== undefined && end < now.getTime() - CLOCK_SKEW_MS) throw fail(`expired on ${String(until)}`);
  const subject = list.credentialSubject as unknown as JsonObject;
  if (!subject || typeof subject.encodedList !== 'string') throw fail('no encodedList');
  try {
    return { purpose: String(subject.statusPurpose ?? ''), bits: decodeBitstring(subject.encodedList), signer };
  } catch {
    throw fail('encodedList is not a gzip’d base64url bitstring');
  }
}

async function checkBitstringEntry(
  entry: CredentialStatus, issuer: string | undefined, resolver: DocumentResolver, now: Date,
): Promise<ListCheck> {
  const url = String(entry.statusListCredential ?? '');
  const named = String(entry.statusPurpose ?? '');
  const index = Number(entry.statusListIndex);
  if (!url || !Number.isSafeInteger(index) || index < 0 || String(entry.statusListIndex).trim() === '') {
    throw new Ob3Error('STATUS_INDEX_INVALID', { index: String(entry.statusListIndex), url });
  }
  const size = entry.statusSize === undefined ? 1 : Number(entry.statusSize);
  // Unreadable, the entry says nothing of the badge's status: failing closed, not read as "active".
  if (!Number.isInteger(size) || size < 1 || size > 32) throw new Ob3Error('STATUS_LIST_INVALID', { url, detail: `statusSize ${String(entry.statusSize)}` });
  const list = await readStatusList(url, resolver, now);
  const listPurposes = list.purpose.split(/[ ,]+/).filter(Boolean);
  if (named && listPurposes.length && !listPurposes.includes(named)) {
    throw new Ob3Error('STATUS_LIST_INVALID', { url, detail: `list purpose ${list.purpose}, entry purpose ${named}` });
  }
  // An entry that does not say its purpose (the spec requires it) takes its list's, when the list has
  // one: a set bit on a revocation list is a revocation, not "nothing to report".
  const purpose = named || (listPurposes.length === 1 ? listPurposes[0]! : '');
  if (!purpose) throw new Ob3Error('STATUS_LIST_INVALID', { url, detail: 'no statusPurpose' });
  if ((index + 1) * size > list.bits.length * 8) throw new Ob3Error('STATUS_INDEX_INVALID', { index, url });
  // The entry's statusSize bits, most significant first (§3.2): 0 is the default status.
  let value = 0;
  for (let bit = 0; bit < size; bit++) value = value * 2 + (bitAt(list.bits, index * size + bit) ? 1 : 0);
  const message = purpose === 'message' ? statusMessageFor(entry, value) : undefined;
  return { list: url, purpose, set: value !== 0, ...(list.signer !== issuer ? { keeper: list.signer } : {}), ...(message ? { message } : {}) };
}

async function checkRevocationList(entry: CredentialStatus, credential: OpenBadgeCredential, resolver: DocumentResolver): Promise<ListCheck> {
  const url = String(entry.id ?? '');
  const document = await resolver.fetchDocument(url, 'application/json');
  if (!document || typeof document !== 'object') throw new Ob3Error('STATUS_LIST_INVALID', { url, detail: 'not JSON' });
  const revoked = (document as JsonObject).revokedCredentials;
  if (!Array.isArray(revoked)) throw new Ob3Error('STATUS_LIST_INVALID', { url, detail: 'no revokedCredentials' });
  const set = revoked.some((r: unknown) =>
    typeof r === 'string' ? r === credential.id : !!r && (r as JsonObject).id === credential.id && (r as JsonObject).revoked !== false);
  return { list: url, purpose: 'revocation', set };
}

/** Checks every status entry of the credential. Never throws. */
export async function checkStatus(
  credential: OpenBadgeCredential, resolver: DocumentResolver, now: Date,
): Promise<StatusOutcome> {
  const entries = ([] as CredentialStatus[]).concat(credential.credentialStatus ?? []).filter(Boolean);
  if (entries.length === 0) return { state: 'none' };
  const issuer = issuerId(credential);
  const lists: string[] = [];
  const keepers = new Set<string>();
  let suspendedBy: ListCheck | undefined;
  for (const entry of entries) {
    let result: ListCheck;
    try {
      if (BITSTRING_TYPES.has(entry.type)) result = await checkBitstringEntry(entry, issuer, resolver, now);
      else if (entry.type === '1EdTechRevocationList') result = await checkRevocationList(entry, credential, resolver);
      else return { state: 'unsupported', type: String(entry.type) };
    } catch (error) {
      return { state: 'unknown', error: toOb3Error(error, 'STATUS_LIST_INVALID', { url: String(entry.statusListCredential ?? entry.id) }) };
    }
    lists.push(`${result.purpose}${result.message ? ` “${result.message}”` : ''}: ${result.list}`);
    if (result.keeper) keepers.add(result.keeper);
    const keeper = result.keeper ? { keeper: result.keeper } : {};
    if (result.set && result.purpose === 'revocation') return { state: 'revoked', list: result.list, ...keeper };
    if (result.set && result.purpose === 'suspension') suspendedBy ??= result;
  }
  if (suspendedBy) return { state: 'suspended', list: suspendedBy.list, ...(suspendedBy.keeper ? { keeper: suspendedBy.keeper } : {}) };
  return { state: 'active', lists, keepers: [...keepers] };
}
