// Issuing badges — from an atelier, or for another tool through the API: build (ob3) → sign,
// Data Integrity and JWT (ob3) → save with a status-list index and a claim link in one transaction
// (store). Batches run in the background and yield between credentials, so the pages of everyone
// else stay responsive; one stopped by a crash is resumed from its page and skips whom it served.
import { buildCredential, isoSeconds, recipientFields, type CredentialInput, type EvidenceInput, type RecipientInput } from '../ob3/build.js';
import { Ob3Error } from '../ob3/errors.js';
import type { JsonObject, OpenBadgeCredential } from '../ob3/model.js';
import type { AchievementVersion, Atelier, BatchRequest, Collective, CredentialRecord, BatchRecord, NewCredential, Participant, StatusList, StatusListPolicy, StatusPurpose, Store, ClaimLink } from '../store/index.js';
import { newId } from '../store/ids.js';
import { achievementInput, currentVersion } from '../badge-classes/achievements.js';
import { editParticipant, findAtelier } from '../ateliers/ateliers.js';
import { allowedActions, changeStatus, collectiveCredential } from '../credentials/credential-status.js';
import { resignCredential } from '../credentials/resign.js';
import type { Scope } from '../collectives/collectives.js';
import type { Context } from '../shared/context.js';
import { newClaimLink } from '../learners/claims.js';
import { hasHiddenCharacters } from '../shared/text.js';
import { AppError, type AppErrorCode } from '../shared/errors.js';
import { STATUS_LIST_POLICY, issuerProfile, keepStatusListSigned, signBothAsIssuer, statusEntry } from '../collectives/issuers.js';
import { standingEndorsements } from '../endorsements/endorsements.js';
import { awardAutomaticKeyBadges } from './key-badges.js';

export const MAX_REFLECTION_LENGTH = 5000;

export function credentialUrl(ctx: Context, id: string): string {
  return `${ctx.config.publicUrl}/credentials/${id}`;
}

export interface Award {
  collective: Collective;
  atelier: Atelier;
  version: AchievementVersion;
  participant: Participant;
  reflection: string;
  /** Further evidence: a badge-clé's component badges (issuing/key-badges.ts). */
  evidence?: EvidenceInput[];
}

/** When a badge of `version` awarded at `from` expires, if its badge class says. */
function expiry(version: AchievementVersion, from: Date): Date | undefined {
  return version.validityDays ? new Date(from.getTime() + version.validityDays * 86_400_000) : undefined;
}

/** What any badge says, however it is issued: this collective's badge class, for this person, now. */
export interface BadgeFor {
  collective: Collective;
  version: AchievementVersion;
  recipient: RecipientInput;
  evidence: EvidenceInput[];
  /** The endorsements of this version standing when it is issued, carried in its Achievement. */
  endorsements?: JsonObject[];
}

function badgeInput(ctx: Context, { collective, version, recipient, evidence, endorsements }: BadgeFor, id: string): CredentialInput {
  const now = ctx.now();
  const until = expiry(version, now);
  return {
    id,
    issuer: issuerProfile(ctx, collective),
    achievement: achievementInput(ctx, collective, version, endorsements),
    recipient,
    validFrom: now,
    awardedDate: now,
    ...(until ? { validUntil: until } : {}),
    evidence,
  };
}

/** How a badge names a participant. No email for many: a hashed, salted issuer-side id still names them. */
function participantRecipient(participant: Participant): RecipientInput {
  return participant.email ? { email: participant.email, name: participant.name } : { systemId: participant.id, name: participant.name };
}

/** A participant's badge from an atelier, with her reflection as evidence. */
function atelierBadge({ collective, atelier, version, participant, reflection, evidence }: Award): BadgeFor {
  const words = reflection.trim().slice(0, MAX_REFLECTION_LENGTH);
  return {
    collective, version,
    recipient: participantRecipient(participant),
    evidence: [
      ...(words ? [{ name: atelier.title, description: [atelier.date, atelier.place].filter(Boolean).join(' — '), narrative: words, genre: 'Reflection' }] : []),
      ...(evidence ?? []),
    ],
  };
}

/** The credential as the learner will see it, unsigned, for the preview. */
export function previewCredential(ctx: Context, award: Award): OpenBadgeCredential {
  return buildCredential(badgeInput(ctx, atelierBadge(award), credentialUrl(ctx, 'apercu')), ctx.now());
}

/**
 * Builds, signs (Data Integrity and JWT) and stores one badge with a status entry on a list of
 * the purpose its badge class chose and its claim link, in one transaction: the only way a
 * credential comes to exist.
 */
export async function issueBadge(
  ctx: Context, badge: BadgeFor, origin: Pick<CredentialRecord, 'atelierId' | 'participantId' | 'issuedBy'> & { batchId?: string },
): Promise<CredentialRecord> {
  const { collective, version } = badge;
  const id = newId();
  // Endorsements still standing travel inside the badge (OB 3.0 achievement.endorsement).
  badge = { ...badge, endorsements: await standingEndorsements(ctx, version.id) };
  const { record, list } = await saveWithStatus(
    ctx.store,
    {
      id, collectiveId: collective.id, badgeClassId: version.badgeClassId, versionId: version.id, ...origin, batchId: origin.batchId ?? null,
      recipientName: badge.recipient.name ?? '', json: null, jwt: null, issuedAt: ctx.now().toISOString(), erasedAt: null,
    },
    version.statusPurpose,
    (list, index) =>
      signBothAsIssuer(ctx, collective, buildCredential({ ...badgeInput(ctx, badge, credentialUrl(ctx, id)), credentialStatus: statusEntry(ctx, collective, list, index) }, ctx.now())),
    newClaimLink(ctx, id).link,
  );
  if (!list.signedJson) await keepStatusListSigned(ctx, collective, list.id);
  return record;
}

/**
 * The issuing step the store cannot do alone: reserve a status index, sign with that status entry,
 * save credential + index + claim link in one transaction — again with another index when another
 * app instance took this one meanwhile. A failed signature saves nothing.
 */
export async function saveWithStatus(
  store: Store, record: NewCredential, purpose: StatusPurpose,
  sign: (list: StatusList, index: number) => Promise<{ json: string; jwt: string }> | { json: string; jwt: string },
  claimLink: Omit<ClaimLink, 'credentialId'>, policy: StatusListPolicy = STATUS_LIST_POLICY,
): Promise<{ record: CredentialRecord; list: StatusList }> {
  for (;;) {
    const reservation = await store.statusLists.reserve(record.collectiveId, purpose, record.issuedAt, policy);
    try {
      const signed = await sign(reservation.list, reservation.index);
      const saved = await store.credentials.insert({ ...record, ...signed, statusListId: reservation.list.id, statusIndex: reservation.index }, claimLink);
      if (saved) return { record: saved, list: reservation.list };
    } finally {
      reservation.release();
    }
  }
}

/** Signs and stores one badge; refused without consent, or when the person has it already unless `reissue`. */
export async function issueOne(ctx: Context, scope: Scope, a: Award, reissue = false, batchId?: string): Promise<CredentialRecord> {
  const { version, participant } = a;
  if (a.collective.id !== scope.collective.id) throw new AppError('FORBIDDEN', 403);
  if (!participant.consentAt) throw new AppError('CONSENT_MISSING', 409, { name: participant.name });
  if (!reissue && (await ctx.store.credentials.forParticipant(participant.id, version.badgeClassId))) {
    throw new AppError('ALREADY_ISSUED', 409, { name: participant.name, badge: version.name });
  }
  return issueBadge(ctx, atelierBadge(a), { atelierId: a.atelier.id, participantId: participant.id, issuedBy: scope.actorId, ...(batchId ? { batchId } : {}) });
}

/** Renews a badge: re-signed, with a new validUntil when its badge class has a validity duration. */
export async function renewCredential(ctx: Context, scope: Scope, id: string): Promise<CredentialRecord> {
  const { collective } = scope;
  const record = await collectiveCredential(ctx, scope, id);
  const version = await ctx.store.achievements.version(record.versionId);
  return resignCredential(ctx, collective, record, ({ validUntil: _until, ...renewed }, from) => {
    const until = version && expiry(version, from);
    return until ? { ...renewed, validUntil: isoSeconds(until) } : renewed;
  });
}

/**
 * Corrects a participant's name or email (a typo at the atelier) and re-signs her badges with it,
 * so that the copy she downloads or shares from now on is right; their dates do not move. Revoked
 * and expired badges are left as they were (renew an expired one first). The copies she already
 * downloaded keep the old spelling and stay valid: a signed badge cannot be changed, only replaced.
 */
export async function correctParticipant(
  ctx: Context, scope: Scope, participantId: string, input: { name: string; email: string },
): Promise<{ participant: Participant; corrected: number; left: number }> {
  const { collective } = scope;
  const { previous, participant } = await editParticipant(ctx, scope, participantId, input);
  const now = ctx.now().getTime();
  let corrected = 0;
  let left = 0;
  for (const record of await ctx.store.credentials.forAtelier(collective.id, participant.atelierId)) {
    if (record.participantId !== participant.id || record.erasedAt || !record.json) continue;
    // Unchanged badges are not re-signed (a save with no change, or one retried after a crash).
    if (previous.email === participant.email && record.recipientName === participant.name) continue;
    const validUntil = (JSON.parse(record.json) as OpenBadgeCredential).validUntil;
    if (record.status === 'revoked' || (validUntil && Date.parse(validUntil) <= now)) {
      left++;
      continue;
    }
    await resignCredential(ctx, collective, record, (c) => {
      const { identifier: _identifier, name: _name, ...subject } = c.credentialSubject;
      return { ...c, credentialSubject: { ...subject, ...recipientFields(participantRecipient(participant)) } };
    }, participant.name);
    corrected++;
  }
  return { participant, corrected, left };
}

export type IssueRequest = BatchRequest;

/** Everything an issuance needs, checked before anything is signed. */
export async function prepareIssue(ctx: Context, scope: Scope, atelierId: string, request: IssueRequest) {
  const { collective } = scope;
  const atelier = await findAtelier(ctx, scope, atelierId);
  if (!atelier.badgeClassIds.includes(request.badgeClassId)) throw new AppError('BADGE_NOT_OFFERED', 400);
  const version = await currentVersion(ctx, scope, request.badgeClassId);
  const everyone = await ctx.store.ateliers.participants(collective.id, atelier.id);
  const chosen = everyone.filter((p) => request.participantIds.includes(p.id));
  if (chosen.length === 0) throw new AppError('NO_PARTICIPANT_CHOSEN', 400);
  const garbled = chosen.find((p) => hasHiddenCharacters(request.reflections[p.id] ?? '', true));
  if (garbled) throw new AppError('REFLECTION_CONTROL', 400, { name: garbled.name });
  const awards: Award[] = chosen.map((participant) => ({
    collective, atelier, version, participant, reflection: request.reflections[participant.id] ?? '',
  }));
  return { atelier, version, awards };
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
const running = new Map<string, Promise<BatchRecord>>();
/** A running batch reports at least this often; one silent for longer lost its process. */
export const BATCH_REPORT_MS = 250;
const BATCH_STALE_MS = 15_000;

/**
 * Issues the awards, saving progress as it goes; `batch` is updated in place. Awards are signed
 * in as many lanes as the worker pool runs tasks at once (so a thread never idles while a lane
 * saves), each badge still saved whole, in its own transaction.
 */
function runBatch(ctx: Context, scope: Scope, batch: BatchRecord, awards: Award[], reissue: boolean): Promise<BatchRecord> {
  const run = (async () => {
    let saved = Date.now();
    let next = 0;
    const issueNext = async (a: Award) => {
      try {
        await issueOne(ctx, scope, a, reissue, batch.id);
        batch.done++;
        await awardAutomaticKeyBadges(ctx, scope, a.participant);
      } catch (error) {
        batch.failed++;
        // The batch keeps codes the pages can explain; anything else is logged and reported as ISSUE_FAILED.
        const code: AppErrorCode = error instanceof AppError ? error.code : 'ISSUE_FAILED';
        if (!(error instanceof AppError)) {
          ctx.log(`Badgeons: issuing to participant ${a.participant.id} failed: ${error instanceof Ob3Error ? error.code : String(error)}`);
        }
        batch.errors.push({ participantId: a.participant.id, participant: a.participant.name, code, badge: a.version.name });
      }
      if (Date.now() - saved > BATCH_REPORT_MS) {
        saved = Date.now();
        batch.updatedAt = ctx.now().toISOString();
        await ctx.store.batches.update(batch);
      }
      await yieldToEventLoop();
    };
    const lane = async () => {
      while (next < awards.length && !ctx.stopping()) await issueNext(awards[next++]!);
    };
    await Promise.all(Array.from({ length: ctx.workers.concurrency }, lane));
    // Stopped by SIGTERM: left interrupted, to be resumed; the reflections stay until it finishes.
    if (ctx.stopping() && batch.done + batch.failed < batch.total) batch.state = 'interrupted';
    else {
      batch.state = 'finished';
      batch.request = null;
    }
    batch.updatedAt = ctx.now().toISOString();
    await ctx.store.batches.update(batch);
    running.delete(batch.id);
    return batch;
  })();
  running.set(batch.id, run);
  return run;
}

/**
 * Starts issuing in the background and returns the batch at once; its progress is saved as it goes.
 * Each credential is saved whole or not at all; a refused one (no consent, already has it) is reported.
 */
export async function startIssuing(ctx: Context, scope: Scope, atelierId: string, request: IssueRequest): Promise<BatchRecord> {
  const { collective } = scope;
  const { atelier, awards } = await prepareIssue(ctx, scope, atelierId, request);
  const now = ctx.now().toISOString();
  const batch: BatchRecord = {
    id: newId(), collectiveId: collective.id, atelierId: atelier.id, total: awards.length, done: 0, failed: 0,
    state: 'running', errors: [], request, createdAt: now, updatedAt: now,
  };
  await ctx.store.batches.create(batch);
  void runBatch(ctx, scope, batch, awards, request.reissue);
  return { ...batch };
}

/** A batch as its page shows it: a running one whose process stopped reporting is interrupted. */
export async function findBatch(ctx: Context, scope: Scope, batchId: string): Promise<BatchRecord> {
  const { collective } = scope;
  const batch = await ctx.store.batches.byId(collective.id, batchId);
  if (!batch) throw new AppError('NOT_FOUND', 404);
  const stale = batch.state === 'running' && !running.has(batch.id) && Date.parse(batch.updatedAt) < ctx.now().getTime() - BATCH_STALE_MS;
  return stale ? { ...batch, state: 'interrupted' } : batch;
}

/** At start: batches a stopped process left running are marked interrupted (all of them, or those silent for a while). */
export function interruptStaleBatches(ctx: Context, all: boolean): Promise<number> {
  return ctx.store.batches.interruptStale(new Date(ctx.now().getTime() - (all ? -1 : BATCH_STALE_MS)).toISOString());
}

/**
 * Takes an interrupted batch up again: the participants it has not issued to yet, with what it was
 * asked (the same badge class, reflections). Its counts start again from what the database holds.
 */
export async function resumeIssuing(ctx: Context, scope: Scope, batchId: string): Promise<BatchRecord> {
  const { collective } = scope;
  const batch = await findBatch(ctx, scope, batchId);
  const now = ctx.now();
  const staleBefore = new Date(now.getTime() - BATCH_STALE_MS).toISOString();
  if (batch.state !== 'interrupted' || !batch.request || !(await ctx.store.batches.resume(collective.id, batch.id, now.toISOString(), staleBefore))) {
    throw new AppError('JOB_NOT_RESUMABLE', 409);
  }
  const served = new Set(await ctx.store.credentials.participantsOfBatch(batch.id));
  const rest = batch.request.participantIds.filter((id) => !served.has(id));
  let awards: Award[] = [];
  try {
    if (rest.length) ({ awards } = await prepareIssue(ctx, scope, batch.atelierId, { ...batch.request, participantIds: rest }));
  } catch (error) {
    // Those left were erased meanwhile: nothing more to do.
    if (!(error instanceof AppError && error.code === 'NO_PARTICIPANT_CHOSEN')) throw error;
  }
  // Those refused before are tried again, so only what the database holds counts.
  const resumed: BatchRecord = { ...batch, state: 'running', done: served.size, failed: 0, errors: [], total: served.size + awards.length, updatedAt: now.toISOString() };
  void runBatch(ctx, scope, resumed, awards, batch.request.reissue);
  return { ...resumed };
}

/** Resolves when the batch is over (tests, the CLI). */
export async function batchFinished(ctx: Context, scope: Scope, batchId: string): Promise<BatchRecord | undefined> {
  const { collective } = scope;
  await running.get(batchId);
  return ctx.store.batches.byId(collective.id, batchId);
}

/** Resolves when every batch this process runs has stopped (at shutdown, after `ctx.stopping()`). */
export async function batchesStopped(): Promise<void> {
  await Promise.all(running.values());
}

/** The badges issued at an atelier. */
export const atelierCredentials = (ctx: Context, { collective }: Scope, atelierId: string): Promise<CredentialRecord[]> =>
  ctx.store.credentials.forAtelier(collective.id, atelierId);

/** How many badges the collective has issued. */
export const countIssued = (ctx: Context, { collective }: Scope): Promise<number> => ctx.store.credentials.count(collective.id);

/** The participants of an atelier who already hold a badge of this class. */
/**
 * What the issuing form offers: the atelier's current badge classes, the one chosen (none until the
 * facilitator picks one), and each participant with whether she already holds it and may receive it.
 */
export async function issueChoices(ctx: Context, scope: Scope, atelierId: string, request: Partial<IssueRequest>) {
  const atelier = await findAtelier(ctx, scope, atelierId);
  const versions = (await ctx.store.achievements.current(scope.collective.id)).filter((v) => atelier.badgeClassIds.includes(v.badgeClassId));
  const badgeClassId = versions.find((v) => v.badgeClassId === request.badgeClassId)?.badgeClassId;
  const [everyone, issued] = await Promise.all([
    ctx.store.ateliers.participants(scope.collective.id, atelier.id), atelierCredentials(ctx, scope, atelier.id),
  ]);
  const held = new Set(issued.filter((c) => c.badgeClassId === badgeClassId).map((c) => c.participantId));
  const participants = everyone.map((p) => ({ ...p, hasBadge: held.has(p.id), eligible: !!p.consentAt && (!held.has(p.id) || !!request.reissue) }));
  return { atelier, versions, badgeClassId, participants };
}

/**
 * Withdraws what a mistaken batch issued, with one reason: revoked where the badge class allows it,
 * suspended where it only allows suspension; badges already withdrawn are left as they are.
 */
export async function withdrawBatch(ctx: Context, scope: Scope, batchId: string, reason: string): Promise<{ withdrawn: number }> {
  const batch = await findBatch(ctx, scope, batchId);
  if (batch.state === 'running') throw new AppError('BATCH_RUNNING', 409);
  let withdrawn = 0;
  for (const record of await ctx.store.credentials.forBatch(scope.collective.id, batch.id)) {
    const actions = await allowedActions(ctx, record);
    const action = actions.includes('revoke') ? 'revoke' : actions.includes('suspend') ? 'suspend' : undefined;
    if (!action || record.erasedAt) continue;
    await changeStatus(ctx, scope, record.id, action, reason);
    withdrawn++;
  }
  return { withdrawn };
}
