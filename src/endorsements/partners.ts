// Partners: an employer, the Mission locale, a public service, another association. A collective's
// admin invites one by a link; whoever opens it creates the partner's light profile on this
// instance — a collective of kind `partner`, hosted like any other (did:web, its own key, its page)
// — and becomes its admin, with a new account or the one she is signed in with. No account is
// needed beforehand. A partner endorses; it does not issue badges.
import { randomBytes } from 'node:crypto';
import type { Account, Collective, PartnerInvitation } from '../store/index.js';
import { newId } from '../store/ids.js';
import type { Context } from '../shared/context.js';
import type { AdminScope, CollectiveForm } from '../collectives/collectives.js';
import { freeSlug, newCollective } from '../collectives/collectives.js';
import { checkNewAccount, checkPassword, createAccount, normalizeAccountEmail } from '../accounts/accounts.js';
import { AppError } from '../shared/errors.js';
import { hashSecret } from '../shared/secrets.js';
import { hasHiddenCharacters } from '../shared/text.js';

export const PARTNER_INVITATION_DAYS = 30;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const partnerJoinUrl = (ctx: Context, secret: string): string => `${ctx.config.publicUrl}/partners/join/${secret}`;

/** A link for one partner organisation (its name and a contact address), valid 30 days, shown to the admin. */
export async function invitePartner(ctx: Context, scope: AdminScope, input: { name: string; email: string }): Promise<{ url: string; invitation: PartnerInvitation }> {
  const name = input.name.trim();
  const email = input.email.trim().toLowerCase();
  if (!name || name.length > 200 || hasHiddenCharacters(name)) throw new AppError('NAME_REQUIRED', 400);
  if (!EMAIL.test(email) || email.length > 254) throw new AppError('EMAIL_INVALID', 400, { email });
  const secret = randomBytes(32).toString('base64url');
  const now = ctx.now();
  const invitation: PartnerInvitation = {
    id: newId(), collectiveId: scope.collective.id, name, email, hash: hashSecret(secret), invitedBy: scope.account.id,
    createdAt: now.toISOString(), expiresAt: new Date(now.getTime() + PARTNER_INVITATION_DAYS * 86_400_000).toISOString(), partnerId: null,
  };
  await ctx.store.partnerInvitations.create(invitation);
  return { url: partnerJoinUrl(ctx, secret), invitation };
}

/** The invitation behind a link, and who sent it; LINK_INVALID once used or expired. */
export async function openPartnerInvitation(ctx: Context, secret: string): Promise<{ invitation: PartnerInvitation; inviter: Collective }> {
  const invitation = /^[A-Za-z0-9_-]{43}$/.test(secret) ? await ctx.store.partnerInvitations.live(hashSecret(secret), ctx.now().toISOString()) : undefined;
  const inviter = invitation && (await ctx.store.collectives.byId(invitation.collectiveId));
  if (!invitation || !inviter) throw new AppError('LINK_INVALID', 410);
  return { invitation, inviter };
}

export interface PartnerForm extends Partial<CollectiveForm> {
  /** Her name and a password, when she has no account yet. */
  person?: string;
  password?: string;
}

/**
 * Creates the partner from its invitation. Signed in, the account joins as the partner's admin;
 * signed out, an account is made for the invited address (EMAIL_TAKEN: sign in first). The link
 * works once, even when two tabs send it together.
 */
export async function acceptPartnerInvitation(ctx: Context, secret: string, viewer: Account | undefined, form: PartnerForm) {
  const { invitation } = await openPartnerInvitation(ctx, secret);
  const details = { ...form, name: form.name?.trim() || invitation.name, email: form.email?.trim() || invitation.email };
  // Everything is checked before the link is spent, so a mistake in the form costs nothing.
  const email = normalizeAccountEmail(invitation.email);
  if (!viewer) {
    if (await ctx.store.accounts.byEmail(email)) throw new AppError('PARTNER_SIGN_IN', 409, { email });
    checkNewAccount(email, form.person ?? '');
    checkPassword(form.password ?? '');
  }
  await freeSlug(ctx, details);
  const id = newId();
  if (!(await ctx.store.partnerInvitations.use(invitation.id, id))) throw new AppError('LINK_INVALID', 410);
  const account = viewer ?? (await createAccount(ctx, email, form.person ?? '', form.password ?? '', false));
  const partner = await newCollective(ctx, account, details, 'partner', id);
  return { account, partner, created: !viewer };
}

/** The partners a collective invited, joined or not. */
export const partnerInvitationsOf = (ctx: Context, scope: AdminScope): Promise<PartnerInvitation[]> =>
  ctx.store.partnerInvitations.forCollective(scope.collective.id);
