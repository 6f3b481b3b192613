// Validity period against the verifier's clock (§9.1 step 4); VC 1.1 dates too.
import { result, type CheckResult, type VerifyContext } from '../context.js';

// Building an Intl formatter costs more than the rest of a JWT verification: build each once.
const formatters = {
  fr: new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }),
  en: new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }),
};

function formatDate(iso: string, lang: 'fr' | 'en'): string {
  return `${formatters[lang].format(new Date(iso))} UTC`;
}

export function checkValidity(ctx: VerifyContext): CheckResult {
  const { credential, lang } = ctx;
  const from = credential.validFrom ?? credential.issuanceDate;
  const until = credential.validUntil ?? credential.expirationDate;
  if (typeof from !== 'string') return result(ctx, 'validity', 'fail', 'validity.noDate', {}, 'invalid');
  for (const value of [from, until]) {
    if (value !== undefined && (typeof value !== 'string' || Number.isNaN(Date.parse(value)))) {
      return result(ctx, 'validity', 'fail', 'validity.badDate', { value: String(value) }, 'invalid');
    }
  }
  const now = ctx.now.getTime();
  if (Date.parse(from) > now) {
    return result(ctx, 'validity', 'fail', 'validity.notYet', { from: formatDate(from, lang) }, 'not-yet-valid');
  }
  if (until && Date.parse(until) < now) {
    return result(ctx, 'validity', 'fail', 'validity.expired', { until: formatDate(until, lang) }, 'expired');
  }
  const untilText = until ? result(ctx, 'validity', 'pass', 'validity.until', { until: formatDate(until, lang) }).check.message : '';
  return result(ctx, 'validity', 'pass', 'validity.pass', { from: formatDate(from, lang), until: untilText });
}
