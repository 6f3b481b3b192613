// A badge she brings from elsewhere (issue 20 §4): presented from her claim page (its file or its
// address), verified by our verifier like any badge, and kept — who issued it, which Achievement —
// only when it verifies, was issued to her own email address, and is one a badge-clé of this
// collective accepts. It then counts for that badge-clé.
import type { Context } from '../shared/context.js';
import type { Lang } from '../ob3/model.js';
import type { VerifyInput } from '../ob3/verify/input.js';
import { newId } from '../store/ids.js';
import type { CredentialRecord } from '../store/index.js';
import { AppError } from '../shared/errors.js';
import { verifyBadge } from '../verifier/verifying.js';

export interface PresentedBadge { id: string; collectiveId: string; participantId: string; achievementId: string; credentialId: string; badgeName: string; issuerName: string; presentedAt: string }

/** The Achievement ids other issuers may bring for this collective's badges-clés. */
export async function acceptedFromElsewhere(ctx: Context, collectiveId: string): Promise<Set<string>> {
  return new Set((await ctx.store.achievements.current(collectiveId)).flatMap((v) => v.keyOf?.outside ?? []));
}

export async function presentBadge(ctx: Context, record: CredentialRecord, email: string | undefined, input: VerifyInput, lang: Lang): Promise<PresentedBadge> {
  if (!record.participantId) throw new AppError('NOT_FOUND', 404);
  // Whose badge it is can only be told by the email it was issued to.
  if (!email) throw new AppError('PRESENTED_NO_EMAIL', 400);
  const { report, recipientMatches } = await verifyBadge(ctx, input, lang, email);
  // Authentic and in force first (the verdict); then hers (a recipient who differs fails `verified` but not the verdict).
  if (report.verdict !== 'valid' || !report.credential) throw new AppError('PRESENTED_NOT_VERIFIED', 400, { verdict: report.verdict });
  if (recipientMatches !== true) throw new AppError('PRESENTED_NOT_YOURS', 400);
  const achievement = report.credential.credentialSubject?.achievement;
  const achievementId = typeof achievement?.id === 'string' ? achievement.id : '';
  if (!(await acceptedFromElsewhere(ctx, record.collectiveId)).has(achievementId)) throw new AppError('PRESENTED_NOT_ACCEPTED', 400);
  const issuer = report.credential.issuer;
  const text = (value: unknown) => (typeof value === 'string' ? value : typeof value === 'object' && value ? String(Object.values(value)[0] ?? '') : '');
  const presented: PresentedBadge = {
    id: newId(), collectiveId: record.collectiveId, participantId: record.participantId, achievementId, credentialId: String(report.credential.id ?? ''),
    badgeName: text(achievement?.name), issuerName: typeof issuer === 'object' ? text(issuer.name) : String(issuer ?? ''), presentedAt: ctx.now().toISOString(),
  };
  await ctx.store.presented.add(presented);
  return presented;
}
