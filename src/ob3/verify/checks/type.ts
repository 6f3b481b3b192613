// Is it an Open Badges 3.0 credential (or, for endorsements, an EndorsementCredential)? §9.1 step 1.
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
  if (!okContexts) {
    return result(ctx, 'type', 'fail', 'type.context', { expected: `${VC_V2_CONTEXT}, ${OB_V3_CONTEXT_PREFIX}…` }, 'invalid');
  }
  if (ctx.kind === 'achievement') {
    const subject = credential.credentialSubject;
    const hasId = typeof subject?.id === 'string' && subject.id.length > 0;
    const hasIdentifier = Array.isArray(subject?.identifier) && subject.identifier.length > 0;
    if (!hasId && !hasIdentifier) return result(ctx, 'type', 'fail', 'type.noSubjectId', {}, 'invalid');
  }
  return result(ctx, 'type', 'pass', 'type.pass', { type: found });
}
