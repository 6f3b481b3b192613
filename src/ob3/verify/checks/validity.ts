// Validity period against the verifier's clock (§9.1 step 4); VC 1.1 dates too.
import { result, type CheckResult, type VerifyContext } from '../context.js';

// Building an Intl formatter costs more than the rest of a JWT verification: build each once.
const formatters = {
  fr: new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }),
  en: new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }),
};

function formatDate(time: number, lang: 'fr' | 'en'): string {
  return `${formatters[lang].format(new Date(time))} UTC`;
}

/**
 * How far the issuer's clock and ours may disagree (RFC 7519 §4.1.5 allows "a few minutes" for a
 * JWT's dates): a badge dated seconds ahead of our clock is not "not yet valid", nor one a minute
 * past its end "expired" — what a careful reader would also conclude.
 */
export const CLOCK_SKEW_MS = 5 * 60_000;

/** An XML Schema dateTime (VC 2.0 §4.9), as milliseconds; no zone is read as UTC. Date.parse alone would read "fin 2027". */
export function readDateTime(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?)(Z|[+-]\d{2}:\d{2})?$/.exec(value);
  const time = match ? Date.parse(`${match[1]}${match[2] ?? 'Z'}`) : Number.NaN;
  return Number.isNaN(time) ? undefined : time;
}

/**
 * A missing or unreadable date is a conformance gap, said as a warning: it proves nothing about who
 * signed the badge, which is what decides between valid and invalid.
 */
export function checkValidity(ctx: VerifyContext): CheckResult {
  const { credential, lang } = ctx;
  const from = credential.validFrom ?? credential.issuanceDate;
  const until = credential.validUntil ?? credential.expirationDate;
  const [start, end] = [readDateTime(from), readDateTime(until)];
  for (const [value, time] of [[from, start], [until, end]] as const) {
    if (value !== undefined && time === undefined) return result(ctx, 'validity', 'warn', 'validity.badDate', { value: String(value) });
  }
  const now = ctx.now.getTime();
  if (start !== undefined && start > now + CLOCK_SKEW_MS) {
    return result(ctx, 'validity', 'fail', 'validity.notYet', { from: formatDate(start, lang) }, 'not-yet-valid');
  }
  if (end !== undefined && end < now - CLOCK_SKEW_MS) {
    return result(ctx, 'validity', 'fail', 'validity.expired', { until: formatDate(end, lang) }, 'expired');
  }
  if (start === undefined) return result(ctx, 'validity', 'warn', 'validity.noDate');
  const untilText = end !== undefined ? result(ctx, 'validity', 'pass', 'validity.until', { until: formatDate(end, lang) }).check.message : '';
  return result(ctx, 'validity', 'pass', 'validity.pass', { from: formatDate(start, lang), until: untilText });
}
