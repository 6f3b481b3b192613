// Endorsements (OB 3.0 EndorsementCredential, §9.2): a partner or another collective says, signed
// with its own key, "we know what this badge means and we value it". An endorsement of a badge class
// is about one Achievement version (the badge as written) and travels inside every badge issued with
// that version afterwards; an endorsement of a collective is about its Profile. Each has an entry on
// its endorser's own revocation list, so withdrawing it is seen by every verifier while the badges
// it was embedded in stay valid.
import { VC_V2_CONTEXT, OB_V3_CONTEXT, type JsonObject, type OpenBadgeCredential } from '../ob3/model.js';
import { isoSeconds } from '../ob3/build.js';
import { newId, isId } from '../store/ids.js';
import type { Account, Collective, Endorsement, EndorsementSubjectKind } from '../store/index.js';
import type { Context } from '../shared/context.js';
import type { MemberScope, Scope } from '../collectives/collectives.js';
import { findCollective, myCollectives } from '../collectives/collectives.js';
import { achievementUrl, findVersion } from '../badge-classes/achievements.js';
import { findPublicCredential } from '../credentials/credentials.js';
import { resignCredential } from '../credentials/resign.js';
import type { CredentialRecord } from '../credentials/repository.js';
import { STATUS_LIST_POLICY, issuerDid, issuerPageUrl, issuerProfile, signAsIssuer, statusEntry } from '../collectives/issuers.js';
import { AppError } from '../shared/errors.js';
import { hasHiddenCharacters } from '../shared/text.js';

export const MAX_COMMENT_LENGTH = 1000;

export const endorsementUrl = (ctx: Context, id: string): string => `${ctx.config.publicUrl}/endorsements/${id}`;

/** What is endorsed, named and addressed as the credential will say it. */
interface Subject {
  kind: EndorsementSubjectKind;
  id: string;
  url: string;
  name: string;
  /** The collective that issues the badge, or the endorsed collective: it cannot endorse itself. */
  owner: Collective;
}

function readComment(comment: string): string {
  const text = comment.trim();
  if (!text || text.length > MAX_COMMENT_LENGTH || hasHiddenCharacters(text, true)) throw new AppError('ENDORSEMENT_COMMENT_INVALID', 400, { max: MAX_COMMENT_LENGTH });
  return text;
}

/**
 * Signs and stores an endorsement by the scope's collective: reserve an index on its revocation
 * list, sign with that entry, save — again with another index if another instance took this one.
 */
async function endorse(ctx: Context, scope: MemberScope, subject: Subject, comment: string): Promise<Endorsement> {
  const endorser = scope.collective;
  if (subject.owner.id === endorser.id) throw new AppError('ENDORSE_OWN', 400);
  const text = readComment(comment);
  const id = newId();
  const now = ctx.now();
  for (;;) {
    const reservation = await ctx.store.statusLists.reserve(endorser.id, 'revocation', now.toISOString(), STATUS_LIST_POLICY);
    try {
      const unsigned = {
        '@context': [VC_V2_CONTEXT, OB_V3_CONTEXT],
        id: endorsementUrl(ctx, id),
        type: ['VerifiableCredential', 'EndorsementCredential'],
        name: `${endorser.name} — ${subject.name}`,
        issuer: issuerProfile(ctx, endorser),
        validFrom: isoSeconds(now),
        credentialSubject: { id: subject.url, type: ['EndorsementSubject'], endorsementComment: text },
        credentialStatus: statusEntry(ctx, endorser, reservation.list, reservation.index),
      } as unknown as OpenBadgeCredential;
      const signed = await signAsIssuer(ctx, endorser, unsigned);
      const record: Endorsement = {
        id, endorserId: endorser.id, subjectKind: subject.kind, subjectId: subject.id, comment: text, json: JSON.stringify(signed),
        statusListId: reservation.list.id, statusIndex: reservation.index, createdAt: now.toISOString(), withdrawnAt: null, acceptedAt: null,
      };
      if (await ctx.store.endorsements.insert(record)) return record;
    } finally {
      reservation.release();
    }
  }
}

/** A badge class, as written in this version, endorsed by the scope's collective (or partner). */
export async function endorseAchievement(ctx: Context, scope: MemberScope, versionId: string, comment: string): Promise<Endorsement> {
  const { version, collective } = await findVersion(ctx, versionId);
  return endorse(ctx, scope, { kind: 'achievement', id: version.id, url: achievementUrl(ctx, version), name: version.name, owner: collective }, comment);
}

/** A collective (its Profile) endorsed by the scope's collective (or partner). */
export async function endorseCollective(ctx: Context, scope: MemberScope, slug: string, comment: string): Promise<Endorsement> {
  const collective = await findCollective(ctx, slug);
  return endorse(ctx, scope, { kind: 'profile', id: collective.id, url: issuerDid(ctx, collective), name: collective.name, owner: collective }, comment);
}

/**
 * One person's badge endorsed by the scope's organisation — say, the employer of her internship.
 * It shows on her badge's page once she accepts it from her claim page.
 */
export async function endorseCredential(ctx: Context, scope: MemberScope, credentialId: string, comment: string): Promise<Endorsement> {
  const { record, credential, collective, version } = await findPublicCredential(ctx, credentialId);
  if (record.status === 'revoked') throw new AppError('NOT_FOUND', 404);
  return endorse(ctx, scope, { kind: 'credential', id: record.id, url: credential.id, name: version.name, owner: collective }, comment);
}

/**
 * She accepts an endorsement of her badge: her badge's page shows it, and her badge carries it from
 * now on (OB 3.0 AchievementCredential.endorsement), re-signed as a renewal is — so the files she
 * downloads, shares or sends to a wallet show it to any verifier. Re-signed first: an endorsement is
 * marked accepted only once her badge holds it.
 */
export async function acceptEndorsement(ctx: Context, claimed: { record: CredentialRecord; collective: Collective }, endorsementId: string): Promise<void> {
  const { record, collective } = claimed;
  const found = isId(endorsementId) ? await ctx.store.endorsements.byId(endorsementId) : undefined;
  if (!found || found.subjectKind !== 'credential' || found.subjectId !== record.id || found.acceptedAt || found.withdrawnAt) throw new AppError('NOT_FOUND', 404);
  const endorsement = JSON.parse(found.json) as JsonObject;
  await resignCredential(ctx, collective, record, (credential) => ({
    ...credential, endorsement: [...(credential.endorsement ?? []).filter((e) => e.id !== endorsement.id), endorsement],
  }));
  if (!(await ctx.store.endorsements.accept(endorsementId, record.id, ctx.now().toISOString()))) throw new AppError('NOT_FOUND', 404);
}

/** The endorser withdraws its endorsement: its bit is set, verifiers say so; the badges carrying it stay valid. */
export async function withdrawEndorsement(ctx: Context, scope: Scope, id: string): Promise<void> {
  const found = isId(id) ? await ctx.store.endorsements.byId(id) : undefined;
  if (!found || found.endorserId !== scope.collective.id) throw new AppError('NOT_FOUND', 404);
  if (!(await ctx.store.endorsements.withdraw(scope.collective.id, id, ctx.now().toISOString()))) throw new AppError('ENDORSEMENT_WITHDRAWN', 409);
}

export interface EndorsementView {
  id: string;
  url: string;
  endorser: Collective;
  endorserPage: string;
  comment: string;
  createdAt: string;
  withdrawnAt: string | null;
  acceptedAt: string | null;
}

async function view(ctx: Context, e: Endorsement): Promise<EndorsementView | undefined> {
  const endorser = await ctx.store.collectives.byId(e.endorserId);
  return endorser && {
    id: e.id, url: endorsementUrl(ctx, e.id), endorser, endorserPage: issuerPageUrl(ctx, endorser),
    comment: e.comment, createdAt: e.createdAt, withdrawnAt: e.withdrawnAt, acceptedAt: e.acceptedAt,
  };
}

async function views(ctx: Context, list: Endorsement[]): Promise<EndorsementView[]> {
  return (await Promise.all(list.map((e) => view(ctx, e)))).filter((v): v is EndorsementView => !!v);
}

/** Who endorses this badge class version or collective, withdrawn ones included (the page says so). */
export const endorsementsOf = async (ctx: Context, subjectId: string): Promise<EndorsementView[]> =>
  views(ctx, await ctx.store.endorsements.forSubject(subjectId));

/** The name and page of what an endorsement is about. */
async function subjectOf(ctx: Context, e: Endorsement): Promise<{ subjectName: string; subjectPage: string }> {
  if (e.subjectKind === 'credential') {
    const record = await ctx.store.credentials.byId(e.subjectId);
    const version = record && (await ctx.store.achievements.version(record.versionId));
    return { subjectName: version?.name ?? '', subjectPage: `/credentials/${e.subjectId}` };
  }
  if (e.subjectKind === 'achievement') {
    const version = await ctx.store.achievements.version(e.subjectId);
    return { subjectName: version?.name ?? '', subjectPage: `/achievements/${e.subjectId}` };
  }
  const collective = await ctx.store.collectives.byId(e.subjectId);
  return { subjectName: collective?.name ?? '', subjectPage: collective ? `/issuers/${collective.slug}` : '/' };
}

/** What the scope's collective endorsed, for its page of endorsements. */
export async function endorsementsBy(ctx: Context, scope: Scope) {
  const list = await ctx.store.endorsements.byEndorser(scope.collective.id);
  return Promise.all(list.map(async (e) => ({ ...(await view(ctx, e))!, ...(await subjectOf(ctx, e)) })));
}

/** The signed endorsements still standing for a version: what the badges issued with it carry (`achievement.endorsement`). */
export async function standingEndorsements(ctx: Context, versionId: string): Promise<JsonObject[]> {
  return (await ctx.store.endorsements.forSubject(versionId)).filter((e) => !e.withdrawnAt).map((e) => JSON.parse(e.json) as JsonObject);
}

/** A published endorsement: its page or its signed JSON. */
export async function findEndorsement(ctx: Context, id: string) {
  const found = isId(id) ? await ctx.store.endorsements.byId(id) : undefined;
  const shown = found && (await view(ctx, found));
  if (!found || !shown) throw new AppError('NOT_FOUND', 404);
  return { endorsement: found, view: shown, ...(await subjectOf(ctx, found)), credential: JSON.parse(found.json) as JsonObject };
}

/** The endorsements a badge carries (its Achievement's), as a reader sees them: who, what they said, whether it still stands. */
export async function carriedEndorsements(ctx: Context, credential: OpenBadgeCredential) {
  const carried = ([] as unknown[]).concat(credential.credentialSubject?.achievement?.endorsement ?? []).filter((e): e is JsonObject => !!e && typeof e === 'object');
  return Promise.all(carried.map(async (e) => {
    const issuer = (e.issuer ?? {}) as JsonObject;
    const url = typeof e.id === 'string' ? e.id : '';
    const local = url.startsWith(`${ctx.config.publicUrl}/endorsements/`) ? await ctx.store.endorsements.byId(url.split('/').pop()!) : undefined;
    return {
      name: typeof issuer.name === 'string' ? issuer.name : String(issuer.id ?? ''), url,
      comment: String((e.credentialSubject as JsonObject | undefined)?.endorsementComment ?? ''),
      since: typeof e.validFrom === 'string' ? e.validFrom : undefined, withdrawnAt: local?.withdrawnAt ?? null,
    };
  }));
}

/** The organisations a signed-in person may endorse for (those she administers), other than the subject's owner. */
export async function endorsingFor(ctx: Context, account: Account | undefined, owner: Collective): Promise<{ slug: string; name: string }[]> {
  if (!account) return [];
  return (await myCollectives(ctx, account)).filter((c) => c.role === 'admin' && c.slug !== owner.slug);
}
