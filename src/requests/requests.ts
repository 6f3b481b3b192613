// Asking for a badge in one's own words (issue 18 §4). Each atelier has a request page — a link for
// its QR code and a short code to type at /code, both derived from the instance's link key, only
// their hashes kept — where a participant chooses the badge she thinks the atelier showed, says in
// her words what she did and what it shows, and agrees. She follows her request with her own link,
// without an account. The facilitator accepts (the badge is issued with her words as evidence),
// asks for more (she rewrites on the same link), or declines with a kind word.
import { createHmac, randomBytes } from 'node:crypto';
import type { Context } from '../shared/context.js';
import type { Scope } from '../collectives/collectives.js';
import type { BadgeRequest, RequestState } from '../store/index.js';
import { newId } from '../store/ids.js';
import { AppError } from '../shared/errors.js';
import { translate } from '../i18n/index.js';
import { hashSecret } from '../shared/secrets.js';
import { hasHiddenCharacters } from '../shared/text.js';
import { addParticipant, findAtelier } from '../ateliers/ateliers.js';
import { liveClaimUrl, readShortCode, shortCode } from '../learners/claims.js';
import { MAX_REFLECTION_LENGTH, issueOne, type Award } from '../issuing/issuing.js';
import { readFacts, type RawFacts } from '../reports/facts.js';
import { normalisePhoto } from './photo.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function atelierSecrets(ctx: Context, atelierId: string) {
  const derive = (use: string) => createHmac('sha256', ctx.keys.linkKey()).update(`${use}:${atelierId}`).digest();
  return { secret: derive('ask').toString('base64url'), code: shortCode(derive('ask-code')) };
}

/** The atelier's request link and code, for the facilitator to show or print (made on first use). */
export async function requestEntry(ctx: Context, scope: Scope, atelierId: string): Promise<{ url: string; code: string; codeAddress: string }> {
  const atelier = await findAtelier(ctx, scope, atelierId);
  const { secret, code } = atelierSecrets(ctx, atelier.id);
  await ctx.store.badgeRequests.setAtelierKeys(atelier.id, hashSecret(secret), hashSecret(code));
  return { url: `${ctx.config.publicUrl}/ask/${secret}`, code, codeAddress: `${ctx.config.publicUrl.replace(/^https?:\/\//, '')}/code` };
}

/** An atelier's request page, by its link: the atelier, its collective and the badges it offers. */
export async function openRequestPage(ctx: Context, secret: string) {
  const ref = /^[A-Za-z0-9_-]{43}$/.test(secret) ? await ctx.store.badgeRequests.atelierByLink(hashSecret(secret)) : undefined;
  const atelier = ref && (await ctx.store.ateliers.byId(ref.collectiveId, ref.atelierId));
  const collective = atelier && (await ctx.store.collectives.byId(atelier.collectiveId));
  if (!atelier || !collective) throw new AppError('LINK_INVALID', 410);
  const badges = (await ctx.store.achievements.current(collective.id)).filter((v) => atelier.badgeClassIds.includes(v.badgeClassId));
  return { atelier, collective, badges };
}

/** The request page a short code opens, if it is an atelier's. */
export async function requestPathForCode(ctx: Context, typed: string): Promise<string | undefined> {
  const code = readShortCode(typed);
  const ref = code ? await ctx.store.badgeRequests.atelierByCode(hashSecret(code)) : undefined;
  return ref && `/ask/${atelierSecrets(ctx, ref.atelierId).secret}`;
}

function readWords(text: string): string {
  const words = text.trim();
  if (!words || words.length > MAX_REFLECTION_LENGTH || hasHiddenCharacters(words, true)) throw new AppError('REQUEST_WORDS_NEEDED', 400, { max: MAX_REFLECTION_LENGTH });
  return words;
}

export interface RequestForm {
  badgeClassId: string; name: string; email: string; reflection: string; consent: boolean; facts?: RawFacts;
  /** A photo as she sent it (requests/photo.ts re-encodes it). */
  photo?: Buffer;
}

/** Her request, with her photo if she added one; returns the secret of her own link to follow it. */
export async function submitRequest(ctx: Context, secret: string, form: RequestForm): Promise<string> {
  const { atelier, badges } = await openRequestPage(ctx, secret);
  if (!badges.some((b) => b.badgeClassId === form.badgeClassId)) throw new AppError('REQUEST_BADGE_NEEDED', 400);
  const name = form.name.trim().replace(/\s+/g, ' ');
  const email = form.email.trim().toLowerCase();
  if (!name || name.length > 200 || hasHiddenCharacters(name)) throw new AppError('PARTICIPANT_NAME_REQUIRED', 400);
  if (email && !EMAIL.test(email)) throw new AppError('PARTICIPANT_EMAIL_INVALID', 400);
  const reflection = readWords(form.reflection);
  if (!form.consent) throw new AppError('REQUEST_CONSENT_NEEDED', 400);
  const facts = readFacts(form.facts ?? {}, atelier.date);
  const photo = form.photo?.length ? { id: newId(), jpeg: await normalisePhoto(form.photo) } : undefined;
  const follow = randomBytes(32).toString('base64url');
  const now = ctx.now().toISOString();
  await ctx.store.badgeRequests.create({
    id: newId(), collectiveId: atelier.collectiveId, atelierId: atelier.id, badgeClassId: form.badgeClassId, name, email, reflection,
    hash: hashSecret(follow), state: 'pending', message: '', credentialId: null, createdAt: now, updatedAt: now, facts,
  }, photo);
  return follow;
}

/** Her request, by her own link: where it stands, the facilitator's message, and her badge once accepted. */
export async function followRequest(ctx: Context, secret: string) {
  const request = /^[A-Za-z0-9_-]{43}$/.test(secret) ? await ctx.store.badgeRequests.byHash(hashSecret(secret)) : undefined;
  const version = request && (await ctx.store.achievements.current(request.collectiveId)).find((v) => v.badgeClassId === request.badgeClassId);
  const collective = request && (await ctx.store.collectives.byId(request.collectiveId));
  if (!request || !collective) throw new AppError('LINK_INVALID', 410);
  const claimUrl = request.credentialId ? await liveClaimUrl(ctx, request.credentialId) : undefined;
  return { request, collective, badgeName: version?.name ?? '', claimUrl };
}

/** Her own photo, by her own link. */
export async function ownPhoto(ctx: Context, secret: string): Promise<Buffer> {
  const { request } = await followRequest(ctx, secret);
  const jpeg = await ctx.store.badgeRequests.photo(request.collectiveId, request.id);
  if (!jpeg) throw new AppError('NOT_FOUND', 404);
  return jpeg;
}

/** Her new words after the facilitator asked for more: the request is pending again. */
export async function rewriteRequest(ctx: Context, secret: string, reflection: string): Promise<void> {
  const { request } = await followRequest(ctx, secret);
  if (!(await ctx.store.badgeRequests.rewrite(request.id, readWords(reflection), ctx.now().toISOString()))) throw new AppError('REQUEST_ANSWERED', 409);
}

/** Where a request's photo is public once it is evidence in her badge. */
const evidenceUrl = (ctx: Context, photoId: string) => `${ctx.config.publicUrl}/evidence/${photoId}`;

/** A photo that is evidence in one of our badges (her request accepted, her badge not erased): for anyone who has the badge. */
export async function evidencePhoto(ctx: Context, id: string): Promise<Buffer> {
  const jpeg = /^[A-Za-z0-9_-]{22}$/.test(id) ? await ctx.store.badgeRequests.evidencePhoto(id) : undefined;
  if (!jpeg) throw new AppError('NOT_FOUND', 404);
  return jpeg;
}

/** A request's photo, for the members of its collective. */
export async function requestPhoto(ctx: Context, scope: Scope, id: string): Promise<Buffer> {
  const jpeg = await ctx.store.badgeRequests.photo(scope.collective.id, id);
  if (!jpeg) throw new AppError('NOT_FOUND', 404);
  return jpeg;
}

/** An atelier's requests, for its page. */
export const requestsOf = async (ctx: Context, scope: Scope, atelierId: string): Promise<BadgeRequest[]> =>
  ctx.store.badgeRequests.forAtelier(scope.collective.id, (await findAtelier(ctx, scope, atelierId)).id);

async function ownRequest(ctx: Context, scope: Scope, id: string): Promise<BadgeRequest> {
  const request = await ctx.store.badgeRequests.byId(scope.collective.id, id);
  if (!request) throw new AppError('NOT_FOUND', 404);
  return request;
}

/**
 * Accepts: she joins the atelier's participants (she agreed on the form) and her badge is issued
 * with her own words as its evidence, and her photo if she added one. Claimed first, so two clicks issue one badge; if issuing
 * fails, the request is pending again.
 */
export async function acceptRequest(ctx: Context, scope: Scope, id: string): Promise<BadgeRequest> {
  const request = await ownRequest(ctx, scope, id);
  const now = () => ctx.now().toISOString();
  if (!(await ctx.store.badgeRequests.answer(request.id, ['pending', 'more'], { state: 'accepted', message: '', updatedAt: now() }))) throw new AppError('REQUEST_ANSWERED', 409);
  try {
    const atelier = await findAtelier(ctx, scope, request.atelierId);
    const version = (await ctx.store.achievements.current(scope.collective.id)).find((v) => v.badgeClassId === request.badgeClassId);
    if (!version) throw new AppError('NOT_FOUND', 404);
    const facts = { gender: request.facts.gender ?? '', age: request.facts.ageBand ?? '', situation: request.facts.situation ?? '', commune: request.facts.commune ?? '', qpv: request.facts.qpv ?? '' };
    const participant = await addParticipant(ctx, scope, atelier.id, { name: request.name, ...(request.email ? { email: request.email } : {}), consent: true, facts })
      .catch(async (error: unknown) => {
        // Already on the list (same name and email): that is her.
        if (!(error instanceof AppError && error.code === 'PARTICIPANT_DUPLICATE')) throw error;
        return (await ctx.store.ateliers.participants(scope.collective.id, atelier.id)).find((p) => p.name === request.name && p.email === request.email)!;
      });
    if (!participant.consentAt) await ctx.store.ateliers.setConsent(scope.collective.id, participant.id, now());
    const photo = request.photoId
      ? [{ url: evidenceUrl(ctx, request.photoId), name: 'Photo', description: translate(version.language.startsWith('en') ? 'en' : 'fr', 'ask.photoEvidence'), genre: 'Photo' }]
      : [];
    const award: Award = {
      collective: scope.collective, atelier, version, participant: { ...participant, consentAt: participant.consentAt ?? now() }, reflection: request.reflection, evidence: photo,
    };
    const record = await issueOne(ctx, scope, award);
    await ctx.store.badgeRequests.answer(request.id, ['accepted'], { state: 'accepted', message: '', updatedAt: now(), credentialId: record.id });
    return { ...request, state: 'accepted', credentialId: record.id };
  } catch (error) {
    await ctx.store.badgeRequests.answer(request.id, ['accepted'], { state: request.state, message: request.message, updatedAt: now() });
    throw error;
  }
}

/** Asks her for more (`more`) or declines (`declined`), with a message she reads on her link. */
export async function answerRequest(ctx: Context, scope: Scope, id: string, state: Extract<RequestState, 'more' | 'declined'>, message: string): Promise<void> {
  const request = await ownRequest(ctx, scope, id);
  const text = message.trim();
  if (!text || text.length > 2000 || hasHiddenCharacters(text, true)) throw new AppError('REQUEST_MESSAGE_NEEDED', 400);
  if (!(await ctx.store.badgeRequests.answer(request.id, ['pending'], { state, message: text, updatedAt: ctx.now().toISOString() }))) throw new AppError('REQUEST_ANSWERED', 409);
}
