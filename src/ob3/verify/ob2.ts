// Open Badges 2.0 (still most badges in circulation in France), verified as the OB 2.0 spec's
// "Verification" section says, into the same report as OB 3.0 with the same check ids:
// - hosted: the assertion is fetched again from its own `id`, which must answer with the same id;
//   its BadgeClass and Issuer are fetched and must agree with it; the id must lie where the issuer
//   says its badges live (`verification.allowedOrigins` / `startsWith`, else the issuer's origin);
//   `revoked: true` or HTTP 410 means revoked;
// - signed: an RS256 JWS checked with the issuer's CryptographicKey (`verification.creator`), whose
//   `owner` must be the issuer; revoked when the issuer's `revocationList` lists it (fail closed);
// - `expires` means expired; the recipient is checked against the salted hash.
// Every document comes through the same guarded resolver (HTTPS, SSRF guard, size, time, cache).
import { createHash } from 'node:crypto';
import { compactVerify, importSPKI } from 'jose';
import type { DocumentResolver } from '../documents.js';
import { Ob3Error, toOb3Error } from '../errors.js';
import type { JsonObject, OpenBadgeCredential } from '../model.js';
import { isUnreachable } from '../proof/unreachable.js';
import { errorResult, result, type CheckResult, type VerifyContext } from './context.js';
import { CLOCK_SKEW_MS, readDateTime } from '../dates.js';
import { parseJsonObject, type Ob2Input } from './input.js';

type Ctx = Pick<VerifyContext, 'lang' | 'now' | 'resolver' | 'recipient'>;

const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const typesOf = (value: unknown): string[] => ([] as unknown[]).concat(value ?? []).filter((t): t is string => typeof t === 'string');
const idOf = (value: unknown): string => (typeof value === 'string' ? value : str((value as JsonObject | undefined)?.id));

/** The verification type, with OB 2.0's two spellings of each. */
function verificationType(assertion: JsonObject): 'hosted' | 'signed' | undefined {
  const type = typesOf((assertion.verification as JsonObject | undefined)?.type).map((t) => t.toLowerCase());
  if (type.some((t) => t === 'hosted' || t === 'hostedbadge')) return 'hosted';
  if (type.some((t) => t === 'signed' || t === 'signedbadge')) return 'signed';
  return undefined;
}

async function fetchObject(resolver: DocumentResolver, url: string): Promise<JsonObject> {
  const doc = await resolver.fetchDocument(url, 'application/ld+json, application/json');
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new Ob3Error('DOCUMENT_NOT_FOUND', { url });
  return doc as JsonObject;
}

/** An embedded object, or the document its URL names. */
async function resolveNode(resolver: DocumentResolver, value: unknown): Promise<JsonObject> {
  if (value && typeof value === 'object' && !Array.isArray(value)) return value as JsonObject;
  if (typeof value === 'string' && /^https?:\/\//i.test(value)) return fetchObject(resolver, value);
  throw new Ob3Error('OB2_INCOMPLETE', { what: String(value ?? '—') });
}

/** Where the issuer says its hosted badges (or keys) live: allowedOrigins, startsWith, else its own origin. */
function allowedBy(issuer: JsonObject, url: string): boolean {
  let target: URL;
  try { target = new URL(url); } catch { return false; }
  const policy = (issuer.verification ?? {}) as JsonObject;
  const origins = typesOf(policy.allowedOrigins);
  const prefixes = typesOf(policy.startsWith);
  if (origins.length || prefixes.length) return origins.includes(target.host) || prefixes.some((p) => url.startsWith(p));
  try { return new URL(idOf(issuer)).host === target.host; } catch { return false; }
}

/** Whether the assertion was issued to `wanted` (email or URL), through its salted hash when hashed. */
function recipientMatches(assertion: JsonObject, wanted: string): boolean {
  const recipient = (assertion.recipient ?? {}) as JsonObject;
  const identity = str(recipient.identity);
  const plain = str(recipient.type) === 'email' ? wanted.toLowerCase() : wanted;
  if (recipient.hashed !== true) return identity.toLowerCase() === plain.toLowerCase();
  const [algorithm, digest] = identity.split('$');
  if ((algorithm !== 'sha256' && algorithm !== 'md5') || !digest) return false;
  return createHash(algorithm).update(plain + str(recipient.salt)).digest('hex') === digest.toLowerCase();
}

export interface Ob2Outcome {
  results: CheckResult[];
  /** The assertion as verified, its BadgeClass and Issuer embedded, for the page; null when unreadable. */
  assertion: JsonObject | null;
}

type Verdict = NonNullable<CheckResult['verdict']>;
type Kind = 'hosted' | 'signed';
/** A stage that ends the verification, with the assertion to show (null: nothing trustworthy to show). */
interface Stop { stop: JsonObject | null }
const isStop = (value: object): value is Stop => 'stop' in value;

/** A failed step: a document out of reach makes it unverifiable, anything else `fallback`. */
function failed(ctx: Ctx, id: Parameters<typeof result>[1], error: unknown, fallback: Verdict): CheckResult {
  const e = toOb3Error(error, 'OB2_INCOMPLETE', { what: id });
  return errorResult(ctx, id, e, isUnreachable(e) ? 'unverifiable' : fallback);
}

const isGone = (error: unknown) => error instanceof Ob3Error && error.code === 'FETCH_GONE';

/** Verifies an OB 2.0 badge. Never throws: every failure is a check. */
export async function verifyOb2(input: Ob2Input, source: string, ctx: Ctx): Promise<Ob2Outcome> {
  const results: CheckResult[] = [result(ctx, 'format', 'pass', 'ob2.format', { source })];
  const read = await readAssertion(input, ctx, results);
  if (isStop(read)) return { results, assertion: read.stop };
  const { kind } = read;
  const id = idOf(read.assertion);
  const assertion = kind === 'hosted' ? await fetchHosted(id, ctx, results) : read.assertion;
  if (!assertion) return { results, assertion: null };
  const parts = await resolveBadgeClass(assertion, ctx, results);
  if (isStop(parts)) return { results, assertion: parts.stop };
  const { badge, issuer } = parts;
  if (!(await checkProof(input, assertion, kind, id, issuer, ctx, results))) return { results, assertion: null };
  if (results.some((r) => r.verdict === 'invalid')) return { results, assertion: null };
  await checkRevocation(assertion, kind, id, issuer, ctx, results);
  results.push(checkDates(assertion, ctx));
  const wanted = ctx.recipient?.trim();
  if (!wanted) results.push(result(ctx, 'recipient', 'skip', 'recipient.skip'));
  else results.push(recipientMatches(assertion, wanted) ? result(ctx, 'recipient', 'pass', 'recipient.pass', { recipient: wanted }) : result(ctx, 'recipient', 'fail', 'recipient.fail', { recipient: wanted }));
  results.push(result(ctx, 'endorsements', 'skip', 'ob2.endorsements'));
  return { results, assertion: { ...assertion, badge: { ...badge, issuer } } };
}

/** The assertion: from the JWS, from its URL, or as given; and how it says it is verified. */
async function readAssertion(input: Ob2Input, ctx: Ctx, results: CheckResult[]): Promise<{ assertion: JsonObject; kind: Kind } | Stop> {
  let assertion: JsonObject;
  try {
    if (input.jws) assertion = parseJsonObject(Buffer.from(input.jws.split('.')[1]!, 'base64url').toString('utf8'));
    else if (input.url) assertion = await fetchObject(ctx.resolver, input.url);
    else assertion = input.json!;
  } catch (error) {
    results.push(isGone(error) ? result(ctx, 'status', 'fail', 'ob2.gone', { url: input.url ?? '' }, 'revoked') : failed(ctx, 'type', error, 'invalid'));
    return { stop: null };
  }
  const kind = input.jws ? 'signed' : verificationType(assertion);
  if (!kind) {
    results.push(result(ctx, 'type', 'fail', 'ob2.noVerification', {}, 'invalid'));
    return { stop: assertion };
  }
  if (kind === 'signed' && !input.jws) {
    results.push(result(ctx, 'proof', 'fail', 'ob2.signedWithoutJws', {}, 'unverifiable'));
    return { stop: assertion };
  }
  return { assertion, kind };
}

/** Hosted: the copy at its own address is the badge; it must say it lives there. */
async function fetchHosted(id: string, ctx: Ctx, results: CheckResult[]): Promise<JsonObject | undefined> {
  try {
    const hosted = await fetchObject(ctx.resolver, id);
    if (idOf(hosted) === id) return hosted;
    results.push(result(ctx, 'proof', 'fail', 'ob2.idMismatch', { url: id, found: idOf(hosted) }, 'invalid'));
  } catch (error) {
    results.push(isGone(error) ? result(ctx, 'status', 'fail', 'ob2.gone', { url: id }, 'revoked') : failed(ctx, 'proof', error, 'unverifiable'));
  }
  return undefined;
}

/** Its BadgeClass and Issuer, fetched when given by URL; they must agree with one another. */
async function resolveBadgeClass(assertion: JsonObject, ctx: Ctx, results: CheckResult[]): Promise<{ badge: JsonObject; issuer: JsonObject } | Stop> {
  try {
    const badge = await resolveNode(ctx.resolver, assertion.badge);
    if (typeof assertion.badge === 'string' && idOf(badge) !== assertion.badge) throw new Ob3Error('OB2_INCONSISTENT', { what: 'BadgeClass', url: assertion.badge });
    const issuer = await resolveNode(ctx.resolver, badge.issuer);
    if (typeof badge.issuer === 'string' && idOf(issuer) !== badge.issuer) throw new Ob3Error('OB2_INCONSISTENT', { what: 'Issuer', url: badge.issuer });
    results.push(result(ctx, 'type', 'pass', 'ob2.type', { badge: str(badge.name) || idOf(badge), issuer: str(issuer.name) || idOf(issuer) }));
    results.push(result(ctx, 'schema', 'skip', 'ob2.schema'));
    return { badge, issuer };
  } catch (error) {
    results.push(failed(ctx, 'type', error, 'invalid'));
    return { stop: assertion };
  }
}

/** The proof, and that it is the issuer's. False when the signature does not hold (or cannot be checked). */
async function checkProof(input: Ob2Input, assertion: JsonObject, kind: Kind, id: string, issuer: JsonObject, ctx: Ctx, results: CheckResult[]): Promise<boolean> {
  if (kind === 'hosted') {
    results.push(result(ctx, 'proof', 'pass', 'ob2.hosted', { url: id }));
    results.push(allowedBy(issuer, id)
      ? result(ctx, 'provenance', 'pass', 'ob2.hostedByIssuer', { issuer: idOf(issuer) })
      : result(ctx, 'provenance', 'fail', 'ob2.hostedElsewhere', { url: id, issuer: idOf(issuer) }, 'invalid'));
    return true;
  }
  const creator = idOf((assertion.verification as JsonObject | undefined)?.creator);
  let key: JsonObject;
  try {
    key = await fetchObject(ctx.resolver, creator);
    const publicKey = await importSPKI(str(key.publicKeyPem), 'RS256');
    await compactVerify(input.jws!, publicKey, { algorithms: ['RS256'] });
    results.push(result(ctx, 'proof', 'pass', 'ob2.signed', { key: creator }));
  } catch (error) {
    results.push(error instanceof Ob3Error ? failed(ctx, 'proof', error, 'unverifiable') : result(ctx, 'proof', 'fail', 'ob2.badSignature', { key: creator || '—' }, 'invalid'));
    return false;
  }
  const listed = ([] as unknown[]).concat(issuer.publicKey ?? []).map(idOf);
  const owned = idOf(key.owner) === idOf(issuer) && (listed.length === 0 || listed.includes(creator)) && allowedBy(issuer, creator);
  results.push(owned
    ? result(ctx, 'provenance', 'pass', 'ob2.keyOfIssuer', { issuer: idOf(issuer) })
    : result(ctx, 'provenance', 'fail', 'ob2.keyNotIssuers', { key: creator, issuer: idOf(issuer) }, 'invalid'));
  return true;
}

/** Status: the hosted copy says revoked; a signed badge is looked up in the issuer's revocation list (fail closed). */
async function checkRevocation(assertion: JsonObject, kind: Kind, id: string, issuer: JsonObject, ctx: Ctx, results: CheckResult[]): Promise<void> {
  if (assertion.revoked === true) {
    results.push(result(ctx, 'status', 'fail', 'ob2.revoked', { reason: str(assertion.revocationReason) || '—' }, 'revoked'));
  } else if (kind === 'signed' && typeof issuer.revocationList === 'string') {
    try {
      const list = await fetchObject(ctx.resolver, issuer.revocationList);
      const uid = str(assertion.uid);
      const entry = ([] as unknown[]).concat(list.revokedAssertions ?? []).find((r) => idOf(r) === id || (!!uid && typeof r === 'object' && str((r as JsonObject).uid) === uid));
      results.push(entry
        ? result(ctx, 'status', 'fail', 'ob2.revoked', { reason: str((entry as JsonObject).revocationReason) || '—' }, 'revoked')
        : result(ctx, 'status', 'pass', 'ob2.notRevoked', { list: issuer.revocationList }));
    } catch (error) {
      results.push({ ...failed(ctx, 'status', error, 'unverifiable'), verdict: 'unverifiable' });
    }
  } else {
    results.push(result(ctx, 'status', kind === 'hosted' ? 'pass' : 'skip', kind === 'hosted' ? 'ob2.hostedNotRevoked' : 'status.none'));
  }
}

function checkDates(assertion: JsonObject, ctx: Ctx): CheckResult {
  // OB 1.0 wrote Unix timestamps (seconds), which OB 2.0 verifiers still meet.
  const read = (value: unknown) => (typeof value === 'number' || (typeof value === 'string' && /^\d{9,11}$/.test(value)) ? Number(value) * 1000 : readDateTime(value));
  const issuedOn = read(assertion.issuedOn);
  const expires = assertion.expires === undefined ? undefined : read(assertion.expires);
  // As for OB 3.0 (checks/validity.ts): unreadable dates are warnings, and clocks may differ a little.
  if (issuedOn === undefined || (assertion.expires !== undefined && expires === undefined)) {
    return result(ctx, 'validity', 'warn', 'validity.badDate', { value: (issuedOn === undefined ? str(assertion.issuedOn) : str(assertion.expires)) || '—' });
  }
  if (expires !== undefined && expires < ctx.now.getTime() - CLOCK_SKEW_MS) return result(ctx, 'validity', 'fail', 'validity.expired', { until: str(assertion.expires) }, 'expired');
  if (issuedOn > ctx.now.getTime() + CLOCK_SKEW_MS) return result(ctx, 'validity', 'fail', 'validity.notYet', { from: str(assertion.issuedOn) }, 'not-yet-valid');
  return result(ctx, 'validity', 'pass', 'ob2.dates', { from: str(assertion.issuedOn) });
}

/** The assertion shaped for the pages' badge card (which reads OB 3.0 names). */
export function ob2Display(assertion: JsonObject): OpenBadgeCredential {
  const badge = (assertion.badge ?? {}) as JsonObject;
  const issuer = (badge.issuer ?? {}) as JsonObject;
  const criteria = badge.criteria && typeof badge.criteria === 'object' ? str((badge.criteria as JsonObject).narrative) : '';
  const evidence = ([] as unknown[]).concat(assertion.evidence ?? []).filter((e): e is JsonObject => !!e && typeof e === 'object');
  return {
    id: idOf(assertion), type: ['Assertion'], name: str(badge.name),
    issuer: { id: idOf(issuer), type: ['Profile'], name: str(issuer.name), ...(typeof issuer.url === 'string' ? { url: issuer.url } : {}) },
    credentialSubject: {
      achievement: {
        id: idOf(badge), type: ['Achievement'], name: str(badge.name), description: str(badge.description),
        criteria: { narrative: criteria }, ...(idOf(badge.image) ? { image: { id: idOf(badge.image), type: 'Image' } } : {}),
      },
    },
    ...(str(assertion.issuedOn) ? { validFrom: str(assertion.issuedOn) } : {}),
    ...(str(assertion.expires) ? { validUntil: str(assertion.expires) } : {}),
    evidence: evidence.map((e) => ({ type: ['Evidence'], name: str(e.name), narrative: str(e.narrative) })),
  } as unknown as OpenBadgeCredential;
}
