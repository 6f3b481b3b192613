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

/** Verifies an OB 2.0 badge. Never throws: every failure is a check. */
export async function verifyOb2(input: Ob2Input, source: string, ctx: Ctx): Promise<Ob2Outcome> {
  const results: CheckResult[] = [result(ctx, 'format', 'pass', 'ob2.format', { source })];
  const fail = (id: Parameters<typeof result>[1], error: unknown, fallback: Verdict): CheckResult => {
    const e = toOb3Error(error, 'OB2_INCOMPLETE', { what: id });
    return errorResult(ctx, id, e, isUnreachable(e) ? 'unverifiable' : fallback);
  };
  const done = (assertion: JsonObject | null) => ({ results, assertion });

  // The assertion: from the JWS, from its URL, or as given (then, if hosted, from its own id).
  let assertion: JsonObject;
  let gone = false;
  try {
    if (input.jws) assertion = parseJsonObject(Buffer.from(input.jws.split('.')[1]!, 'base64url').toString('utf8'));
    else if (input.url) assertion = await fetchObject(ctx.resolver, input.url);
    else assertion = input.json!;
  } catch (error) {
    if (error instanceof Ob3Error && error.code === 'FETCH_GONE') gone = true;
    else { results.push(fail('type', error, 'invalid')); return done(null); }
    assertion = { id: input.url };
  }
  if (gone) {
    results.push(result(ctx, 'status', 'fail', 'ob2.gone', { url: input.url ?? '' }, 'revoked'));
    return done(null);
  }
  const kind = input.jws ? 'signed' : verificationType(assertion);
  if (!kind) {
    results.push(result(ctx, 'type', 'fail', 'ob2.noVerification', {}, 'invalid'));
    return done(assertion);
  }
  if (kind === 'signed' && !input.jws) {
    results.push(result(ctx, 'proof', 'fail', 'ob2.signedWithoutJws', {}, 'unverifiable'));
    return done(assertion);
  }

  // Hosted: the copy at its own address is the badge; it must say it lives there.
  const id = idOf(assertion);
  if (kind === 'hosted') {
    try {
      const hosted = await fetchObject(ctx.resolver, id);
      if (idOf(hosted) !== id) {
        results.push(result(ctx, 'proof', 'fail', 'ob2.idMismatch', { url: id, found: idOf(hosted) }, 'invalid'));
        return done(null);
      }
      assertion = hosted;
    } catch (error) {
      if (error instanceof Ob3Error && error.code === 'FETCH_GONE') {
        results.push(result(ctx, 'status', 'fail', 'ob2.gone', { url: id }, 'revoked'));
        return done(null);
      }
      results.push(fail('proof', error, 'unverifiable'));
      return done(null);
    }
  }

  // Its BadgeClass and Issuer, fetched when given by URL; they must agree with one another.
  let badge: JsonObject;
  let issuer: JsonObject;
  try {
    badge = await resolveNode(ctx.resolver, assertion.badge);
    if (typeof assertion.badge === 'string' && idOf(badge) !== assertion.badge) throw new Ob3Error('OB2_INCONSISTENT', { what: 'BadgeClass', url: assertion.badge });
    issuer = await resolveNode(ctx.resolver, badge.issuer);
    if (typeof badge.issuer === 'string' && idOf(issuer) !== badge.issuer) throw new Ob3Error('OB2_INCONSISTENT', { what: 'Issuer', url: badge.issuer });
  } catch (error) {
    results.push(fail('type', error, 'invalid'));
    return done(assertion);
  }
  const shown = { ...assertion, badge: { ...badge, issuer } };
  results.push(result(ctx, 'type', 'pass', 'ob2.type', { badge: str(badge.name) || idOf(badge), issuer: str(issuer.name) || idOf(issuer) }));
  results.push(result(ctx, 'schema', 'skip', 'ob2.schema'));

  // The proof, and that it is the issuer's.
  if (kind === 'hosted') {
    results.push(result(ctx, 'proof', 'pass', 'ob2.hosted', { url: id }));
    results.push(allowedBy(issuer, id)
      ? result(ctx, 'provenance', 'pass', 'ob2.hostedByIssuer', { issuer: idOf(issuer) })
      : result(ctx, 'provenance', 'fail', 'ob2.hostedElsewhere', { url: id, issuer: idOf(issuer) }, 'invalid'));
  } else {
    const creator = idOf((assertion.verification as JsonObject | undefined)?.creator);
    let key: JsonObject;
    try {
      key = await fetchObject(ctx.resolver, creator);
      const publicKey = await importSPKI(str(key.publicKeyPem), 'RS256');
      await compactVerify(input.jws!, publicKey, { algorithms: ['RS256'] });
      results.push(result(ctx, 'proof', 'pass', 'ob2.signed', { key: creator }));
    } catch (error) {
      results.push(error instanceof Ob3Error ? fail('proof', error, 'unverifiable') : result(ctx, 'proof', 'fail', 'ob2.badSignature', { key: creator || '—' }, 'invalid'));
      return done(null);
    }
    const listed = ([] as unknown[]).concat(issuer.publicKey ?? []).map(idOf);
    const owned = idOf(key.owner) === idOf(issuer) && (listed.length === 0 || listed.includes(creator)) && allowedBy(issuer, creator);
    results.push(owned
      ? result(ctx, 'provenance', 'pass', 'ob2.keyOfIssuer', { issuer: idOf(issuer) })
      : result(ctx, 'provenance', 'fail', 'ob2.keyNotIssuers', { key: creator, issuer: idOf(issuer) }, 'invalid'));
  }
  if (results.some((r) => r.verdict === 'invalid')) return done(null);

  // Status: the hosted copy says revoked; a signed badge is looked up in the issuer's revocation list.
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
      results.push({ ...fail('status', error, 'unverifiable'), verdict: 'unverifiable' });
    }
  } else {
    results.push(result(ctx, 'status', kind === 'hosted' ? 'pass' : 'skip', kind === 'hosted' ? 'ob2.hostedNotRevoked' : 'status.none'));
  }

  // Dates.
  const issuedOn = Date.parse(str(assertion.issuedOn));
  const expires = assertion.expires === undefined ? undefined : Date.parse(str(assertion.expires));
  if (Number.isNaN(issuedOn)) results.push(result(ctx, 'validity', 'fail', 'validity.badDate', { value: str(assertion.issuedOn) || '—' }, 'invalid'));
  else if (expires !== undefined && (Number.isNaN(expires) || expires < ctx.now.getTime())) results.push(result(ctx, 'validity', 'fail', 'validity.expired', { until: str(assertion.expires) }, 'expired'));
  else if (issuedOn > ctx.now.getTime()) results.push(result(ctx, 'validity', 'fail', 'validity.notYet', { from: str(assertion.issuedOn) }, 'not-yet-valid'));
  else results.push(result(ctx, 'validity', 'pass', 'ob2.dates', { from: str(assertion.issuedOn) }));

  const wanted = ctx.recipient?.trim();
  if (!wanted) results.push(result(ctx, 'recipient', 'skip', 'recipient.skip'));
  else results.push(recipientMatches(assertion, wanted) ? result(ctx, 'recipient', 'pass', 'recipient.pass', { recipient: wanted }) : result(ctx, 'recipient', 'fail', 'recipient.fail', { recipient: wanted }));
  results.push(result(ctx, 'endorsements', 'skip', 'ob2.endorsements'));
  return done(shown);
}

type Verdict = NonNullable<CheckResult['verdict']>;

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
