// Claim links: the personal address a participant receives (on a card, by QR code, by email) to
// get her badge without an account. One live link per badge; making a new one (to re-send it)
// retires the old. Only the secret's hash is kept.
import type { Collective } from '../store/index.js';
import type { Context } from './context.js';
import { collectiveCredential } from './credential-status.js';
import { findPublicCredential, type PublicCredential } from './credentials.js';
import { AppError } from './errors.js';
import { hashSecret, newSecret } from './secrets.js';

export interface ClaimLinkCreated {
  url: string;
  expiresAt: string;
}

/** A fresh link for one of the collective's badges (the previous one stops working). */
export async function createClaimLink(ctx: Context, collective: Collective, credentialId: string): Promise<ClaimLinkCreated> {
  const record = await collectiveCredential(ctx, collective, credentialId);
  if (record.erasedAt) throw new AppError('CREDENTIAL_ERASED', 410);
  const secret = newSecret();
  const now = ctx.now();
  const expiresAt = new Date(now.getTime() + ctx.config.claimLinkDays * 86_400_000).toISOString();
  await ctx.store.claimLinks.put({ credentialId: record.id, hash: hashSecret(secret), createdAt: now.toISOString(), expiresAt });
  return { url: `${ctx.config.publicUrl}/claim/${secret}`, expiresAt };
}

/** The badge a claim link opens; LINK_INVALID when unknown, replaced or expired. */
export async function openClaimLink(ctx: Context, secret: string): Promise<PublicCredential> {
  const link = /^[A-Za-z0-9_-]{43}$/.test(secret) ? await ctx.store.claimLinks.live(hashSecret(secret), ctx.now().toISOString()) : undefined;
  if (!link) throw new AppError('LINK_INVALID', 410);
  return findPublicCredential(ctx, link.credentialId);
}
