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

/** A check outcome's code, from its message key: `status.passDelegated` → `STATUS_PASS_DELEGATED`. */
export const checkCode = (key: string): string => key.replace(/([a-z])([A-Z])/g, '$1_$2').replace(/[.-]/g, '_').toUpperCase();

export function result(ctx: Pick<VerifyContext, 'lang'>, id: CheckId, status: CheckStatus, key: MessageKey, params?: Params, verdict?: Verdict): CheckResult {
  return { check: { id, status, code: checkCode(key), message: t(ctx.lang, key, params) }, ...(verdict ? { verdict } : {}) };
}

/** A failed check from an error: its code is the error's. */
export function errorResult(ctx: Pick<VerifyContext, 'lang'>, id: CheckId, error: Ob3Error, verdict: Verdict): CheckResult {
  return { check: { id, status: 'fail', code: error.code, message: error.localized(ctx.lang) }, verdict };
}

export function typesOf(value: unknown): string[] {
  return ([] as unknown[]).concat(value ?? []).filter((v): v is string => typeof v === 'string');
}
