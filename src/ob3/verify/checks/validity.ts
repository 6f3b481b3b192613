// Validity period against the verifier's clock (§9.1 step 4); VC 1.1 dates too.
import { result, type CheckResult, type VerifyContext } from '../context.js';
import { CLOCK_SKEW_MS, readDateTime } from '../../dates.js';

// Building an Intl formatter costs more than the rest of a JWT verification: build each once.
const formatters = {
  fr: new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }),
  en: new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }),
};

function formatDate(time: number, lang: 'fr' | 'en'): string {
  return `${formatters[lang].format(new Date(time))} UTC`;
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
