// Verifying any Open Badge for the public verifier, the *Vérifier* button and the APIs, in a worker
// thread (workers/pool.ts) with the verifier's resolver (resolver.ts); documents of our own issuers
// (DID documents, status lists) are answered from the store here.
import type { JsonObject, Lang, VerificationReport } from '../ob3/model.js';
import { ob2Display } from '../ob3/verify/ob2.js';
import { localize } from '../ob3/lang-string.js';
import { issuerId } from '../ob3/proof/jwt.js';
import type { VerifyInput } from '../ob3/verify/index.js';
import { isId } from '../store/ids.js';
import type { Context } from '../shared/context.js';
import { assertPublished, findPublicCredential, initials } from '../credentials/credentials.js';
import { issuerDid, issuerDidDocument, statusListCredential } from '../collectives/issuers.js';
import { ownPath, ownPathsIn } from './resolver.js';
import { AppError } from '../shared/errors.js';

export interface IssuerInfo {
  id: string;
  name: string;
  /** Issued here, or listed in BADGEONS_KNOWN_ISSUERS. */
  known: boolean;
  /** The collective's slug when the issuer is one of ours. */
  slug?: string;
}

export interface BadgeVerification {
  report: VerificationReport;
  /** When a recipient was given: whether the badge was issued to it (compared through its salted hash, never shown). */
  recipientMatches?: boolean;
  /** Who signed it; only set when the signature holds (a tampered badge names no one). */
  issuer?: IssuerInfo;
}

/** The id of a credential of ours from its public URL (any of its forms), or undefined. */
export function ownCredentialId(ctx: Context, url: string): string | undefined {
  const match = /^\/credentials\/([^/.]+)(\.(json|png|svg|jwt))?$/.exec(ownPath(ctx.config.publicUrl, url) ?? '');
  return match && isId(match[1]!) ? match[1] : undefined;
}

const OWN_DID = /^\/issuers\/([a-z0-9-]+)\/did\.json$/;
const OWN_STATUS = /^\/status\/([a-z0-9-]+)\/(\d+)$/;
/** How much of a file is searched for the documents of ours it names (a baked PNG's credential comes early). */
const SCAN_BYTES = 64 * 1024;

/** Our issuers' DID documents and status lists by their path, straight from the store. */
async function ownDocument(ctx: Context, path: string): Promise<unknown> {
  const did = OWN_DID.exec(path);
  const status = OWN_STATUS.exec(path);
  const collective = (did || status) && (await ctx.store.collectives.bySlug((did ?? status)![1]!));
  if (!collective) return undefined;
  if (did) return issuerDidDocument(ctx, collective);
  const list = await ctx.store.statusLists.byNumber(collective.id, Number(status![2]));
  return list && JSON.parse(await statusListCredential(ctx, collective, list));
}

/** The DID documents and status lists of ours that a badge's text names (none for a JWT or a parsed object). */
function namedOwnDocuments(ctx: Context, input: VerifyInput): string[] {
  const text = typeof input === 'string' ? input.slice(0, SCAN_BYTES) : input instanceof Uint8Array ? Buffer.from(input.buffer, input.byteOffset, Math.min(input.byteLength, SCAN_BYTES)).toString('latin1') : '';
  return ownPathsIn(ctx.config.publicUrl, text, (path) => OWN_DID.test(path) || OWN_STATUS.test(path));
}

async function describeIssuer(ctx: Context, report: VerificationReport, lang: Lang): Promise<IssuerInfo | undefined> {
  const credential = report.credential && report.openBadgesVersion === '2.0' ? ob2Display(report.credential as unknown as JsonObject) : report.credential;
  if (!credential || report.checks.find((c) => c.id === 'proof')?.status !== 'pass') return undefined;
  const id = issuerId(credential) ?? '';
  const name = typeof credential.issuer === 'object' ? localize(credential.issuer.name, lang) : '';
  const slug = /:issuers:([a-z0-9-]+)$/.exec(id)?.[1];
  const collective = slug ? await ctx.store.collectives.bySlug(slug) : undefined;
  if (collective && issuerDid(ctx, collective) === id) return { id, name: name || collective.name, known: true, slug: collective.slug };
  return { id, name: name || id, known: ctx.config.knownIssuers.includes(id) };
}

/**
 * Verifies a badge given as image bytes, JSON, a JWT, or a URL. A URL of a badge issued here is
 * read from the store (NOT_FOUND / CREDENTIAL_ERASED as AppError); anything else never throws.
 */
export async function verifyBadge(ctx: Context, input: VerifyInput, lang: Lang, recipient?: string): Promise<BadgeVerification> {
  ctx.workers.admitVerification();
  let subject = input;
  const ownId = typeof input === 'string' ? ownCredentialId(ctx, input.trim()) : undefined;
  let shownName: string | undefined;
  if (ownId) {
    const found = await findPublicCredential(ctx, ownId);
    assertPublished(found, 'page');
    const { record } = found;
    if (record.display === 'initials') shownName = initials(record.recipientName);
    subject = typeof input === 'string' && input.trim().endsWith('.jwt') ? record.jwt! : record.json!;
  }
  const wanted = recipient?.trim().slice(0, 320);
  const { publicUrl, fetchAllowHosts, fetchTimeoutMs } = ctx.config;
  const report = await ctx.workers.verify(
    { input: subject, lang, now: ctx.now().toISOString(), settings: { publicUrl, fetchAllowHosts, fetchTimeoutMs }, ...(wanted ? { recipient: wanted } : {}) },
    (path) => ownDocument(ctx, path),
    () => namedOwnDocuments(ctx, subject),
  ).catch(() => {
    // A worker that failed gives no verdict at all: the visitor is asked to try again, never told "forged".
    throw new AppError('BUSY', 503, { seconds: 2 });
  });
  // Verified by its address, a badge shows what its page shows: initials when its holder chose so.
  const subjectOf = report.credential?.credentialSubject;
  if (shownName !== undefined && subjectOf && !Array.isArray(subjectOf)) report.credential!.credentialSubject = { ...subjectOf, name: shownName };
  const issuer = await describeIssuer(ctx, report, lang);
  const asked = report.checks.find((c) => c.id === 'recipient');
  const match = wanted && asked && asked.status !== 'skip' ? { recipientMatches: asked.status === 'pass' } : {};
  return issuer ? { report, issuer, ...match } : { report, ...match };
}

/**
 * At start, after the core's warm-up: verifies the newest badge issued here, as a recruiter would,
 * so that the app's own path — the store's statements, its issuer's documents, its status list — is
 * ready before the first real verification. Returns how long it took (ms). Never throws.
 */
export async function warmVerifier(ctx: Context): Promise<number> {
  const start = performance.now();
  try {
    const newest = await ctx.store.credentials.newest();
    if (newest?.json) await verifyBadge(ctx, newest.json, 'fr');
  } catch {
    // Only the first verification is slower.
  }
  return Math.round(performance.now() - start);
}
