// "My badges": every badge issued on this instance to a learner's email, in every collective, opened
// by a link sent to that email (or straight from one of her claim links), and all of them at once
// as a zip. Badges given without an email are reached through their own claim links only.
import { zipSync } from 'fflate';
import type { Lang } from '../ob3/model.js';
import type { LearnerLink } from '../store/index.js';
import { participantEmail, type ClaimedBadge } from './claims.js';
import type { Context } from '../shared/context.js';
import { bakedPng, fileSlug, publicCredential, type PublicCredential } from '../credentials/credentials.js';
import { AppError } from '../shared/errors.js';
import { myBadgesMessage, sendMail } from '../operations/mail.js';
import { hashSecret, newSecret } from '../shared/secrets.js';

const LINK_HOURS = 24;
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

async function newLink(ctx: Context, email: string): Promise<string> {
  const secret = newSecret();
  const now = ctx.now();
  await ctx.store.learnerLinks.put({
    hash: hashSecret(secret), email: email.trim().toLowerCase(), createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + LINK_HOURS * 3_600_000).toISOString(),
  });
  return `${ctx.config.publicUrl}/my-badges/${secret}`;
}

/** Links sent to one address per hour at most, so the form cannot flood a learner's mailbox. */
const MAILS_PER_HOUR = 3;

/**
 * Sends the link when the email has badges here. The answer comes before anything is looked up
 * (the rest runs in the background), so neither its words nor its timing tell who has badges.
 * Returns the background work, for tests and for the server's shutdown.
 */
export function requestMyBadges(ctx: Context, email: string, lang: Lang): Promise<void> {
  const address = email.trim();
  if (!EMAIL_PATTERN.test(address) || address.length > 254) throw new AppError('EMAIL_INVALID', 400);
  const work = (async () => {
    // Counted under a hash: the rate-limit table holds no address.
    const hourStart = Math.floor(ctx.now().getTime() / 3_600_000) * 60;
    if ((await ctx.store.rateLimits.hit(`my-badges:${hashSecret(address.toLowerCase())}`, hourStart)) > MAILS_PER_HOUR) return;
    if ((await ctx.store.credentials.forEmail(address)).length === 0) return;
    await sendMail(ctx, myBadgesMessage(lang, { to: address, url: await newLink(ctx, address) }), { collectiveId: null, kind: 'my-badges' });
  })().catch(() => { /* sendMail logged a refusal; nothing else is the asker's business */ });
  return work;
}

/** From a claim link: her badges at once, when the facilitator recorded her email. */
export async function myBadgesFromClaim(ctx: Context, claimed: ClaimedBadge): Promise<string> {
  const email = await participantEmail(ctx, claimed.record);
  if (!email) throw new AppError('NO_EMAIL', 400);
  return newLink(ctx, email);
}

export async function openMyBadges(ctx: Context, secret: string): Promise<{ link: LearnerLink; badges: PublicCredential[] }> {
  const link = /^[A-Za-z0-9_-]{43}$/.test(secret) ? await ctx.store.learnerLinks.live(hashSecret(secret), ctx.now().toISOString()) : undefined;
  if (!link) throw new AppError('LINK_INVALID', 410);
  const records = await ctx.store.credentials.forEmail(link.email);
  const badges = await Promise.all(records.map((r) => publicCredential(ctx, r)));
  return { link, badges };
}

/** Every badge as a baked PNG, its JSON and its JWT, in one zip (PNGs stored, they are compressed already). */
export function zipBadges(badges: PublicCredential[]): Uint8Array {
  const files: Record<string, [Uint8Array, { level: 0 | 6 }]> = {};
  for (const b of badges) {
    const name = `${fileSlug(b.version.name)}-${b.record.id}`;
    files[`${name}.png`] = [bakedPng(b), { level: 0 }];
    files[`${name}.json`] = [Buffer.from(b.record.json!), { level: 6 }];
    files[`${name}.jwt`] = [Buffer.from(b.record.jwt!), { level: 6 }];
  }
  return zipSync(files);
}
