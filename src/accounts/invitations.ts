// Joining a collective. An admin invites an email; the account with that email joins only by accepting,
// signed in as itself. When no account has that email yet, the link's holder creates it (choosing its
// password) and joins. So an admin never holds a secret that opens an account someone else already
// uses, and adding an existing account anywhere changes nothing until its owner says yes.
import type { Lang } from '../ob3/model.js';
import type { Account, Invitation, MailRecord } from '../store/index.js';
import { newId } from '../store/ids.js';
import { createAccount, normalizeAccountEmail, checkNewAccount } from './accounts.js';
import type { AdminScope } from '../collectives/collectives.js';
import type { Context } from '../shared/context.js';
import { AppError } from '../shared/errors.js';
import { invitationMessage, sendMail } from '../operations/mail.js';
import { hashSecret, newSecret } from '../shared/secrets.js';

export const INVITATION_DAYS = 7;

const invitationUrl = (ctx: Context, secret: string) => `${ctx.config.publicUrl}/invitations/${secret}`;

export interface SentInvitation {
  invitation: Invitation;
  /** The link, shown to the admin to pass on (it opens no existing account). */
  url: string;
  /** The message, when a mail server is set; MAIL_FAILED is caught into `mailError`. */
  mail?: MailRecord;
  mailError?: AppError;
}

/** A new link for `invitation` (the previous one stops working), mailed when a mail server is set. */
async function send(ctx: Context, scope: AdminScope, invitation: Omit<Invitation, 'hash' | 'createdAt' | 'expiresAt'>, lang: Lang): Promise<SentInvitation> {
  const secret = newSecret();
  const now = ctx.now();
  const saved = await ctx.store.invitations.put({
    ...invitation, hash: hashSecret(secret), createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + INVITATION_DAYS * 86_400_000).toISOString(),
  });
  const url = invitationUrl(ctx, secret);
  if (!ctx.config.smtpUrl) return { invitation: saved, url };
  const message = invitationMessage(lang, {
    to: saved.email, name: saved.name, inviter: scope.account.name, collective: scope.collective.name, url, days: INVITATION_DAYS,
  });
  try {
    return { invitation: saved, url, mail: await sendMail(ctx, message, { collectiveId: scope.collective.id, kind: 'invitation' }) };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return { invitation: saved, url, mailError: error };
  }
}

/** Invites `email` to the admin's collective with `role`; inviting again renews the link. */
export async function inviteMember(
  ctx: Context, scope: AdminScope, input: { email: string; name: string; role: string }, lang: Lang,
): Promise<SentInvitation> {
  const email = normalizeAccountEmail(input.email);
  checkNewAccount(email, input.name);
  const role = input.role;
  if (role !== 'admin' && role !== 'facilitator') throw new AppError('ROLE_INVALID');
  const members = await ctx.store.accounts.members(scope.collective.id);
  if (members.some((m) => m.email === email)) throw new AppError('MEMBER_ALREADY', 409, { email });
  return send(ctx, scope, { id: newId(), collectiveId: scope.collective.id, email, name: input.name.trim(), role, invitedBy: scope.account.id }, lang);
}

/** A new link for a pending invitation (the old one stops working). */
export async function renewInvitation(ctx: Context, scope: AdminScope, id: string, lang: Lang): Promise<SentInvitation> {
  const invitation = await ctx.store.invitations.byId(scope.collective.id, id);
  if (!invitation) throw new AppError('NOT_FOUND', 404);
  return send(ctx, scope, { ...invitation, invitedBy: scope.account.id }, lang);
}

export async function cancelInvitation(ctx: Context, scope: AdminScope, id: string): Promise<void> {
  await ctx.store.invitations.delete(scope.collective.id, id);
}

export const pendingInvitations = (ctx: Context, scope: AdminScope): Promise<Invitation[]> =>
  ctx.store.invitations.forCollective(scope.collective.id);

/** Removes a member; an admin cannot remove themself, so a collective always keeps an admin. */
export async function removeMember(ctx: Context, scope: AdminScope, accountId: string): Promise<void> {
  if (accountId === scope.account.id) throw new AppError('MEMBER_SELF', 400);
  await ctx.store.accounts.removeMembership(accountId, scope.collective.id);
}

/**
 * What the holder of an invitation link may do, as `viewer` (signed in or not):
 * - `create`: no account has the email yet: choose a password and join;
 * - `accept`: signed in as the invited account: join;
 * - `login`: the invited account exists: sign in as it first;
 * - `other-account`: signed in as someone else.
 */
export type InvitationMode = 'create' | 'accept' | 'login' | 'other-account';

export async function openInvitation(
  ctx: Context, secret: string, viewer: Account | undefined,
): Promise<{ invitation: Invitation; collectiveName: string; mode: InvitationMode }> {
  const invitation = /^[A-Za-z0-9_-]{43}$/.test(secret) ? await ctx.store.invitations.byHash(hashSecret(secret), ctx.now().toISOString()) : undefined;
  if (!invitation) throw new AppError('LINK_INVALID', 410);
  const collective = await ctx.store.collectives.byId(invitation.collectiveId);
  if (!collective) throw new AppError('LINK_INVALID', 410);
  const invitee = await ctx.store.accounts.byEmail(invitation.email);
  const mode: InvitationMode = !invitee ? 'create' : viewer?.id === invitee.id ? 'accept' : viewer ? 'other-account' : 'login';
  return { invitation, collectiveName: collective.name, mode };
}

/**
 * Accepts by link. Returns the account that joined (to sign in when it was just created).
 * INVITATION_OTHER_ACCOUNT / LOGIN_REQUIRED when the invited account exists and the viewer is not it.
 */
export async function acceptInvitation(
  ctx: Context, secret: string, viewer: Account | undefined, input: { name: string; password: string },
): Promise<{ account: Account; created: boolean }> {
  const { invitation, mode } = await openInvitation(ctx, secret, viewer);
  if (mode === 'login') throw new AppError('LOGIN_REQUIRED', 401);
  if (mode === 'other-account') throw new AppError('INVITATION_OTHER_ACCOUNT', 403, { email: invitation.email });
  if (mode === 'accept') {
    if (!(await ctx.store.invitations.accept(invitation.id, viewer!.id))) throw new AppError('LINK_INVALID', 410);
    return { account: viewer!, created: false };
  }
  let account: Account;
  try {
    account = await createAccount(ctx, invitation.email, input.name || invitation.name, input.password, false);
  } catch (error) {
    // The same link, used twice at once: the first made the account, this one finds the link used.
    if (error instanceof AppError && error.code === 'EMAIL_TAKEN') throw new AppError('LINK_INVALID', 410);
    throw error;
  }
  if (!(await ctx.store.invitations.accept(invitation.id, account.id))) throw new AppError('LINK_INVALID', 410);
  return { account, created: true };
}

/** The invitations waiting for the signed-in account (shown on its dashboard, no link needed). */
export const myInvitations = (ctx: Context, account: Account) => ctx.store.invitations.forEmail(account.email, ctx.now().toISOString());

/** Accepts or declines, from the dashboard, an invitation addressed to the signed-in account. */
export async function answerInvitation(ctx: Context, account: Account, id: string, accept: boolean): Promise<void> {
  const invitation = (await myInvitations(ctx, account)).find((i) => i.id === id);
  if (!invitation) throw new AppError('NOT_FOUND', 404);
  if (accept) await ctx.store.invitations.accept(invitation.id, account.id);
  else await ctx.store.invitations.delete(invitation.collectiveId, invitation.id);
}

/** The collective's members, with their role. */
export const listMembers = (ctx: Context, scope: AdminScope) => ctx.store.accounts.members(scope.collective.id);
