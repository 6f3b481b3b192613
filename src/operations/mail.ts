// Messages: to learners, their claim link (with the wallet PIN) and their "my badges" link; to
// members, the link to choose their password (an invitation, or a forgotten one). Sent
// through SMTP_URL with nodemailer; with no SMTP server configured, each message is written as an
// .eml file under DATA_DIR/outbox/ (mode 0600) and the collective's admins read it on their outbox
// page. Every message is logged (to, subject, how it went), never its secret link.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import { simpleParser } from 'mailparser';
import Handlebars from 'handlebars';
import { formatDate, translate, type AppMessageKey } from '../i18n/index.js';
import type { Lang } from '../ob3/model.js';
import type { MailRecord } from '../store/index.js';
import { newId } from '../store/ids.js';
import type { Context } from '../shared/context.js';
import { AppError } from '../shared/errors.js';

export interface Message {
  to: string;
  subject: string;
  /** Plain text, the part every mail client shows. */
  text: string;
}

const transports = new Map<string, Transporter>();

function transport(ctx: Context): Transporter {
  const key = ctx.config.smtpUrl ?? 'outbox';
  let t = transports.get(key);
  if (!t) {
    t = ctx.config.smtpUrl
      ? nodemailer.createTransport({ url: ctx.config.smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 } as never)
      : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
    transports.set(key, t);
  }
  return t;
}

export const outboxDir = (ctx: Context): string => path.join(ctx.config.dataDir, 'outbox');

/** Sends (or writes) one message and logs it; MAIL_FAILED when the SMTP server refuses it (logged too). */
export async function sendMail(ctx: Context, message: Message, meta: Pick<MailRecord, 'collectiveId' | 'kind'>): Promise<MailRecord> {
  const record: MailRecord = {
    id: newId(), ...meta, recipient: message.to, subject: message.subject, file: null, error: null, createdAt: ctx.now().toISOString(),
  };
  const mail = { from: ctx.config.mailFrom, to: message.to, subject: message.subject, text: message.text, html: toHtml(message.text) };
  try {
    const info = await transport(ctx).sendMail(mail);
    if (!ctx.config.smtpUrl) {
      mkdirSync(outboxDir(ctx), { recursive: true, mode: 0o700 });
      record.file = `${record.createdAt.replace(/[:.]/g, '-')}-${record.id}.eml`;
      writeFileSync(path.join(outboxDir(ctx), record.file), info.message as Buffer, { mode: 0o600 });
    }
  } catch (error) {
    record.error = error instanceof Error ? error.message.slice(0, 300) : String(error);
    await ctx.store.mail.add(record);
    ctx.log(`Badgeons: mail to ${message.to} failed: ${record.error}`);
    throw new AppError('MAIL_FAILED', 502, { reason: record.error });
  }
  await ctx.store.mail.add(record);
  return record;
}

/** The same words as HTML: paragraphs, and links made clickable. */
function toHtml(text: string): string {
  const paragraphs = text.split(/\n{2,}/).map((p) =>
    `<p>${Handlebars.escapeExpression(p).replace(/https?:\/\/\S+/g, (url) => `<a href="${url}">${url}</a>`).replace(/\n/g, '<br>')}</p>`);
  return `<!doctype html><html><body style="font-family: sans-serif; font-size: 16px; line-height: 1.5">${paragraphs.join('\n')}</body></html>`;
}

/**
 * A message logged as written to the outbox, read back for its admins: headers and text part. A
 * password link opens an account: it stays on the server, for its owner only.
 */
export async function readOutboxMessage(ctx: Context, record: MailRecord): Promise<{ text: string; raw: Buffer }> {
  if (record.kind === 'password-reset') throw new AppError('MAIL_SERVER_ONLY', 403);
  if (!record.file) throw new AppError('NOT_FOUND', 404);
  let raw: Buffer;
  try {
    raw = readFileSync(path.join(outboxDir(ctx), path.basename(record.file)));
  } catch {
    throw new AppError('NOT_FOUND', 404);
  }
  const parsed = await simpleParser(raw);
  return { text: parsed.text ?? '', raw };
}

const words = (lang: Lang, key: string, params: Record<string, string> = {}) => translate(lang, `mail.${key}` as AppMessageKey, params);

/** "Votre badge …": the claim link, the wallet PIN if any, until when. */
export function claimLinkMessage(lang: Lang, p: { to: string; name: string; badge: string; collective: string; url: string; pin?: string; until: string }): Message {
  const until = formatDate(lang, p.until);
  return {
    to: p.to,
    subject: words(lang, 'claimSubject', { badge: p.badge }),
    text: [
      words(lang, 'claimHello', { name: p.name }),
      words(lang, 'claimBody', { badge: p.badge, collective: p.collective }),
      p.url,
      ...(p.pin ? [words(lang, 'claimPin', { pin: p.pin })] : []),
      words(lang, 'claimUntil', { date: until }),
      words(lang, 'signature', { collective: p.collective }),
    ].join('\n\n'),
  };
}

/** The link to all of a learner's badges. */
export function myBadgesMessage(lang: Lang, p: { to: string; url: string }): Message {
  return {
    to: p.to,
    subject: words(lang, 'myBadgesSubject'),
    text: [words(lang, 'myBadgesBody'), p.url, words(lang, 'myBadgesIgnore'), words(lang, 'signature', { collective: 'Badgeons' })].join('\n\n'),
  };
}

/** The one-time link to choose a new password, asked for on "Mot de passe oublié". */
export function passwordResetMessage(lang: Lang, p: { to: string; url: string; hours: number }): Message {
  return {
    to: p.to,
    subject: words(lang, 'resetSubject'),
    text: [words(lang, 'resetBody', { hours: String(p.hours) }), p.url, words(lang, 'resetIgnore'), words(lang, 'signature', { collective: 'Badgeons' })].join('\n\n'),
  };
}

/** An invitation to join a collective: who sent it, and the link to accept it. */
export function invitationMessage(lang: Lang, p: { to: string; name: string; inviter: string; collective: string; url: string; days: number }): Message {
  return {
    to: p.to,
    subject: words(lang, 'inviteSubject', { collective: p.collective }),
    text: [
      words(lang, 'claimHello', { name: p.name }),
      words(lang, 'inviteBody', { inviter: p.inviter, collective: p.collective }),
      p.url,
      words(lang, 'inviteUntil', { days: String(p.days) }),
      words(lang, 'signature', { collective: p.collective }),
    ].join('\n\n'),
  };
}

/** The messages logged for a collective (or, with null, for the instance), newest first. */
export const listOutbox = (ctx: Context, collectiveId: string | null): Promise<MailRecord[]> => ctx.store.mail.list(collectiveId, 200);

/** One logged message of that collective (or of the instance), NOT_FOUND otherwise. */
export async function findOutboxRecord(ctx: Context, collectiveId: string | null, id: string): Promise<MailRecord> {
  const record = await ctx.store.mail.byId(id);
  if (!record || record.collectiveId !== collectiveId) throw new AppError('NOT_FOUND', 404);
  return record;
}
