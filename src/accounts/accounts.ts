// Accounts, sessions and one-time links. Passwords are scrypt-hashed; sessions and links are random
// tokens of which only a SHA-256 is stored, so a copy of the database opens no door.
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { hashSecret, newSecret } from '../shared/secrets.js';
import type { Lang } from '../ob3/model.js';
import type { Account } from '../store/index.js';
import { newId } from '../store/ids.js';
import type { Context } from '../shared/context.js';
import { AppError } from '../shared/errors.js';
import { hasHiddenCharacters } from '../shared/text.js';
import { passwordResetMessage, sendMail } from '../operations/mail.js';

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

export function checkNewAccount(email: string, name: string): void {
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new AppError('EMAIL_INVALID', 400, { email });
  if (!name.trim()) throw new AppError('NAME_REQUIRED');
  if (hasHiddenCharacters(name) || name.length > 120) throw new AppError('TEXT_CONTROL', 400, { field: 'name' });
}

export function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) throw new AppError('PASSWORD_TOO_SHORT', 400, { min: MIN_PASSWORD_LENGTH });
}

export async function createAccount(ctx: Context, email: string, name: string, password: string | null, instanceAdmin: boolean): Promise<Account> {
  email = normalizeAccountEmail(email);
  checkNewAccount(email, name);
  if (password !== null) checkPassword(password);
  if (await ctx.store.accounts.byEmail(email)) throw new AppError('EMAIL_TAKEN', 409, { email });
  const account: Account = {
    id: newId(), email, name: name.trim(), instanceAdmin, createdAt: ctx.now().toISOString(),
    passwordHash: password === null ? null : await hashPassword(password),
  };
  if (!(await ctx.store.accounts.create(account))) throw new AppError('EMAIL_TAKEN', 409, { email });
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
 * Login throttling without lock-out. Failures from an unknown browser count per email (5) and per
 * address (20: a village hall shares one); past that, each further try waits 1 minute, doubling up to
 * 15. A browser where the account signed in before carries a device cookie (OWASP's "device
 * cookies"): its failures count against that browser alone, so a stranger hammering an email cannot
 * lock its owner out on the day of an atelier.
 */
const loginLimit = (key: string): number => (key.startsWith('ip:') ? 20 : 5);
const loginWait = (key: string, count: number): number => {
  const over = count - loginLimit(key);
  return over < 0 ? 0 : Math.min(15 * 60_000, 60_000 * 2 ** over);
};

const DUMMY_HASH = hashPassword(newSecret());

/** A browser where an account signed in before: the account and the cookie's own id (from a signed cookie). */
export interface KnownDevice {
  accountId: string;
  id: string;
}

/** Checks the password; failures are counted in the database, so every app instance throttles alike. */
export async function logIn(ctx: Context, email: string, password: string, address: string, device?: KnownDevice): Promise<Account> {
  email = normalizeAccountEmail(email);
  const account = await ctx.store.accounts.byEmail(email);
  const keys = device && account && device.accountId === account.id ? [`device:${device.id}`] : [`email:${email}`, `ip:${address}`];
  const now = ctx.now().getTime();
  const wait = Date.parse((await ctx.store.rateLimits.blockedUntil(keys)) ?? '') - now;
  if (wait > 0) throw new AppError('LOGIN_THROTTLED', 429, { minutes: Math.ceil(wait / 60_000) });
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

/**
 * "Forgot my password": a one-time link (24 h) to the account's own address, and to nobody else.
 * With a mail server (SMTP_URL) it is mailed; without one, the message is written to the outbox
 * folder on the server (DATA_DIR/outbox), where the people running it can pass it on — never to the
 * logs, never to a web page. A few per account and hour, so the form cannot flood a mailbox.
 */
export async function requestReset(ctx: Context, email: string, lang: Lang): Promise<void> {
  const account = await ctx.store.accounts.byEmail(normalizeAccountEmail(email));
  if (!account) return;
  const hourStart = Math.floor(ctx.now().getTime() / 3_600_000) * 60;
  if ((await ctx.store.rateLimits.hit(`reset:${account.id}`, hourStart)) > RESETS_PER_HOUR) return;
  const token = newSecret();
  await ctx.store.tokens.create({ hash: hashSecret(token), purpose: 'reset', accountId: account.id, expiresAt: later(ctx.now(), LINK_HOURS.reset), usedAt: null });
  const message = passwordResetMessage(lang, { to: account.email, url: `${ctx.config.publicUrl}/password/${token}`, hours: LINK_HOURS.reset });
  try {
    const sent = await sendMail(ctx, message, { collectiveId: null, kind: 'password-reset' });
    if (sent.file) ctx.log(`Badgeons: a password link was asked for; no mail server is set, so it is in ${sent.file} under DATA_DIR/outbox.`);
  } catch {
    // sendMail logged the refusal; the person can ask again.
  }
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
