// What the checks share while one credential is verified.
import type { DocumentResolver } from '../documents.js';
import type { Check, CheckId, CheckStatus, Lang, OpenBadgeCredential, ProofOutcome, Verdict } from '../model.js';
import { t, type MessageKey, type Params } from '../messages.js';
import type { Ob3Error } from '../errors.js';

export type CredentialKind = 'achievement' | 'endorsement';

export interface VerifyContext {
  lang: Lang;
  now: Date;
  resolver: DocumentResolver;
  kind: CredentialKind;
  credential: OpenBadgeCredential;
  jwt?: string;
  proof?: ProofOutcome;
  provenanceError?: Ob3Error;
  recipient?: string;
  /** Nesting level: endorsements are verified one level down, and no further. */
  depth: number;
}

/** A check's result and, when it decides the outcome, the verdict it implies. */
export interface CheckResult {
  check: Check;
  verdict?: Verdict;
}

export function result(ctx: Pick<VerifyContext, 'lang'>, id: CheckId, status: CheckStatus, key: MessageKey, params?: Params, verdict?: Verdict): CheckResult {
  return { check: { id, status, message: t(ctx.lang, key, params) }, ...(verdict ? { verdict } : {}) };
}

export function errorResult(ctx: Pick<VerifyContext, 'lang'>, id: CheckId, error: Ob3Error, verdict: Verdict): CheckResult {
  return { check: { id, status: 'fail', message: error.localized(ctx.lang) }, verdict };
}

export function typesOf(value: unknown): string[] {
  return ([] as unknown[]).concat(value ?? []).filter((v): v is string => typeof v === 'string');
}
