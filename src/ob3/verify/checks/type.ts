// Is it an Open Badges 3.0 credential (or, for endorsements, an EndorsementCredential)? §9.1 step 1.
// Only "not a badge at all" decides the verdict (unsupported). A badge that departs from the spec's
// shape — contexts out of order, a subject with neither id nor identifier (the Digital Credentials
// Consortium stack builds them so) — is a warning: authenticity is for the proof to say.
import { OB_V3_CONTEXT_PREFIX, VC_V1_CONTEXT, VC_V2_CONTEXT } from '../../model.js';
import { result, typesOf, type CheckResult, type VerifyContext } from '../context.js';

export function checkType(ctx: VerifyContext): CheckResult {
  const { credential } = ctx;
  const types = typesOf(credential.type);
  const wanted = ctx.kind === 'achievement' ? ['OpenBadgeCredential', 'AchievementCredential'] : ['EndorsementCredential'];
  const found = types.find((t) => wanted.includes(t));
  if (!types.includes('VerifiableCredential') || !found) {
    return result(ctx, 'type', 'fail', 'type.fail', { type: types.join(', ') || '—' }, 'unsupported');
  }
  const contexts = Array.isArray(credential['@context']) ? credential['@context'] : [credential['@context']];
  const okContexts =
    (contexts[0] === VC_V2_CONTEXT || contexts[0] === VC_V1_CONTEXT) &&
    contexts.some((c) => typeof c === 'string' && c.startsWith(OB_V3_CONTEXT_PREFIX));
  if (!okContexts) return result(ctx, 'type', 'warn', 'type.context', { type: found, expected: `${VC_V2_CONTEXT}, ${OB_V3_CONTEXT_PREFIX}…` });
  if (ctx.kind === 'achievement') {
    const subject = credential.credentialSubject;
    // VC allows several subjects; an OB 3.0 badge has one. Said as such, not as "no id".
    if (Array.isArray(subject)) return result(ctx, 'type', 'warn', 'type.subjectList', { type: found });
    const hasId = typeof subject?.id === 'string' && subject.id.length > 0;
    const hasIdentifier = Array.isArray(subject?.identifier) && subject.identifier.length > 0;
    if (!hasId && !hasIdentifier) return result(ctx, 'type', 'warn', 'type.noSubjectId', { type: found });
  }
  return result(ctx, 'type', 'pass', 'type.pass', { type: found });
}
