// A collective's signing keys over time: rotate (new badges use the new key, old ones keep verifying
// because retired keys stay in its DID document), and mark a key compromised from a date, which
// revokes — or suspends, for badge classes that only suspend — every badge it signed since.
import type { OpenBadgeCredential } from '../ob3/model.js';
import type { IssuerKey } from '../ob3/keys.js';
import type { CredentialRecord } from '../store/index.js';
import type { Scope } from './collectives.js';
import type { Context } from '../shared/context.js';
import { allowedActions, changeStatus } from '../credentials/credential-status.js';
import { AppError } from '../shared/errors.js';

export interface KeyView {
  kid: string;
  created: string;
  retired?: string;
  compromised?: string;
  active: boolean;
}

export function listKeys(ctx: Context, scope: Scope): KeyView[] {
  const { collective } = scope;
  const keys = ctx.keys.all(collective.id);
  const active = ctx.keys.active(collective.id, ctx.now());
  return keys.map((k) => ({
    kid: k.kid, created: k.created, active: k.kid === active.kid,
    ...(k.retired ? { retired: k.retired } : {}), ...(k.compromised ? { compromised: k.compromised } : {}),
  })).reverse();
}

export function rotateCollectiveKey(ctx: Context, scope: Scope): IssuerKey {
  const { collective } = scope;
  return ctx.keys.rotate(collective.id, ctx.now());
}

/** Which key signed a badge: its proof names it; an erased badge is dated instead (one key signs at a time). */
function signedWith(record: CredentialRecord, key: IssuerKey): boolean {
  if (record.json) {
    const method = (JSON.parse(record.json) as OpenBadgeCredential).proof;
    const proofs = Array.isArray(method) ? method : method ? [method] : [];
    return proofs.some((p) => typeof p.verificationMethod === 'string' && p.verificationMethod.endsWith(`#${key.kid}`));
  }
  const at = record.renewedAt ?? record.issuedAt;
  return at >= key.created && (!key.retired || at < key.retired);
}

export interface CompromiseReport {
  key: IssuerKey;
  /** Badges revoked (or suspended) because that key signed them on or after the date. */
  withdrawn: number;
}

/**
 * Marks `kid` compromised from `from` (a new key takes over if it was signing) and withdraws what
 * it signed since. Status lists are signed again with the new key.
 */
export async function compromiseKey(ctx: Context, scope: Scope, kid: string, from: Date): Promise<CompromiseReport> {
  const { collective } = scope;
  if (Number.isNaN(from.getTime()) || from.getTime() > ctx.now().getTime()) throw new AppError('KEY_DATE_INVALID', 400);
  if (!ctx.keys.all(collective.id).some((k) => k.kid === kid)) throw new AppError('KEY_UNKNOWN', 404);
  const key = ctx.keys.compromise(collective.id, kid, from, ctx.now());
  let withdrawn = 0;
  for (const record of await ctx.store.credentials.signedSince(collective.id, from.toISOString())) {
    if (!signedWith(record, key)) continue;
    const action = (await allowedActions(ctx, record)).find((a) => a === 'revoke' || a === 'suspend');
    if (!action) continue;
    await changeStatus(ctx, scope, record.id, action, `clé compromise ${key.kid.slice(0, 12)}…`);
    withdrawn++;
  }
  await ctx.store.statusLists.dropSigned(collective.id);
  ctx.log(`Badgeons: key ${kid} of ${collective.slug} marked compromised from ${from.toISOString()}; ${withdrawn} badge(s) withdrawn.`);
  return { key, withdrawn };
}
