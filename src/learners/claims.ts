// Claim links: the personal address a participant receives (on a card, by QR code, by email) to
// get her badge without an account. Every badge gets one when it is issued, in the same transaction.
// The secret and the wallet code are derived from the instance's link key (KEYS_DIR), the badge id
// and the link's date: the database keeps only their hashes, yet the facilitator can show the same
// link again (to reprint a card). Making a new link retires the old one.
import { createHmac } from 'node:crypto';
import type { Lang } from '../ob3/model.js';
import {
  PUBLIC_DISPLAYS, type ClaimLink, type CredentialRecord, type MailRecord, type Pickup, type PublicDisplay,
} from '../store/index.js';
import { forgetParticipant } from '../ateliers/ateliers.js';
import type { Scope } from '../collectives/collectives.js';
import type { Context } from '../shared/context.js';
import { findPublicCredential, type PublicCredential } from '../credentials/credentials.js';
import { AppError } from '../shared/errors.js';
import { claimLinkMessage, sendMail } from '../operations/mail.js';
import { hashSecret } from '../shared/secrets.js';

export interface ClaimLinkCreated {
  url: string;
  expiresAt: string;
  /** The 6-digit code a wallet asks for (printed on the card, written in the message). */
  pin?: string;
  /** The short code typed at `<host>/code` (printed on the card), e.g. BDG-7K4M9-QXP2H. */
  code: string;
  badge: PublicCredential;
  /** The participant's email, when she gave one. */
  email?: string;
  /** With `sendIn`: the message as logged, or why the SMTP server refused it (the link exists all the same). */
  mail?: MailRecord;
  mailError?: AppError;
}

export type ClaimedBadge = PublicCredential & { link: ClaimLink };

/** The email the participant gave at the atelier, if any (badges issued by API have no participant). */
export async function participantEmail(ctx: Context, record: CredentialRecord): Promise<string | undefined> {
  const participant = record.participantId ? await ctx.store.ateliers.participant(record.collectiveId, record.participantId) : undefined;
  return participant?.email || undefined;
}

interface LinkSecrets {
  secret: string;
  pin: string;
  code: string;
}

// Crockford's base 32: no I, L, O or U, so nothing reads as another letter; typed O, I and L are read as 0, 1, 1.
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** 10 characters, 50 bits: with the /code rate limits, guessing a live code is hopeless (README, Security). */
const CODE_LENGTH = 10;

export function shortCode(bytes: Buffer): string {
  let bits = 0n;
  for (const byte of bytes.subarray(0, 7)) bits = (bits << 8n) | BigInt(byte);
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[Number((bits >> BigInt(5 * i)) & 31n)];
  return `BDG-${code.slice(0, 5)}-${code.slice(5)}`;
}

/** A code as a person typed it (any case, spaces, dashes, O for 0…), in its canonical form; undefined if it cannot be one. */
export function readShortCode(typed: string): string | undefined {
  const plain = typed.toUpperCase().replace(/[\s\-–—_.]/g, '').replace(/^BDG/, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (plain.length !== CODE_LENGTH || [...plain].some((c) => !CODE_ALPHABET.includes(c))) return undefined;
  return `BDG-${plain.slice(0, 5)}-${plain.slice(5)}`;
}

function linkSecrets(ctx: Context, credentialId: string, createdAt: string): LinkSecrets {
  const derive = (use: string) => createHmac('sha256', ctx.keys.linkKey()).update(`${use}:${credentialId}:${createdAt}`).digest();
  return {
    secret: derive('claim').toString('base64url'), pin: String(derive('pin').readUInt32BE(0) % 1_000_000).padStart(6, '0'),
    code: shortCode(derive('code')),
  };
}

/** A new link for a badge about to be saved (or replacing its link): what the store keeps, and the secrets. */
export function newClaimLink(ctx: Context, credentialId: string): { link: ClaimLink } & LinkSecrets {
  const now = ctx.now();
  const createdAt = now.toISOString();
  const { secret, pin, code } = linkSecrets(ctx, credentialId, createdAt);
  const expiresAt = new Date(now.getTime() + ctx.config.claimLinkDays * 86_400_000).toISOString();
  return {
    secret, pin, code,
    link: { credentialId, hash: hashSecret(secret), createdAt, expiresAt, txCodeHash: ctx.config.walletPin ? hashSecret(pin) : null, codeHash: hashSecret(code) },
  };
}

/** The secrets of a link still in force (links made before they were derived cannot be shown again). */
function liveSecrets(ctx: Context, link: ClaimLink | undefined): LinkSecrets | undefined {
  if (!link || link.expiresAt <= ctx.now().toISOString()) return undefined;
  const secrets = linkSecrets(ctx, link.credentialId, link.createdAt);
  return hashSecret(secrets.secret) === link.hash ? secrets : undefined;
}

/**
 * The link of one of the collective's badges: the one in force, or a new one (the old one stops
 * working) with `renew` or when it expired. With `sendIn`, it is also mailed to the participant
 * in that language; NO_EMAIL (nothing changed) without an address.
 */
export async function claimLinkFor(
  ctx: Context, scope: Scope, credentialId: string, options: { renew?: boolean; sendIn?: Lang } = {},
): Promise<ClaimLinkCreated> {
  const { collective } = scope;
  const badge = await findPublicCredential(ctx, credentialId);
  const { record, version } = badge;
  if (record.collectiveId !== collective.id) throw new AppError('NOT_FOUND', 404);
  const email = await participantEmail(ctx, record);
  const { sendIn } = options;
  if (sendIn && !email) throw new AppError('NO_EMAIL', 400);
  let current = await ctx.store.claimLinks.forCredential(record.id);
  let secrets = options.renew ? undefined : liveSecrets(ctx, current);
  if (!current || !secrets) {
    const made = newClaimLink(ctx, record.id);
    await ctx.store.claimLinks.put(made.link);
    current = made.link;
    secrets = made;
  } else if (!current.codeHash) {
    await ctx.store.claimLinks.setCode(record.id, hashSecret(secrets.code)); // a link made before short codes
  }
  const pin = current.txCodeHash ? secrets.pin : undefined;
  const { expiresAt } = current;
  const link: ClaimLinkCreated = { url: claimUrl(ctx, secrets.secret), code: secrets.code, expiresAt, badge, ...(pin ? { pin } : {}), ...(email ? { email } : {}) };
  if (!sendIn || !email) return link;
  const message = claimLinkMessage(sendIn, {
    to: email, name: record.recipientName, badge: version.name, collective: collective.name, url: link.url, until: expiresAt, ...(pin ? { pin } : {}),
  });
  try {
    return { ...link, mail: await sendMail(ctx, message, { collectiveId: collective.id, kind: 'claim-link' }) };
  } catch (error) {
    if (error instanceof AppError) return { ...link, mailError: error };
    throw error;
  }
}

export const claimUrl = (ctx: Context, secret: string): string => `${ctx.config.publicUrl}/claim/${secret}`;

/** The claim link of a badge while it is in force (for her request's page), without making a new one. */
export async function liveClaimUrl(ctx: Context, credentialId: string): Promise<string | undefined> {
  const secrets = liveSecrets(ctx, await ctx.store.claimLinks.forCredential(credentialId));
  return secrets && claimUrl(ctx, secrets.secret);
}

/** The badge a claim link opens; LINK_INVALID when unknown, replaced or expired. */
export async function openClaimLink(ctx: Context, secret: string): Promise<ClaimedBadge> {
  const link = /^[A-Za-z0-9_-]{43}$/.test(secret) ? await ctx.store.claimLinks.live(hashSecret(secret), ctx.now().toISOString()) : undefined;
  if (!link) throw new AppError('LINK_INVALID', 410);
  return { ...(await findPublicCredential(ctx, link.credentialId)), link };
}

/** The claim page a short code opens (its secret link); LINK_INVALID when no live link has it. */
export async function claimPathForCode(ctx: Context, typed: string): Promise<string> {
  const code = readShortCode(typed);
  const link = code ? await ctx.store.claimLinks.liveByCode(hashSecret(code), ctx.now().toISOString()) : undefined;
  const secrets = link && liveSecrets(ctx, link);
  if (!secrets) throw new AppError('CODE_UNKNOWN', 404);
  return `/claim/${secrets.secret}`;
}

/** The first time she opens her page, adds the badge to a wallet, or shares it: for the facilitator's "picked up" column. */
export async function recordPickup(ctx: Context, claimed: Pick<ClaimedBadge, 'record'>, pickup: Pickup): Promise<void> {
  await ctx.store.credentials.recordPickup(claimed.record.id, pickup, ctx.now().toISOString());
}

/** The holder's choice of what the public page shows. */
export async function chooseDisplay(ctx: Context, claimed: ClaimedBadge, display: string): Promise<void> {
  if (!PUBLIC_DISPLAYS.includes(display as PublicDisplay)) throw new AppError('DISPLAY_INVALID', 400);
  await ctx.store.credentials.setDisplay(claimed.record.id, display as PublicDisplay);
}

/**
 * The holder's own erasure, at once: as when a facilitator erases a participant (all her badges in
 * that collective), or this badge alone when it was issued without a participant (API).
 */
export async function eraseByHolder(ctx: Context, claimed: ClaimedBadge): Promise<void> {
  const { record } = claimed;
  const now = ctx.now().toISOString();
  if (record.participantId) await forgetParticipant(ctx, record.collectiveId, record.participantId);
  else await ctx.store.credentials.erase(record.id, now);
}
