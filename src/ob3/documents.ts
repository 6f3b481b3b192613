// The layered document loader. JSON-LD processing only ever sees bundled contexts and
// documents resolved beforehand; the network is used for key/controller documents,
// did:web and status lists, in this order: bundled contexts → local map → network → did:key.
import { alternateContext, bundledContext } from './contexts.js';
import { DID_CONTEXT, didJwkDocument, didKeyDocument, didWebToUrl, isLocalHost } from './did.js';
import { Ob3Error, toOb3Error } from './errors.js';
import type { ControllerDocument, JsonObject, VerificationMethod } from './model.js';
import { decodeUtf8 } from './utf8.js';

export interface DocumentOptions {
  /** Local documents by URL or DID, consulted before the network. Values: JSON, or a JWT string. */
  documents?: Record<string, unknown>;
  /**
   * Documents found on demand (a server answering for its own issuers without calling itself);
   * consulted after `documents`, before the network. Undefined means "not mine".
   */
  lookup?: (url: string) => unknown | Promise<unknown>;
  /** Never use the network. */
  offline?: boolean;
  timeoutMs?: number;
  maxBytes?: number;
  /** Decides whether a URL may be fetched (the web app adds a private-address guard). */
  allowUrl?: (url: URL) => boolean | Promise<boolean>;
  /**
   * How to reach the network; the global fetch by default. The web app passes one that checks the
   * address it actually connects to, which `allowUrl` alone cannot (the name is resolved again).
   * It signals a refused address by rejecting with a cause whose code is `URL_FORBIDDEN`.
   */
  fetch?: (url: URL, init: RequestInit) => Promise<Response>;
}

export interface RemoteDocument {
  contextUrl: null;
  documentUrl: string;
  document: unknown;
  /** `static`: jsonld may cache the document for the life of the process. */
  tag?: 'static';
}
export type JsonLdLoader = (url: string) => Promise<RemoteDocument>;

export const DEFAULT_TIMEOUT_MS = 5_000;
export const DEFAULT_MAX_BYTES = 256 * 1024;
const CACHE_TTL_MS = 60_000;
const CACHE_MAX = 500;
const MAX_REDIRECTS = 3;

// Network results are shared by every resolver for a short time: key documents and status
// lists change rarely, and a status list must not be stale for long.
const cache = new Map<string, { expires: number; value: unknown }>();

/** The short-lived cache every resolver shares (also for results derived from fetched documents). */
export function cacheGet(key: string): unknown {
  const hit = cache.get(key);
  if (!hit) return undefined;
  if (hit.expires < Date.now()) {
    cache.delete(key);
    return undefined;
  }
  return hit.value;
}

export function cacheSet(key: string, value: unknown): void {
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
  cache.set(key, { expires: Date.now() + CACHE_TTL_MS, value });
}

export function clearDocumentCache(): void {
  cache.clear();
}

function checkUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Ob3Error('URL_INVALID', { url: raw });
  }
  const plainOk = url.protocol === 'http:' && isLocalHost(url.hostname);
  if ((url.protocol !== 'https:' && !plainOk) || url.username || url.password) {
    throw new Ob3Error('URL_FORBIDDEN', { url: raw });
  }
  return url;
}

/** Reads a body up to `maxBytes`, aborting past it. */
async function readCapped(response: Response, url: string, maxBytes: number): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > maxBytes) throw new Ob3Error('FETCH_TOO_LARGE', { url, max: maxBytes });
  const chunks: Buffer[] = [];
  let size = 0;
  if (!response.body) return Buffer.alloc(0);
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    size += chunk.length;
    if (size > maxBytes) throw new Ob3Error('FETCH_TOO_LARGE', { url, max: maxBytes });
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}

/** Body as JSON when it parses, else as trimmed text (a JWT served as text/plain). */
function parseBody(bytes: Buffer): unknown {
  const text = decodeUtf8(bytes).trim();
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export class DocumentResolver {
  readonly offline: boolean;
  private readonly local: Map<string, unknown>;
  private readonly timeoutMs: number;
  private readonly maxBytes: number;
  private readonly allowUrl?: DocumentOptions['allowUrl'];
  private readonly lookup?: DocumentOptions['lookup'];
  private readonly fetch: NonNullable<DocumentOptions['fetch']>;

  constructor(options: DocumentOptions = {}) {
    this.offline = options.offline ?? false;
    this.local = new Map(Object.entries(options.documents ?? {}));
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    if (options.allowUrl) this.allowUrl = options.allowUrl;
    if (options.lookup) this.lookup = options.lookup;
    this.fetch = options.fetch ?? ((url, init) => fetch(url, init));
  }

  /** Throws unless this resolver may fetch `raw`: online, https (http for localhost), allowed. */
  private async checkPolicy(raw: string): Promise<URL> {
    if (this.offline) throw new Ob3Error('NETWORK_OFFLINE', { url: raw });
    const url = checkUrl(raw);
    if (this.allowUrl && !(await this.allowUrl(url))) throw new Ob3Error('URL_FORBIDDEN', { url: raw });
    return url;
  }

  /** Raw bytes of `url` over the network (HTTPS; http for localhost), with limits, no cache. */
  async fetchBytes(raw: string, accept: string, maxBytes = this.maxBytes): Promise<Buffer> {
    let current = raw;
    const signal = AbortSignal.timeout(this.timeoutMs);
    try {
      for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
        const url = await this.checkPolicy(current);
        const response = await this.fetch(url, { headers: { accept }, redirect: 'manual', signal });
        if (response.status >= 300 && response.status < 400 && response.headers.get('location')) {
          await response.body?.cancel();
          current = new URL(response.headers.get('location')!, url).href;
          continue;
        }
        if (!response.ok) {
          await response.body?.cancel();
          // 410 Gone: removed on purpose (an OB 2.0 issuer revokes a hosted badge so).
          if (response.status === 410) throw new Ob3Error('FETCH_GONE', { url: raw });
          throw new Ob3Error('FETCH_FAILED', { url: raw, detail: `HTTP ${response.status}` });
        }
        return await readCapped(response, raw, maxBytes);
      }
      throw new Ob3Error('FETCH_FAILED', { url: raw, detail: 'too many redirects' });
    } catch (error) {
      if (signal.aborted) throw new Ob3Error('FETCH_TIMEOUT', { url: raw, ms: this.timeoutMs });
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      if (cause === 'URL_FORBIDDEN') throw new Ob3Error('URL_FORBIDDEN', { url: raw });
      throw toOb3Error(error, 'FETCH_FAILED', { url: raw, ...(cause ? { detail: cause } : {}) });
    }
  }

  /** A document by URL: local map, then the shared cache, then the network. JSON or a JWT string. */
  async fetchDocument(url: string, accept = 'application/ld+json, application/json'): Promise<unknown> {
    const base = url.split('#')[0]!;
    for (const key of [url, base]) if (this.local.has(key)) return this.local.get(key);
    const found = await this.lookup?.(base);
    if (found !== undefined) return found;
    // The cache is shared by every resolver: apply this one's policy before reading it.
    await this.checkPolicy(base);
    const cached = cacheGet(base);
    if (cached !== undefined) return cached;
    const bytes = await this.fetchBytes(base, accept);
    let value: unknown;
    try {
      value = parseBody(bytes);
    } catch {
      throw new Ob3Error('FETCH_FAILED', { url, detail: 'invalid UTF-8' });
    }
    cacheSet(base, value);
    return value;
  }

  async resolveDid(did: string): Promise<ControllerDocument> {
    if (this.local.has(did)) return asController(this.local.get(did), did);
    if (did.startsWith('did:key:') || did.startsWith('did:jwk:')) {
      let doc = cacheGet(did) as ControllerDocument | undefined;
      if (!doc) cacheSet(did, (doc = did.startsWith('did:key:') ? didKeyDocument(did) : didJwkDocument(did)));
      return doc;
    }
    if (did.startsWith('did:web:')) {
      const doc = asController(await this.fetchDocument(didWebToUrl(did), 'application/did+json, application/json'), did);
      if (doc.id !== did) throw new Ob3Error('DOCUMENT_NOT_FOUND', { url: did });
      return doc;
    }
    throw new Ob3Error('DID_METHOD_UNSUPPORTED', { did: did.split('#')[0]! });
  }

  /** A controller document by DID or URL. */
  async resolveController(id: string): Promise<ControllerDocument> {
    return id.startsWith('did:') ? this.resolveDid(id) : asController(await this.fetchDocument(id), id);
  }

  /** The verification method `id` and the document of its controller. */
  async resolveVerificationMethod(id: string): Promise<{ method: VerificationMethod; controller: ControllerDocument }> {
    const base = id.split('#')[0]!;
    const doc = base.startsWith('did:') ? await this.resolveDid(base) : await this.fetchJsonObject(id);
    if (doc.id === id && (doc.publicKeyMultibase || doc.publicKeyJwk)) {
      // The URL names the key itself; its controller document says what the key may do.
      const method = doc as unknown as VerificationMethod;
      if (typeof method.controller !== 'string') throw new Ob3Error('VERIFICATION_METHOD_NOT_FOUND', { id });
      return { method, controller: await this.resolveController(method.controller) };
    }
    const controllerDoc = doc as ControllerDocument;
    if (id === base && base.startsWith('did:key:')) {
      // A bare did:key (no #fragment), as some issuers write it: a did:key names exactly one key,
      // so the DID itself designates it. The controller document vouches for it under that name.
      const only = findMethod(controllerDoc, `${base}#${base.slice('did:key:'.length)}`);
      if (!only) throw new Ob3Error('VERIFICATION_METHOD_NOT_FOUND', { id });
      const vouched = { ...controllerDoc, assertionMethod: [...(controllerDoc.assertionMethod ?? []), id] } as ControllerDocument;
      return { method: { ...only, id }, controller: vouched };
    }
    const method = findMethod(controllerDoc, id);
    if (!method) throw new Ob3Error('VERIFICATION_METHOD_NOT_FOUND', { id });
    const controller =
      method.controller === controllerDoc.id ? controllerDoc : await this.resolveController(method.controller);
    return { method, controller };
  }

  private async fetchJsonObject(url: string): Promise<JsonObject> {
    const doc = await this.fetchDocument(url);
    if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new Ob3Error('DOCUMENT_NOT_FOUND', { url });
    return doc as JsonObject;
  }

  /**
   * The loader handed to jsonld: bundled contexts, then `preloaded` documents, then JSON
   * documents of the local map. Anything else is refused, so JSON-LD never reaches the network.
   * With `alternates`, contexts are served in their other published state where one is known.
   */
  jsonldLoader(preloaded: Record<string, unknown> = {}, { alternates = false } = {}): JsonLdLoader {
    return async (url: string) => {
      // A pinned context never changes: `tag: 'static'` lets jsonld keep it resolved — and its
      // processed forms — across operations instead of re-reading it for every expansion.
      const context = (alternates ? alternateContext(url) : undefined) ?? bundledContext(url);
      if (context) return { contextUrl: null, documentUrl: url, document: context, tag: 'static' };
      const document = preloaded[url] ?? this.localObject(url);
      if (document !== undefined) return { contextUrl: null, documentUrl: url, document };
      if (url.startsWith('did:') || url.includes('#')) throw new Ob3Error('DOCUMENT_NOT_FOUND', { url });
      throw new Ob3Error('CONTEXT_NOT_BUNDLED', { url });
    };
  }

  private localObject(url: string): unknown {
    const value = this.local.get(url);
    return value && typeof value === 'object' ? value : undefined;
  }
}

function asController(doc: unknown, id: string): ControllerDocument {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc) || typeof (doc as JsonObject).id !== 'string') {
    throw new Ob3Error('DOCUMENT_NOT_FOUND', { url: id });
  }
  return doc as ControllerDocument;
}

/** Finds a verification method by absolute or document-relative id, anywhere in the document. */
function findMethod(doc: ControllerDocument, id: string): VerificationMethod | undefined {
  const absolute = (ref: string) => (ref.startsWith('#') ? `${doc.id}${ref}` : ref);
  const candidates = [
    ...(doc.verificationMethod ?? []),
    ...(doc.assertionMethod ?? []),
    ...(doc.authentication ?? []),
    ...(((doc as JsonObject).publicKey as unknown[]) ?? []),
  ] as (string | VerificationMethod)[];
  for (const candidate of candidates) {
    if (typeof candidate === 'object' && candidate && typeof candidate.id === 'string' && absolute(candidate.id) === id) {
      return { ...candidate, id, controller: typeof candidate.controller === 'string' ? absolute(candidate.controller) : doc.id };
    }
  }
  return undefined;
}

/** Copies with the absolute method ids that jsonld-signatures compares against. */
export function normalizeController(doc: ControllerDocument): ControllerDocument {
  const absolute = (ref: string) => (ref.startsWith('#') ? `${doc.id}${ref}` : ref);
  const fix = (list?: (string | VerificationMethod)[]) =>
    list?.map((e) => (typeof e === 'string' ? absolute(e) : { ...e, id: absolute(e.id) }));
  const out: ControllerDocument = { ...doc };
  if (doc.verificationMethod) out.verificationMethod = fix(doc.verificationMethod) as VerificationMethod[];
  if (doc.assertionMethod) out.assertionMethod = fix(doc.assertionMethod)!;
  if (doc.authentication) out.authentication = fix(doc.authentication)!;
  if (!doc['@context']) out['@context'] = [DID_CONTEXT];
  return out;
}
