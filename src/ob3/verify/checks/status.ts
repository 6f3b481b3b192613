// Revocation and suspension (§9.1 step 4); fails closed.
import { checkStatus as readStatus } from '../../status.js';
import { result, type CheckResult, type VerifyContext } from '../context.js';

export async function checkStatus(ctx: VerifyContext): Promise<CheckResult> {
  const outcome = await readStatus(ctx.credential, ctx.resolver, ctx.now);
  switch (outcome.state) {
    case 'none': return result(ctx, 'status', 'skip', 'status.none');
    case 'active':
      return outcome.keepers.length
        ? result(ctx, 'status', 'pass', 'status.passDelegated', { lists: outcome.lists.join('; '), keeper: outcome.keepers.join(', ') })
        : result(ctx, 'status', 'pass', 'status.pass', { lists: outcome.lists.join('; ') });
    case 'revoked':
      return result(ctx, 'status', 'fail', outcome.keeper ? 'status.revokedDelegated' : 'status.revoked', { keeper: outcome.keeper ?? '' }, 'revoked');
    case 'suspended':
      return result(ctx, 'status', 'fail', outcome.keeper ? 'status.suspendedDelegated' : 'status.suspended', { keeper: outcome.keeper ?? '' }, 'suspended');
    case 'unsupported': return result(ctx, 'status', 'fail', 'status.unsupported', { type: outcome.type }, 'unverifiable');
    case 'unknown':
      return result(ctx, 'status', 'fail', 'status.unreachable', { detail: outcome.error.localized(ctx.lang) }, 'unverifiable');
  }
}
