// Badges-clés (méta-badges): a badge class that recognises a set of badges — all of them, or N of
// them. When a person holds enough of its components (across the collective's ateliers, matched as
// the report matches people: her email, else her name), it is due: issued at once when the class
// says so, otherwise offered to the facilitator (one tap). It carries its components as evidence.
import type { Context } from '../shared/context.js';
import type { Scope } from '../collectives/collectives.js';
import type { AchievementVersion, CredentialRecord, Participant } from '../store/index.js';
import { AppError } from '../shared/errors.js';
import { findAtelier } from '../ateliers/ateliers.js';
import { credentialUrl, issueOne } from './issuing.js';
import type { PresentedBadge } from './presented.js';

export interface DueKeyBadge { participant: Participant; version: AchievementVersion; components: CredentialRecord[]; presented: PresentedBadge[] }

/** The badges-clés a participant now qualifies for and does not hold yet. */
export async function dueKeyBadges(ctx: Context, scope: Scope, participant: Participant): Promise<DueKeyBadge[]> {
  const keys = (await ctx.store.achievements.current(scope.collective.id)).filter((v) => v.keyOf);
  if (!keys.length) return [];
  const held = await ctx.store.credentials.forPerson(scope.collective.id, participant.email, participant.name);
  // Badges she presented from elsewhere, under any of her participant ids in this collective.
  const mine = (await ctx.store.ateliers.samePerson(scope.collective.id, participant.email, participant.name)).map((p) => p.id);
  const brought = await ctx.store.presented.forParticipants(scope.collective.id, [...new Set([participant.id, ...mine])]);
  const due: DueKeyBadge[] = [];
  for (const version of keys) {
    if (held.some((c) => c.badgeClassId === version.badgeClassId)) continue;
    const components = version.keyOf!.components.map((id) => held.find((c) => c.badgeClassId === id)).filter((c): c is CredentialRecord => !!c);
    const outside = version.keyOf!.outside ?? [];
    const presented = outside.map((id) => brought.find((b) => b.achievementId === id)).filter((b): b is PresentedBadge => !!b);
    if (components.length + presented.length >= version.keyOf!.needed) due.push({ participant, version, components, presented });
  }
  return due;
}

/** Issues a due badge-clé to her, at her atelier, its component badges as evidence (their addresses and names). */
export async function issueKeyBadge(ctx: Context, scope: Scope, due: DueKeyBadge): Promise<CredentialRecord> {
  const atelier = await findAtelier(ctx, scope, due.participant.atelierId);
  const names = new Map((await ctx.store.achievements.current(scope.collective.id)).map((v) => [v.badgeClassId, v.name]));
  const evidence = [
    ...due.components.map((c) => ({ url: credentialUrl(ctx, c.id), name: names.get(c.badgeClassId) ?? '', genre: 'Badge', description: c.issuedAt.slice(0, 10) })),
    ...due.presented.map((b) => ({ url: b.credentialId, name: `${b.badgeName} — ${b.issuerName}`, genre: 'Badge', description: b.presentedAt.slice(0, 10) })),
  ];
  return issueOne(ctx, scope, { collective: scope.collective, atelier, version: due.version, participant: due.participant, reflection: '', evidence });
}

/**
 * After a badge is issued to her: the badges-clés that say so are issued at once. A failure here
 * is logged and leaves the offer on the atelier page; it never fails the badge just issued.
 */
export async function awardAutomaticKeyBadges(ctx: Context, scope: Scope, participant: Participant): Promise<void> {
  try {
    for (const due of await dueKeyBadges(ctx, scope, participant)) if (due.version.keyOf!.auto) await issueKeyBadge(ctx, scope, due);
  } catch (error) {
    ctx.log(`Badgeons: a badge-clé for participant ${participant.id} was not issued: ${error instanceof AppError ? error.code : String(error)}`);
  }
}

/** The facilitator's one tap: issues the badge-clé the participant is due. */
export async function offerAccepted(ctx: Context, scope: Scope, participantId: string, badgeClassId: string): Promise<CredentialRecord> {
  const participant = await ctx.store.ateliers.participant(scope.collective.id, participantId);
  if (!participant) throw new AppError('NOT_FOUND', 404);
  const due = (await dueKeyBadges(ctx, scope, participant)).find((d) => d.version.badgeClassId === badgeClassId);
  if (!due) throw new AppError('KEY_BADGE_NOT_DUE', 409);
  return issueKeyBadge(ctx, scope, due);
}
