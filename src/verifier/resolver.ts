// The public verifier's document resolver, built from plain settings so a worker thread can build
// the same one: our own issuers' documents (DID documents, status lists) come from `own` — the
// store, asked from the main thread — so the server never calls itself and a revocation shows at
// once; everything else is fetched with the SSRF guard, a timeout and the core's size limits.
import { didWebToUrl } from '../ob3/did.js';
import { DocumentResolver } from '../ob3/documents.js';
import { publicFetch, publicUrlGuard } from './url-guard.js';

export interface VerifierSettings {
  publicUrl: string;
  fetchAllowHosts: string[];
  fetchTimeoutMs: number;
}

/** Path of `url` under `publicUrl`, or undefined when the URL is not ours. */
export function ownPath(publicUrl: string, url: string): string | undefined {
  const base = new URL(publicUrl);
  const prefix = base.pathname.replace(/\/$/, '');
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  // Scheme aside: did:web turns an http PUBLIC_URL on a LAN address into https.
  return u.host === base.host && u.pathname.startsWith(prefix) ? u.pathname.slice(prefix.length) : undefined;
}

const NAMED = /did:web:[A-Za-z0-9.%:_-]+|https?:\/\/[^\s"'<>\\]+/g;
const MAX_NAMED = 8;
/** A badge names a few dozen addresses; a text made of thousands would cost the main thread milliseconds. */
const MAX_NAMES_READ = 128;

/**
 * Our paths that a badge's text names — did:web identifiers and URLs under PUBLIC_URL — and `keep`
 * accepts, at most eight, so the documents it will ask for can travel with it. A guess: what it
 * misses is asked.
 */
export function ownPathsIn(publicUrl: string, text: string, keep: (path: string) => boolean): string[] {
  const paths = new Set<string>();
  let read = 0;
  for (const [name] of text.matchAll(NAMED)) {
    if (++read > MAX_NAMES_READ) break;
    let url = name;
    if (name.startsWith('did:')) {
      try {
        url = didWebToUrl(name);
      } catch {
        continue;
      }
    }
    const path = ownPath(publicUrl, url);
    if (path !== undefined && keep(path)) paths.add(path);
    if (paths.size === MAX_NAMED) break;
  }
  return [...paths];
}

/** `own(path)`: one of our documents by its path under PUBLIC_URL, or undefined. */
export function verifierResolver(settings: VerifierSettings, own: (path: string) => Promise<unknown>): DocumentResolver {
  return new DocumentResolver({
    lookup: async (url) => {
      const path = ownPath(settings.publicUrl, url);
      return path === undefined ? undefined : own(path);
    },
    allowUrl: publicUrlGuard(settings.fetchAllowHosts),
    fetch: publicFetch(settings.fetchAllowHosts),
    timeoutMs: settings.fetchTimeoutMs,
  });
}
