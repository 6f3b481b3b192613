// Badge classes (OB Achievements). Each edit makes a new immutable version: badges already
// issued keep pointing at the version they were issued with.
import { alignmentEntries, readAlignments } from './frameworks.js';
import { INFORMAL_ACHIEVEMENT_TYPES, OB_EXTENSIONS_CONTEXT, buildAchievement, type AchievementInput } from '../ob3/build.js';
import { OB_V3_CONTEXT, VC_V2_CONTEXT, type Achievement, type AchievementType, type JsonObject } from '../ob3/model.js';
import type { AchievementVersion, Collective, StatusPurpose } from '../store/index.js';
import { isId, newId } from '../store/ids.js';
import { STARTER_ALIGNMENTS, STARTER_BADGES, starterPicture } from './catalogue.js';
import type { Scope } from '../collectives/collectives.js';
import type { Context } from '../shared/context.js';
import { hasHiddenCharacters } from '../shared/text.js';
import { AppError } from '../shared/errors.js';
import { normaliseImage } from './images.js';
import { issuerProfile } from '../collectives/issuers.js';

export const ACHIEVEMENT_TYPES = [...INFORMAL_ACHIEVEMENT_TYPES, 'Badge', 'Competency', 'Achievement', 'CommunityService'] as const;
export const LANGUAGES = ['fr', 'en', 'oc', 'es', 'ca'] as const;

export interface BadgeClassForm {
  name: string;
  description: string;
  criteria: string;
  achievementType: string;
  tags: string;
  language: string;
  alignmentUrl: string;
  alignmentName: string;
  validityDays: string;
  /** `suspension`: its badges can be suspended and reinstated; `revocation` (default): withdrawn for good. */
  statusPurpose: string;
  imageAlt: string;
  /** One question per line, three at most: they guide a person asking for this badge. */
  questions: string;
  /** Framework competences (`RECTEC:ORG3`…), the level per framework, an ESCO skill URI (and its name), a ROME code. */
  frameworks: string[];
  levels: Partial<Record<'RECTEC' | 'CRCN', string>>;
  esco: string;
  escoName: string;
  rome: string;
  /** A badge-clé: the badge classes it gathers, how many are needed, whether it is issued without asking. */
  keyComponents: string[];
  keyNeeded: string;
  keyAuto: string;
  /** Achievement addresses of badges from elsewhere that count too, one per line. */
  keyOutside: string;
}

type Fields = Omit<AchievementVersion, 'id' | 'badgeClassId' | 'collectiveId' | 'version' | 'imagePng' | 'imageSvg' | 'createdAt'>;

/** Checks a form; every problem at once, so the page can show them all. */
export function readBadgeClassForm(form: Partial<BadgeClassForm>): Fields {
  const s = (v: string | undefined) => (v ?? '').trim();
  const problems: string[] = [];
  const name = s(form.name);
  if (!name || name.length > 120) problems.push('name');
  const description = s(form.description);
  if (!description) problems.push('description');
  const criteria = s(form.criteria);
  if (!criteria) problems.push('criteria');
  const imageAlt = s(form.imageAlt);
  if (!imageAlt) problems.push('imageAlt');
  const achievementType = s(form.achievementType) || 'ext:SoftSkill';
  if (!(ACHIEVEMENT_TYPES as readonly string[]).includes(achievementType)) problems.push('achievementType');
  const language = s(form.language) || 'fr';
  if (!(LANGUAGES as readonly string[]).includes(language)) problems.push('language');
  const alignmentUrl = s(form.alignmentUrl);
  const alignmentName = s(form.alignmentName);
  if (alignmentUrl && (!/^https?:\/\/\S+$/.test(alignmentUrl) || !alignmentName)) problems.push('alignment');
  const days = s(form.validityDays);
  const validityDays = days ? Number(days) : null;
  if (validityDays !== null && (!Number.isInteger(validityDays) || validityDays < 1 || validityDays > 36500)) problems.push('validityDays');
  const purpose = s(form.statusPurpose) || 'revocation';
  if (purpose !== 'revocation' && purpose !== 'suspension') problems.push('statusPurpose');
  const statusPurpose: StatusPurpose = purpose === 'suspension' ? 'suspension' : 'revocation';
  // Words signed into every badge: none that a wrong encoding or a spoof left in (shared/text.ts).
  for (const [field, value, multiline] of [['name', name, false], ['description', description, true], ['criteria', criteria, true],
    ['imageAlt', imageAlt, false], ['tags', s(form.tags), false], ['alignment', alignmentName, false]] as const) {
    if (hasHiddenCharacters(value, multiline) && !problems.includes(field)) problems.push(field);
  }
  const questions = s(form.questions).split(/\r?\n/).map((q) => q.trim()).filter(Boolean);
  if (questions.length > 3 || questions.some((q) => q.length > 200 || hasHiddenCharacters(q))) problems.push('questions');
  const { alignments, problem } = readAlignments({ chosen: form.frameworks ?? [], levels: form.levels ?? {}, esco: s(form.esco), escoName: s(form.escoName), rome: s(form.rome) });
  if (problem || hasHiddenCharacters(s(form.escoName))) problems.push(problem ?? 'esco');
  const components = [...new Set(form.keyComponents ?? [])];
  const outside = [...new Set(s(form.keyOutside).split(/\s+/).filter(Boolean))];
  if (outside.some((u) => !/^(https?:\/\/|urn:)\S+$/.test(u))) problems.push('keyOf');
  const total = components.length + outside.length;
  const needed = s(form.keyNeeded) ? Number(s(form.keyNeeded)) : total;
  if (total && (!Number.isInteger(needed) || needed < 1 || needed > total)) problems.push('keyOf');
  const keyOf = total ? { components, needed, auto: form.keyAuto === 'yes', ...(outside.length ? { outside } : {}) } : null;
  if (problems.length) throw new AppError('BADGE_FORM_INVALID', 400, { fields: problems.join(',') });
  const tags = [...new Set(s(form.tags).split(/[,;]/).map((t) => t.trim()).filter(Boolean))].slice(0, 20);
  return { name, description, criteria, achievementType, tags, language, alignmentUrl, alignmentName: alignmentUrl ? alignmentName : '', validityDays, statusPurpose, imageAlt, questions, alignments, keyOf };
}

/** A badge-clé gathers other badge classes of the same collective, never itself. */
async function checkKeyComponents(ctx: Context, { collective }: Scope, keyOf: AchievementVersion['keyOf'], self: string | undefined): Promise<void> {
  if (!keyOf) return;
  const known = new Set((await ctx.store.achievements.current(collective.id)).map((v) => v.badgeClassId));
  if (keyOf.components.some((id) => id === self || !known.has(id))) throw new AppError('BADGE_FORM_INVALID', 400, { fields: 'keyOf' });
}

export async function createBadgeClass(ctx: Context, scope: Scope, form: Partial<BadgeClassForm>, image: Buffer | undefined): Promise<AchievementVersion> {
  const { collective } = scope;
  const fields = readBadgeClassForm(form);
  await checkKeyComponents(ctx, scope, fields.keyOf, undefined);
  if (!image?.length) throw new AppError('IMAGE_MISSING');
  const { png, svg } = await normaliseImage(image);
  const now = ctx.now().toISOString();
  const badgeClassId = newId();
  const version: AchievementVersion = {
    ...fields, id: newId(), badgeClassId, collectiveId: collective.id, version: 1, imagePng: png, imageSvg: svg, createdAt: now,
  };
  await ctx.store.achievements.create({ id: badgeClassId, collectiveId: collective.id, currentVersionId: version.id, createdAt: now }, version);
  return version;
}

/** Saves an edit as a new version; the picture stays unless a new one is given. */
export async function updateBadgeClass(
  ctx: Context, scope: Scope, badgeClassId: string, form: Partial<BadgeClassForm>, image: Buffer | undefined,
): Promise<AchievementVersion> {
  const { collective } = scope;
  const badgeClass = await ctx.store.achievements.classById(collective.id, badgeClassId);
  const current = badgeClass && (await ctx.store.achievements.version(badgeClass.currentVersionId));
  if (!current) throw new AppError('NOT_FOUND', 404);
  const fields = readBadgeClassForm(form);
  await checkKeyComponents(ctx, scope, fields.keyOf, badgeClassId);
  const picture = image?.length ? await normaliseImage(image) : { png: current.imagePng, svg: current.imageSvg };
  const version: AchievementVersion = {
    ...fields, id: newId(), badgeClassId, collectiveId: collective.id, version: current.version + 1,
    imagePng: picture.png, imageSvg: picture.svg, createdAt: ctx.now().toISOString(),
  };
  await ctx.store.achievements.addVersion(version);
  return version;
}

export async function currentVersion(ctx: Context, scope: Scope, badgeClassId: string): Promise<AchievementVersion> {
  const { collective } = scope;
  const badgeClass = await ctx.store.achievements.classById(collective.id, badgeClassId);
  const version = badgeClass && (await ctx.store.achievements.version(badgeClass.currentVersionId));
  if (!version) throw new AppError('NOT_FOUND', 404);
  return version;
}

export async function copyStarterBadge(ctx: Context, scope: Scope, key: string): Promise<AchievementVersion> {
  const starter = STARTER_BADGES.find((b) => b.key === key);
  if (!starter) throw new AppError('NOT_FOUND', 404);
  return createBadgeClass(ctx, scope, {
    name: starter.name, description: starter.description, criteria: starter.criteria, achievementType: starter.achievementType,
    tags: starter.tags.join(', '), language: 'fr', imageAlt: starter.alt,
    frameworks: STARTER_ALIGNMENTS[starter.key] ?? [], levels: { RECTEC: '1', CRCN: '1' },
  }, Buffer.from(starterPicture(starter)));
}

export function achievementUrl(ctx: Context, version: Pick<AchievementVersion, 'id'>): string {
  return `${ctx.config.publicUrl}/achievements/${version.id}`;
}

export function achievementInput(ctx: Context, collective: Collective, v: AchievementVersion, endorsements: JsonObject[] = []): AchievementInput {
  return {
    id: achievementUrl(ctx, v),
    name: v.name,
    description: v.description,
    criteriaNarrative: v.criteria,
    image: { url: `${achievementUrl(ctx, v)}/image.png`, alt: v.imageAlt },
    achievementType: v.achievementType as AchievementType,
    tags: v.tags,
    inLanguage: v.language,
    version: String(v.version),
    creator: issuerProfile(ctx, collective),
    ...(endorsements.length ? { endorsements } : {}),
    ...(v.alignments.length || v.alignmentUrl
      ? { alignments: [...alignmentEntries(v.alignments), ...(v.alignmentUrl ? [{ targetName: v.alignmentName, targetUrl: v.alignmentUrl }] : [])] } : {}),
  };
}

/** The Achievement as JSON-LD, served at its own URL. */
export function achievementDocument(ctx: Context, collective: Collective, v: AchievementVersion, endorsements: JsonObject[] = []): Achievement & { '@context': string[] } {
  return { '@context': [VC_V2_CONTEXT, OB_V3_CONTEXT, OB_EXTENSIONS_CONTEXT], ...buildAchievement(achievementInput(ctx, collective, v, endorsements)) };
}

/** The collective's badge classes, each at its current version. */
export const currentBadgeClasses = (ctx: Context, { collective }: Scope): Promise<AchievementVersion[]> =>
  ctx.store.achievements.current(collective.id);

/** What a public issuer page lists: the collective's badge classes as they are now. */
export const publishedBadgeClasses = (ctx: Context, collective: Collective): Promise<AchievementVersion[]> =>
  ctx.store.achievements.current(collective.id);

/** A published version (its page, its picture) and the collective that published it. */
export async function findVersion(ctx: Context, id: string): Promise<{ version: AchievementVersion; collective: Collective }> {
  const version = isId(id) ? await ctx.store.achievements.version(id) : undefined;
  const collective = version && (await ctx.store.collectives.byId(version.collectiveId));
  if (!version || !collective) throw new AppError('NOT_FOUND', 404);
  return { version, collective };
}
