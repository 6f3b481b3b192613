// verify(input, options) → VerificationReport. Never throws: every failure is a named check.
// Checks run in a fixed order; the first one that decides the outcome sets the verdict, and only
// authenticity and standing decide it, in this order: can it be read → does the proof hold → is
// the key the issuer's → status → dates. Conformance gaps (shape, contexts, schema, JWT claims)
// are warnings: `invalid` means the signature does not hold or the badge is provably not what it
// claims, which is what a recruiter reads it as ("forged").
import { DocumentResolver, type DocumentOptions } from '../documents.js';
import { toOb3Error } from '../errors.js';
import {
  CHECK_IDS, type Check, type CheckId, type EndorsementSummary, type Lang, type OpenBadgeCredential, type Verdict, type VerificationReport,
} from '../model.js';
import { verifyDataIntegrity } from '../proof/data-integrity.js';
import { decodeJwtCredential, verifyJwt, type DecodedJwt } from '../proof/jwt.js';
import { isUnreachable } from '../proof/unreachable.js';
import { errorResult, result, typesOf, type CheckResult, type CredentialKind, type VerifyContext } from './context.js';
import { checkEndorsements, type VerifyEndorsement } from './checks/endorsements.js';
import { checkProof, checkProvenance } from './checks/proof.js';
import { checkRecipient } from './checks/recipient.js';
import { checkSchema } from './checks/schema.js';
import { checkStatus } from './checks/status.js';
import { checkType } from './checks/type.js';
import { checkValidity } from './checks/validity.js';
import { readInput, type VerifyInput } from './input.js';
import { verifyOb2 } from './ob2.js';

export type { VerifyInput };

export interface VerifyOptions extends DocumentOptions {
  /** The verifier's clock; now by default. */
  now?: Date;
  /** Language of the messages; French by default. */
  lang?: Lang;
  /** An email address or id the credential should have been issued to. */
  recipient?: string;
  /** Reuse a resolver (and its local documents) across calls. */
  resolver?: DocumentResolver;
}

const MAX_ENDORSEMENT_DEPTH = 2;

function finish(results: CheckResult[], lang: Lang, credential: OpenBadgeCredential | null): VerificationReport {
  const byId = new Map(results.map((r) => [r.check.id, r]));
  const checks: Check[] = CHECK_IDS.map(
    (id: CheckId) => byId.get(id)?.check ?? result({ lang }, id, 'skip', 'check.skipInvalid').check,
  );
  const verdict: Verdict = CHECK_IDS.map((id) => byId.get(id)?.verdict).find((v) => v !== undefined) ?? 'valid';
  // A recipient who does not match fails the question asked, without making the badge any less authentic.
  return { verified: verdict === 'valid' && !checks.some((c) => c.status === 'fail'), verdict, checks, credential };
}

const skipAll = (lang: Lang, key: 'check.skipFormat' | 'check.skipType', from: number): CheckResult[] =>
  CHECK_IDS.slice(from).map((id) => result({ lang }, id, 'skip', key));

type ReadInput = Awaited<ReturnType<typeof readInput>>;

/**
 * A file damaged on its way — empty, cut short in a copy, corrupted in a download — says nothing of
 * the badge it was: unverifiable, asking for it again, never "forged".
 */
export const DAMAGED = new Set(['INPUT_EMPTY', 'JSON_MALFORMED', 'PNG_TRUNCATED', 'PNG_BAD_CRC']);

const NOT_A_BADGE = new Set(['INPUT_UNRECOGNISED', 'INPUT_SD_JWT', 'INPUT_OTHER_FILE', 'INPUT_WEB_PAGE', 'PRESENTATION_COUNT', 'PRESENTATION_EMPTY', 'PNG_NO_CREDENTIAL', 'SVG_NO_CREDENTIAL']);

/** 1. format: what was given, read as a credential (a JWT decoded); a finished report when it cannot be. */
async function readCredential(input: VerifyInput, resolver: DocumentResolver, lang: Lang): Promise<{ read: ReadInput; credential: OpenBadgeCredential; decodedJwt?: DecodedJwt } | VerificationReport> {
  let read: ReadInput;
  try {
    read = await readInput(input, resolver);
  } catch (error) {
    const e = toOb3Error(error, 'VERIFY_FAILED');
    // An address that cannot be reached says nothing about the badge: unverifiable, with the reason.
    // Nothing that holds a badge (a screenshot, a photo, a picture without its badge) is not a forgery: unsupported.
    const verdict = NOT_A_BADGE.has(e.code) ? 'unsupported' : isUnreachable(e) || DAMAGED.has(e.code) ? 'unverifiable' : 'invalid';
    return finish([errorResult({ lang }, 'format', e, verdict), ...skipAll(lang, 'check.skipFormat', 1)], lang, null);
  }
  try {
    const decodedJwt = read.jwt ? decodeJwtCredential(read.jwt) : undefined;
    return { read, credential: decodedJwt ? decodedJwt.credential : (read.json as unknown as OpenBadgeCredential), ...(decodedJwt ? { decodedJwt } : {}) };
  } catch (error) {
    const e = toOb3Error(error, 'JWT_MALFORMED');
    return finish([errorResult({ lang }, 'format', e, 'invalid'), ...skipAll(lang, 'check.skipFormat', 1)], lang, null);
  }
}

/** The older format, in the same report: same checks, same verdicts, said to be OB 2.0. */
async function runOb2(read: ReadInput, options: VerifyOptions, resolver: DocumentResolver, lang: Lang): Promise<VerificationReport> {
  const { results, assertion } = await verifyOb2(read.ob2!, read.source, { lang, now: options.now ?? new Date(), resolver, ...(options.recipient ? { recipient: options.recipient } : {}) });
  const skipped = CHECK_IDS.filter((id) => !results.some((r) => r.check.id === id)).map((id) => result({ lang }, id, 'skip', 'check.skipInvalid'));
  return { ...finish([...results, ...skipped], lang, assertion as unknown as OpenBadgeCredential | null), openBadgesVersion: '2.0' };
}

/** 4. proof: the JWT's signature or the Data Integrity proof, kept on the context for the checks that follow. */
async function verifyProof(ctx: VerifyContext, decodedJwt: DecodedJwt | undefined): Promise<void> {
  if (ctx.jwt) {
    const outcome = await verifyJwt(ctx.jwt, ctx.resolver, decodedJwt);
    ctx.proof = outcome.outcome;
    if (outcome.provenanceError) ctx.provenanceError = outcome.provenanceError;
  } else {
    ctx.proof = await verifyDataIntegrity(ctx.credential, ctx.resolver);
  }
}

/**
 * Each embedded endorsement is verified as a credential of its own, to a bounded depth; what a
 * person needs to read of it (who, when, what, does it stand) goes to `summaries`.
 */
const endorsementVerifier = (options: VerifyOptions, resolver: DocumentResolver, summaries: EndorsementSummary[]): VerifyEndorsement => async (endorsement, nextDepth, on) => {
  if (nextDepth > MAX_ENDORSEMENT_DEPTH) return { verified: false, reason: 'too deeply nested' };
  const report = await run(endorsement, { ...options, resolver, recipient: '' }, 'endorsement', nextDepth);
  const failed = report.checks.find((c) => c.status === 'fail');
  const reason = failed?.message ?? report.verdict;
  summaries.push(summarise(report, on, report.verified ? undefined : reason));
  return { verified: report.verified, reason };
};

function summarise(report: VerificationReport, on: EndorsementSummary['on'], reason?: string): EndorsementSummary {
  const c = report.credential as (OpenBadgeCredential & { credentialSubject?: { endorsementComment?: unknown } }) | null;
  const issuer = c && (typeof c.issuer === 'string' ? { id: c.issuer } : { id: String(c.issuer?.id ?? ''), ...(typeof c.issuer?.name === 'string' ? { name: c.issuer.name } : {}) });
  const comment = c?.credentialSubject?.endorsementComment;
  const validFrom = c?.validFrom ?? c?.issuanceDate;
  return {
    on, endorser: issuer ?? { id: '' }, verdict: report.verdict,
    ...(typeof comment === 'string' ? { comment } : {}), ...(typeof validFrom === 'string' ? { validFrom } : {}), ...(reason ? { reason } : {}),
  };
}

async function run(input: VerifyInput, options: VerifyOptions, kind: CredentialKind, depth: number): Promise<VerificationReport> {
  const lang = options.lang ?? 'fr';
  const resolver = options.resolver ?? new DocumentResolver(options);
  const readResult = await readCredential(input, resolver, lang);
  if ('verdict' in readResult) return readResult;
  const { read, credential, decodedJwt } = readResult;
  if (read.ob2) return runOb2(read, options, resolver, lang);
  const results: CheckResult[] = [result({ lang }, 'format', 'pass', 'format.pass', { source: read.jwt ? `${read.source}, VC-JWT` : read.source })];
  // A standalone EndorsementCredential is verified as one (§9.2).
  if (depth === 0 && typesOf(credential.type).includes('EndorsementCredential')) kind = 'endorsement';
  const ctx: VerifyContext = {
    lang, now: options.now ?? new Date(), resolver, kind, credential, depth,
    ...(read.jwt ? { jwt: read.jwt } : {}),
    ...(options.recipient ? { recipient: options.recipient } : {}),
  };

  // 2. type — nothing else is meaningful for something that is not an Open Badge
  const type = checkType(ctx);
  results.push(type);
  if (type.check.status === 'fail') return finish([...results, ...skipAll(lang, 'check.skipType', 2)], lang, credential);

  // 3. schema, 4. proof, 5. provenance
  results.push(checkSchema(ctx));
  await verifyProof(ctx, decodedJwt);
  results.push(checkProof(ctx), checkProvenance(ctx));

  // 6–9 only mean something for an authentic credential
  if (!ctx.proof!.ok) {
    for (const id of ['status', 'validity', 'recipient', 'endorsements'] as const) results.push(result({ lang }, id, 'skip', 'check.skipProof'));
    return finish(results, lang, credential);
  }
  results.push(await checkStatus(ctx), checkValidity(ctx), checkRecipient(ctx));
  const endorsements: EndorsementSummary[] = [];
  results.push(await checkEndorsements(ctx, endorsementVerifier(options, resolver, endorsements)));
  return { ...finish(results, lang, credential), ...(endorsements.length ? { endorsements } : {}) };
}

/**
 * Verifies an Open Badges 3.0 credential given as image bytes, JSON (text or object),
 * a compact JWT, or an https URL. Never throws.
 */
export async function verify(input: VerifyInput, options: VerifyOptions = {}): Promise<VerificationReport> {
  try {
    return await run(input, options, 'achievement', 0);
  } catch (error) {
    // A bug of ours must still give an answer, and a negative one.
    const lang = options.lang ?? 'fr';
    const e = toOb3Error(error, 'VERIFY_FAILED');
    return finish([errorResult({ lang }, 'format', e, 'invalid')], lang, null);
  }
}
