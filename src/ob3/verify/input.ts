// Turns whatever the user gives (image bytes, JSON, a JWT, an https or data: URL) into a credential
// to check, with limits on size and nesting. Throws Ob3Error with a specific code.
import parseDataURL from 'data-urls';
import { imageKind, unbakeImage } from '../bake/index.js';
import { MAX_CREDENTIAL_BYTES } from '../bake/png.js';
import { looksLikeSvg } from '../bake/svg.js';
import type { DocumentResolver } from '../documents.js';
import { Ob3Error } from '../errors.js';
import type { JsonObject } from '../model.js';
import { JWT_PATTERN } from '../proof/jwt.js';
import { decodeText } from '../text.js';
import { typesOf } from './context.js';

/** Largest input read at all (a baked image); the credential text inside is capped lower. */
export const MAX_INPUT_BYTES = 8 * 1024 * 1024;
export const MAX_JSON_DEPTH = 64;
const OB2_CONTEXTS = ['https://w3id.org/openbadges/v2', 'https://openbadgespec.org/v2/context.json'];

export type VerifyInput = Uint8Array | string | JsonObject;

/** An Open Badges 2.0 assertion as it came: its JSON, a signed JWS, or the URL a hosted badge bakes. */
export interface Ob2Input {
  json?: JsonObject;
  jws?: string;
  url?: string;
}

export interface ReadCredential {
  /** Where it came from, for the format check's message: png, svg, json, jwt, url. */
  source: string;
  jwt?: string;
  json?: JsonObject;
  /** Set instead of jwt/json for an Open Badges 2.0 badge. */
  ob2?: Ob2Input;
}

/**
 * One pass over JSON text, without parsing it, before JSON.parse sees it: its nesting depth (so a
 * hostile document cannot exhaust the stack) and the first key repeated within one object. JSON
 * lets parsers keep either copy of a repeated key; JSON.parse keeps the last, another reader may
 * keep the first and see another recipient than the one the signature covers, so it is refused.
 */
function scanJson(text: string, limit: number): { depth: number; duplicate?: string } {
  let max = 0;
  // One entry per open container: the keys seen so far in an object, null in an array.
  const open: (Set<string> | null)[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) { // a string: find its end, and if it is a key, remember it
      let j = i + 1;
      let escaped = false;
      while (j < text.length && text.charCodeAt(j) !== 34) {
        if (text.charCodeAt(j) === 92) { escaped = true; j += 2; } else j++;
      }
      const top = open[open.length - 1];
      if (expectKey && top) {
        // Escapes are decoded (so "\u0069d" is "id"); a plain key is taken as written.
        let key = text.slice(i + 1, j);
        if (escaped) try { key = JSON.parse(text.slice(i, j + 1)) as string; } catch { /* malformed: JSON.parse reports it */ }
        if (top.has(key)) return { depth: max, duplicate: key };
        top.add(key);
      }
      expectKey = false;
      i = j;
    } else if (c === 123 || c === 91) {
      open.push(c === 123 ? new Set() : null);
      expectKey = c === 123;
      if (open.length > max) max = open.length;
      if (max > limit) return { depth: max };
    } else if (c === 125 || c === 93) {
      open.pop();
      expectKey = false;
    } else if (c === 44) expectKey = open[open.length - 1] instanceof Set;
  }
  return { depth: max };
}

export function parseJsonObject(text: string): JsonObject {
  const scan = scanJson(text, MAX_JSON_DEPTH);
  if (scan.depth > MAX_JSON_DEPTH) throw new Ob3Error('JSON_TOO_DEEP', { max: MAX_JSON_DEPTH });
  if (scan.duplicate !== undefined) throw new Ob3Error('JSON_DUPLICATE_KEY', { key: scan.duplicate.slice(0, 80) });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Ob3Error('JSON_MALFORMED', { detail: (error as Error).message });
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Ob3Error('JSON_NOT_OBJECT');
  return value as JsonObject;
}

function isOb2(json: JsonObject): boolean {
  const contexts = ([] as unknown[]).concat(json['@context'] ?? []);
  return contexts.some((c) => typeof c === 'string' && OB2_CONTEXTS.includes(c)) || ([] as unknown[]).concat(json.type ?? []).includes('Assertion');
}

/** A compact JWS whose payload is an OB 2.0 assertion (signed verification). */
function ob2Jws(jws: string): boolean {
  try {
    const payload = JSON.parse(Buffer.from(jws.split('.')[1]!, 'base64url').toString('utf8')) as JsonObject;
    return !!payload && typeof payload === 'object' && isOb2(payload);
  } catch {
    return false;
  }
}

/**
 * A parsed JSON object as a credential to check. A wallet's export is often a VerifiablePresentation
 * holding the badge: the badge inside is what is checked (the presentation's own proof is about its
 * holder, not the badge), when it holds exactly one.
 */
function fromJson(json: JsonObject, source: string): ReadCredential {
  // VC 2.0 §4.13: a VC-JWT carried in JSON-LD as an EnvelopedVerifiableCredential, its token in a data: URL.
  const enveloped = typesOf(json.type).includes('EnvelopedVerifiableCredential') && typeof json.id === 'string'
    ? /^data:application\/vc\+jwt,([\w.-]+)$/.exec(json.id)?.[1] : undefined;
  if (enveloped) return fromText(enveloped, `${source ? `${source}, ` : ''}enveloped`);
  if (!typesOf(json.type).includes('VerifiablePresentation')) return isOb2(json) ? { source, ob2: { json } } : { source, json };
  const held = ([] as unknown[]).concat(json.verifiableCredential ?? []);
  if (held.length === 0) throw new Ob3Error('PRESENTATION_EMPTY');
  if (held.length > 1) throw new Ob3Error('PRESENTATION_COUNT', { count: held.length });
  const [one] = held;
  const inner = `${source ? `${source}, ` : ''}presentation`;
  if (typeof one === 'string') return fromText(one, inner);
  if (one && typeof one === 'object' && !Array.isArray(one) && !typesOf((one as JsonObject).type).includes('VerifiablePresentation')) return fromJson(one as JsonObject, inner);
  throw new Ob3Error('PRESENTATION_EMPTY');
}

/** JSON or JWT text, however it arrived; a JWT copied with its JSON quotes too. */
function fromText(text: string, source: string): ReadCredential {
  let trimmed = text.replace(/^\uFEFF/, '').trim();
  if (!trimmed) throw new Ob3Error('INPUT_EMPTY');
  if (Buffer.byteLength(trimmed) > MAX_CREDENTIAL_BYTES) {
    throw new Ob3Error('INPUT_TOO_LARGE', { size: Buffer.byteLength(trimmed), max: MAX_CREDENTIAL_BYTES });
  }
  if (/^"[^"\\]+"$/.test(trimmed)) trimmed = trimmed.slice(1, -1).trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return fromJson(parseJsonObject(trimmed), source);
  if (JWT_PATTERN.test(trimmed)) return ob2Jws(trimmed) ? { source, ob2: { jws: trimmed } } : { source, jwt: trimmed };
  // SD-JWT (RFC 9901): the issuer's JWT, then `~`-separated disclosures (and perhaps a key binding JWT).
  if (/^[\w-]+\.[\w-]+\.[\w-]+~([\w-]+~)*([\w-]+\.[\w-]+\.[\w-]*)?$/.test(trimmed)) throw new Ob3Error('INPUT_SD_JWT');
  // OB 2.0 hosted assertions bake the assertion's URL.
  if (/^https?:\/\/\S+$/i.test(trimmed)) return { source, ob2: { url: trimmed } };
  throw new Ob3Error('INPUT_UNRECOGNISED');
}

/**
 * Files people send instead of a badge — a photo or a screenshot of it, a PDF certificate — by their
 * first bytes: none can hold a badge (Open Badges bakes into PNG and SVG only).
 */
function otherFile(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 16));
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'JPEG';
  if (head.subarray(0, 4).toString('latin1') === 'GIF8') return 'GIF';
  if (head.subarray(0, 4).toString('latin1') === 'RIFF' && head.subarray(8, 12).toString('latin1') === 'WEBP') return 'WebP';
  if (head.subarray(4, 8).toString('latin1') === 'ftyp') return /^(avif|avis)/.test(head.subarray(8, 12).toString('latin1')) ? 'AVIF' : 'HEIC';
  if (head.subarray(0, 5).toString('latin1') === '%PDF-') return 'PDF';
  return undefined;
}

function fromBytes(bytes: Uint8Array, source?: string): ReadCredential {
  if (bytes.byteLength === 0) throw new Ob3Error('INPUT_EMPTY');
  if (bytes.byteLength > MAX_INPUT_BYTES) throw new Ob3Error('INPUT_TOO_LARGE', { size: bytes.byteLength, max: MAX_INPUT_BYTES });
  const kind = imageKind(bytes);
  if (kind) {
    const content = unbakeImage(bytes);
    const label = [source, kind, content.encoding].filter(Boolean).join(', ');
    return fromText(content.text, label);
  }
  const other = otherFile(bytes);
  if (other) throw new Ob3Error('INPUT_OTHER_FILE', { format: other });
  // A file saved again on Windows (Notepad's "Unicode" or "ANSI", PowerShell's `>`) holds the same
  // text in another encoding: read it so, and let the signature decide.
  const { text, encoding } = decodeText(bytes);
  const read = fromText(text, source ?? '');
  const label = source ?? (read.source || (read.jwt ? 'jwt' : 'json'));
  return { ...read, source: encoding === 'UTF-8' ? label : `${label}, ${encoding}` };
}

const CREDENTIAL_ACCEPT =
  'application/vc+ld+json, application/vc+jwt;q=0.9, application/ld+json;q=0.8, application/json;q=0.8, text/plain;q=0.5, image/png;q=0.4, image/svg+xml;q=0.4';

function looksLikeHtml(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 512)).toString('utf8').replace(/^\uFEFF/, '').trimStart().toLowerCase();
  return head.startsWith('<!doctype html') || head.startsWith('<html');
}

/** The types a page may name its badge by, best first (`<link rel="alternate" type=… href=…>`). */
const BADGE_TYPES = ['application/vc+ld+json', 'application/vc+jwt', 'application/ld+json', 'application/json'];

/**
 * The badge a web page names as its alternate form, as an absolute URL. Read by jsdom (already
 * the server's DOM for SVG sanitising; it runs no script and fetches nothing here), loaded only now.
 */
async function alternateBadge(bytes: Uint8Array, url: string): Promise<string | undefined> {
  const { JSDOM } = await import('jsdom');
  const { document } = new JSDOM(Buffer.from(bytes).toString('utf8'), { url }).window;
  const links = [...document.querySelectorAll('link[rel~="alternate"][href][type]')];
  for (const type of BADGE_TYPES) {
    const link = links.find((l) => l.getAttribute('type')?.split(';')[0]?.trim().toLowerCase() === type);
    if (link) return new URL(link.getAttribute('href')!, url).href;
  }
  return undefined;
}

/** Reads a credential from any input; fetches https URLs (bounded) through the resolver. */
export async function readInput(input: VerifyInput, resolver: DocumentResolver): Promise<ReadCredential> {
  if (input instanceof Uint8Array) return fromBytes(input);
  if (typeof input === 'string') {
    const trimmed = input.trim();
    if (/^https?:\/\//i.test(trimmed) && !/\s/.test(trimmed)) {
      const bytes = await resolver.fetchBytes(trimmed, CREDENTIAL_ACCEPT, MAX_INPUT_BYTES);
      if (!looksLikeHtml(bytes)) return fromBytes(bytes, 'url');
      // A badge's web page rather than the badge: follow the badge it names as an alternate, once.
      const alternate = await alternateBadge(bytes, trimmed);
      if (!alternate) throw new Ob3Error('INPUT_WEB_PAGE', { url: trimmed });
      const badge = await resolver.fetchBytes(alternate, CREDENTIAL_ACCEPT, MAX_INPUT_BYTES);
      if (looksLikeHtml(badge)) throw new Ob3Error('INPUT_WEB_PAGE', { url: trimmed });
      return fromBytes(badge, 'url');
    }
    if (input.length > MAX_INPUT_BYTES) throw new Ob3Error('INPUT_TOO_LARGE', { size: input.length, max: MAX_INPUT_BYTES });
    // A data: URL, as "Copy image address" gives for a badge shown inline, or a wallet exports.
    if (/^data:/i.test(trimmed)) {
      const data = parseDataURL(trimmed);
      if (!data) throw new Ob3Error('INPUT_UNRECOGNISED');
      return fromBytes(data.body, 'data: URL');
    }
    if (looksLikeSvg(input.slice(0, 4096))) return fromBytes(Buffer.from(input, 'utf8'));
    const read = fromText(input, '');
    return { ...read, source: read.source || (read.jwt ? 'jwt' : 'json') };
  }
  if (input && typeof input === 'object') {
    let text: string;
    try {
      text = JSON.stringify(input);
    } catch {
      throw new Ob3Error('JSON_TOO_DEEP', { max: MAX_JSON_DEPTH });
    }
    return fromJson(parseJsonObject(text), 'json');
  }
  throw new Ob3Error('INPUT_UNRECOGNISED');
}
