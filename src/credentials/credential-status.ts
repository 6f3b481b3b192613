// Withdrawing a badge: revocation (for good) or suspension (until reinstated). A badge carries one
// status entry (OB 3.0 allows a single credentialStatus), whose purpose its badge class chose;
// the state and the bit on the collective's status list change together.
import type { CredentialRecord, CredentialState } from '../store/index.js';
import type { Scope } from '../collectives/collectives.js';
import type { Context } from '../shared/context.js';
import { AppError } from '../shared/errors.js';
import { keepStatusListSigned } from '../collectives/issuers.js';

export type StatusAction = 'revoke' | 'suspend' | 'reinstate';
export const MAX_REASON_LENGTH = 1000;

/** The collective's own credential (erased ones included: their status still matters). */
export async function collectiveCredential(ctx: Context, scope: Scope, id: string): Promise<CredentialRecord> {
  const { collective } = scope;
  const record = await ctx.store.credentials.byId(id);
  if (!record || record.collectiveId !== collective.id) throw new AppError('NOT_FOUND', 404);
  return record;
}

/** What a credential's list lets a facilitator do now. */
export async function allowedActions(ctx: Context, record: CredentialRecord): Promise<StatusAction[]> {
  const list = await ctx.store.statusLists.byId(record.statusListId);
  if (record.status === 'revoked') return [];
  if (list?.purpose === 'suspension') return record.status === 'suspended' ? ['reinstate'] : ['suspend'];
  return ['revoke'];
}

export async function changeStatus(
  ctx: Context, scope: Scope, id: string, action: StatusAction, reason = '',
): Promise<CredentialRecord> {
  const record = await collectiveCredential(ctx, scope, id);
  if (!(await allowedActions(ctx, record)).includes(action)) {
    throw new AppError(record.status === 'revoked' ? 'ALREADY_REVOKED' : 'STATUS_ACTION_INVALID', 409);
  }
  const state: CredentialState = action === 'revoke' ? 'revoked' : action === 'suspend' ? 'suspended' : 'active';
  const why = reason.trim().slice(0, MAX_REASON_LENGTH);
  const changed = await ctx.store.credentials.setStatus(id, state, state === 'active' ? null : why || null, ctx.now().toISOString());
  await keepStatusListSigned(ctx, scope.collective, record.statusListId);
  return changed;
}
