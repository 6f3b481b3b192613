// Optional recipient match against a known email or id (§9.3). A mismatch says "not this person's
// badge", not "forged": it fails the check (verified: false) and leaves the verdict to authenticity.
import { identityMatches } from '../../identity.js';
import type { IdentityObject } from '../../model.js';
import { result, type CheckResult, type VerifyContext } from '../context.js';

export function checkRecipient(ctx: VerifyContext): CheckResult {
  const wanted = ctx.recipient?.trim();
  if (!wanted) return result(ctx, 'recipient', 'skip', 'recipient.skip');
  const subject = ctx.credential.credentialSubject;
  const ids = [wanted, `mailto:${wanted}`];
  const byId = typeof subject?.id === 'string' && ids.includes(subject.id);
  const identifiers = (Array.isArray(subject?.identifier) ? subject.identifier : []) as IdentityObject[];
  const byIdentifier = identifiers.some(
    (i) => i && typeof i === 'object' && (wanted.includes('@') ? i.identityType === 'emailAddress' : true) && identityMatches(i, wanted),
  );
  return byId || byIdentifier
    ? result(ctx, 'recipient', 'pass', 'recipient.pass', { recipient: wanted })
    : result(ctx, 'recipient', 'fail', 'recipient.fail', { recipient: wanted });
}
