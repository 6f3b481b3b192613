// Accounts, sessions and one-time links. Passwords are scrypt-hashed; sessions and links are random
// tokens of which only a SHA-256 is stored, so a copy of the database opens no door.
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { hashSecret, newSecret } from './secrets.js';
import type { Lang } from '../ob3/model.js';
import type { Account, Collective, MailRecord, Role } from '../store/index.js';
import { newId } from '../store/ids.js';
import type { Context } from './context.js';
import { AppError } from './errors.js';
import { invitationMessage, passwordResetMessage, sendMail } from './mail.js';

const SCRYPT = { N: 32768, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
export const MIN_PASSWORD_LENGTH = 10;
const SESSION_DAYS = 14;
const LINK_HOURS = { setup: 24 * 7, reset: 24 } as const;
const RESETS_PER_HOUR = 3;

function scrypt(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(password.normalize('NFC'), salt, 32, options, (error, key) => (error ? reject(error) : resolve(key))));
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, SCRYPT);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await scrypt(password, Buffer.from(salt, 'base64url'), { N: Number(n), r: Number(r), p: Number(p), maxmem: SCRYPT.maxmem });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

const later = (now: Date, hours: number) => new Date(now.getTime() + hours * 3600_000).toISOString();

export function normalizeAccountEmail(email: string): string {
  return email.trim().toLowerCase();
}

function checkNewAccount(email: string, name: string): void {
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new AppError('EMAIL_INVALID', 400, { email });
  if (!name.trim()) throw new AppError('NAME_REQUIRED');
}

function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) throw new AppError('PASSWORD_TOO_SHORT', 400, { min: MIN_PASSWORD_LENGTH });
}

async function createAccount(ctx: Context, email: string, name: string, password: string | null, instanceAdmin: boolean): Promise<Account> {
  email = normalizeAccountEmail(email);
  checkNewAccount(email, name);
  if (password !== null) checkPassword(password);
  if (await ctx.store.accounts.byEmail(email)) throw new AppError('EMAIL_TAKEN', 409, { email });
  const account: Account = {
    id: newId(), email, name: name.trim(), instanceAdmin, createdAt: ctx.now().toISOString(),
    passwordHash: password === null ? null : await hashPassword(password),
  };
  await ctx.store.accounts.create(account);
  return account;
}

/**
 * First start: with no account yet, create the instance admin from BADGEONS_ADMIN_EMAIL/PASSWORD,
 * or print a one-time setup link. Returns what was done, for the console.
 */
export async function bootstrapAdmin(ctx: Context): Promise<{ created?: string; setupLink?: string } | undefined> {
  if ((await ctx.store.accounts.count()) > 0) return undefined;
  const { adminEmail, adminPassword } = ctx.config;
  if (adminEmail && adminPassword) {
    const account = await createAccount(ctx, adminEmail, adminEmail.split('@')[0]!, adminPassword, true);
    return { created: account.email };
  }
  const token = newSecret();
  await ctx.store.tokens.create({ hash: hashSecret(token), purpose: 'setup', accountId: null, expiresAt: later(ctx.now(), LINK_HOURS.setup), usedAt: null });
  return { setupLink: `${ctx.config.publicUrl}/setup/${token}` };
}

export async function setupLinkValid(ctx: Context, token: string): Promise<boolean> {
  return !!(await ctx.store.tokens.peek(hashSecret(token), 'setup', ctx.now().toISOString()));
}

/** Uses the setup link: creates the instance admin. */
export async function completeSetup(ctx: Context, token: string, input: { email: string; name: string; password: string }): Promise<Account> {
  const email = normalizeAccountEmail(input.email);
  checkNewAccount(email, input.name);
  checkPassword(input.password);
  if (!(await ctx.store.tokens.consume(hashSecret(token), 'setup', ctx.now().toISOString()))) throw new AppError('LINK_INVALID', 404);
  return createAccount(ctx, email, input.name, input.password, true);
}

/**
 * Failed logins per email (5 tries) and per address (20: a village hall shares one), then a wait
 * of 1 minute, doubling, at most 15.
 */
/** Failed logins allowed per email (and per address, more) before each further one doubles the wait. */
const loginLimit = (key: string): number => (key.startsWith('ip:') ? 20 : 5);
const loginWait = (key: string, count: number): number => {
  const over = count - loginLimit(key);
  return over < 0 ? 0 : Math.min(15 * 60_000, 60_000 * 2 ** over);
};

const DUMMY_HASH = hashPassword(newSecret());

/** Checks the password; failures are counted in the database, so every app instance throttles alike. */
export async function logIn(ctx: Context, email: string, password: string, address: string): Promise<Account> {
  email = normalizeAccountEmail(email);
  const keys = [`email:${email}`, `ip:${address}`];
  const now = ctx.now().getTime();
  const wait = Date.parse((await ctx.store.rateLimits.blockedUntil(keys)) ?? '') - now;
  if (wait > 0) throw new AppError('LOGIN_THROTTLED', 429, { minutes: Math.ceil(wait / 60_000) });
  const account = await ctx.store.accounts.byEmail(email);
  // Hash even for an unknown email, so timing does not tell which emails have accounts.
  const ok = await verifyPassword(password, account?.passwordHash ?? (await DUMMY_HASH));
  if (!account?.passwordHash || !ok) {
    for (const key of keys) await ctx.store.rateLimits.fail(key, (count) => new Date(now + loginWait(key, count)).toISOString());
    throw new AppError('LOGIN_FAILED', 401);
  }
  await ctx.store.rateLimits.forgive(keys);
  return account;
}

/** Returns the cookie value; the store keeps its hash. */
export async function openSession(ctx: Context, accountId: string): Promise<string> {
  const token = newSecret();
  await ctx.store.sessions.create({ id: hashSecret(token), accountId, expiresAt: later(ctx.now(), SESSION_DAYS * 24) });
  return token;
}

export async function sessionAccount(ctx: Context, token: string): Promise<Account | undefined> {
  const session = await ctx.store.sessions.get(hashSecret(token), ctx.now().toISOString());
  return session && ctx.store.accounts.byId(session.accountId);
}

export async function closeSession(ctx: Context, token: string): Promise<void> {
  await ctx.store.sessions.delete(hashSecret(token));
}

/** A one-time link to choose a new password. */
export async function createResetLink(ctx: Context, accountId: string, hours: number = LINK_HOURS.reset): Promise<string> {
  const token = newSecret();
  await ctx.store.tokens.create({ hash: hashSecret(token), purpose: 'reset', accountId, expiresAt: later(ctx.now(), hours), usedAt: null });
  return `${ctx.config.publicUrl}/password/${token}`;
}

/**
 * "Forgot my password": the link is mailed to the account's address when a mail server is set
 * (SMTP_URL); without one, or when the server refuses the message, it is printed on the console
 * for the instance admin to pass on. A few per account and hour, so the form cannot flood a mailbox.
 */
export async function requestReset(ctx: Context, email: string, lang: Lang): Promise<void> {
  const account = await ctx.store.accounts.byEmail(normalizeAccountEmail(email));
  if (!account) return;
  const hourStart = Math.floor(ctx.now().getTime() / 3_600_000) * 60;
  if ((await ctx.store.rateLimits.hit(`reset:${account.id}`, hourStart)) > RESETS_PER_HOUR) return;
  const url = await createResetLink(ctx, account.id);
  try {
    if (await mailPasswordLink(ctx, account, url, lang)) return;
  } catch {
    // sendMail logged the refusal; the console is the way left.
  }
  ctx.log(`Badgeons: password reset requested for ${account.email}: ${url}`);
}

/**
 * Mails a password link to the account when a mail server is set (SMTP_URL); false without one.
 * `from`: the admin who sent it, and their collective (whose outbox logs it). MAIL_FAILED when refused.
 */
export async function mailPasswordLink(
  ctx: Context, account: Account, url: string, lang: Lang, from?: { admin: Account; collective: Collective },
): Promise<boolean> {
  if (!ctx.config.smtpUrl) return false;
  const message = passwordResetMessage(lang, { to: account.email, url, hours: LINK_HOURS.reset, ...(from ? { sentBy: from.admin.name } : {}) });
  await sendMail(ctx, message, { collectiveId: from?.collective.id ?? null, kind: 'password-reset' });
  return true;
}

export async function resetLinkValid(ctx: Context, token: string): Promise<boolean> {
  return !!(await ctx.store.tokens.peek(hashSecret(token), 'reset', ctx.now().toISOString()));
}

export async function resetPassword(ctx: Context, token: string, password: string): Promise<Account> {
  checkPassword(password);
  const used = await ctx.store.tokens.consume(hashSecret(token), 'reset', ctx.now().toISOString());
  const account = used?.accountId ? await ctx.store.accounts.byId(used.accountId) : undefined;
  if (!account) throw new AppError('LINK_INVALID', 404);
  await ctx.store.accounts.setPassword(account.id, await hashPassword(password));
  await ctx.store.sessions.deleteForAccount(account.id);
  return account;
}

/**
 * Mails a new member their link to choose a password, when a mail server is set (SMTP_URL);
 * undefined without one (the admin passes the link on). MAIL_FAILED when the server refuses it.
 */
export async function inviteMember(
  ctx: Context, collective: Collective, member: Account, link: string, inviter: Account, lang: Lang,
): Promise<MailRecord | undefined> {
  if (!ctx.config.smtpUrl) return undefined;
  const message = invitationMessage(lang, { to: member.email, name: member.name, inviter: inviter.name, collective: collective.name, url: link, days: LINK_HOURS.setup / 24 });
  return sendMail(ctx, message, { collectiveId: collective.id, kind: 'invitation' });
}

/** Adds someone to a collective; a new account gets a link to choose a password, for the admin to pass on. */
export async function addMember(
  ctx: Context, collectiveId: string, input: { email: string; name: string; role: Role },
): Promise<{ account: Account; link?: string }> {
  if (input.role !== 'admin' && input.role !== 'facilitator') throw new AppError('ROLE_INVALID');
  let account = await ctx.store.accounts.byEmail(normalizeAccountEmail(input.email));
  let link: string | undefined;
  if (!account) {
    account = await createAccount(ctx, input.email, input.name, null, false);
    link = await createResetLink(ctx, account.id, LINK_HOURS.setup);
  }
  await ctx.store.accounts.setMembership({ accountId: account.id, collectiveId, role: input.role });
  return { account, ...(link ? { link } : {}) };
}
