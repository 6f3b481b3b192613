// Badge classes: create, edit (a new version each time), and copy from the starter catalogue.
// Public: the starter pictures, and each Achievement version (page, JSON-LD, picture).
import { Router, type Request, type Response } from 'express';
import { type AppMessageKey } from '../i18n/index.js';
import { achievementDocument, achievementUrl, currentBadgeClasses, findVersion, ACHIEVEMENT_TYPES, LANGUAGES, copyStarterBadge, createBadgeClass, currentVersion, updateBadgeClass, type BadgeClassForm } from './achievements.js';
import { STARTER_BADGES, starterPicture } from './catalogue.js';
import { AppError } from '../shared/errors.js';
import { field, fieldList, locals, type Fields } from '../web/http.js';
import { frameworks, type AlignmentChoice } from './frameworks.js';
import { bindTo, errorMessage, render, type Web, readUpload } from '../web/render.js';
import { sendJson, wantsJson } from '../web/badge-files.js';
import type { Scope } from '../collectives/collectives.js';
import { MAX_IMAGE_BYTES } from './images.js';
import { endorsementsOf, endorsingFor, standingEndorsements } from '../endorsements/endorsements.js';
import { collectiveBase, memberScope, tr } from '../web/members.js';

export function badgeClassRoutes(web: Web): Router {
  const on = bindTo(web);
  return Router()
    .get('/c/:slug/badges/new', on(async (w, req, res) => newBadgeForm(w, res, await memberScope(w, req, res))))
    .post('/c/:slug/badges', on(postBadgeClass))
    .get('/c/:slug/catalogue', on(showCatalogue))
    .post('/c/:slug/catalogue/:key', on(copyFromCatalogue))
    .get('/c/:slug/badges/:id', on(editBadgeForm))
    .post('/c/:slug/badges/:id', on(postBadgeClassEdit))
    .get('/catalogue/:key.svg', on(getStarterPicture))
    .get('/achievements/:id/image.png', on(getAchievementImage))
    .get('/achievements/:file', on(showAchievement));
}

const typeOptions = (res: Response, selected: string) =>
  ACHIEVEMENT_TYPES.map((value) => ({ value, label: tr(res, `type.${value}` as AppMessageKey), selected: value === selected }));

/** A version's alignments as the form holds them. */
const alignmentValues = (alignments: AlignmentChoice[]): Partial<BadgeClassForm> => ({
  frameworks: alignments.filter((a) => a.framework === 'RECTEC' || a.framework === 'CRCN').map((a) => `${a.framework}:${a.code}`),
  levels: Object.fromEntries(alignments.filter((a) => a.level).map((a) => [a.framework, String(a.level)])),
  esco: alignments.find((a) => a.framework === 'ESCO')?.url ?? '', escoName: alignments.find((a) => a.framework === 'ESCO')?.name ?? '',
  rome: alignments.find((a) => a.framework === 'ROME')?.code ?? '',
});

/** The bundled frameworks as checkboxes, grouped, with a level per framework. */
const frameworkChoices = (values: Partial<BadgeClassForm>) => frameworks().map((f) => ({
  id: f.id, name: f.name, source: f.source,
  levels: f.levels.map((l) => ({ value: l, selected: String(l) === values.levels?.[f.id] })),
  groups: f.groups.map((g) => ({ name: g.name, items: g.items.map((i) => ({ value: `${f.id}:${i.code}`, name: i.name, checked: values.frameworks?.includes(`${f.id}:${i.code}`) })) })),
}));

async function badgeForm(web: Web, res: Response, s: Scope, values: Partial<BadgeClassForm>, extra: Record<string, unknown>, status = 200) {
  const self = (extra.version as { badgeClassId?: string } | undefined)?.badgeClassId;
  const others = (await currentBadgeClasses(web.ctx, s)).filter((v) => v.badgeClassId !== self)
    .map((v) => ({ id: v.badgeClassId, name: v.name, checked: values.keyComponents?.includes(v.badgeClassId) }));
  render(web, res, 'badge-classes/badge-form', { keyChoices: others,
    ...collectiveBase(s), values, types: typeOptions(res, values.achievementType ?? 'ext:SoftSkill'), frameworks: frameworkChoices(values),
    languages: LANGUAGES.map((value) => ({ value, selected: value === (values.language ?? 'fr') })), ...extra,
  }, status);
}

const badgeFields = (f: Fields): Partial<BadgeClassForm> => ({
  name: field(f, 'name'), description: field(f, 'description'), criteria: field(f, 'criteria'), achievementType: field(f, 'achievementType'),
  tags: field(f, 'tags'), language: field(f, 'language'), alignmentUrl: field(f, 'alignmentUrl'), alignmentName: field(f, 'alignmentName'),
  validityDays: field(f, 'validityDays'), statusPurpose: field(f, 'statusPurpose'), imageAlt: field(f, 'imageAlt'), questions: field(f, 'questions'),
  frameworks: fieldList(f, 'framework'), levels: { RECTEC: field(f, 'level_RECTEC'), CRCN: field(f, 'level_CRCN') },
  esco: field(f, 'esco'), escoName: field(f, 'escoName'), rome: field(f, 'rome'),
  keyComponents: fieldList(f, 'keyComponent'), keyNeeded: field(f, 'keyNeeded'), keyAuto: field(f, 'keyAuto'), keyOutside: field(f, 'keyOutside'),
});

const newBadgeForm = (web: Web, res: Response, s: Scope, values: Partial<BadgeClassForm> = {}, error?: unknown) =>
  badgeForm(web, res, s, values, {
    title: tr(res, 'badge.title.new'), action: `/c/${s.collective.slug}/badges`, isNew: true, error: error === undefined ? undefined : errorMessage(res, error),
  }, error instanceof AppError ? error.status : 200);

async function postBadgeClass(web: Web, req: Request, res: Response) {
  const s = await memberScope(web, req, res);
  const upload = await readUpload(req, MAX_IMAGE_BYTES);
  const values = badgeFields(upload.fields);
  try {
    await createBadgeClass(web.ctx, s, values, upload.file?.bytes);
    res.redirect(303, `/c/${s.collective.slug}`);
  } catch (error) {
    await newBadgeForm(web, res, s, values, error);
  }
}

async function showCatalogue(web: Web, req: Request, res: Response) {
  const s = await memberScope(web, req, res);
  render(web, res, 'badge-classes/catalogue', { ...collectiveBase(s), title: tr(res, 'catalogue.title'), starters: STARTER_BADGES.map((b) => ({ ...b, typeKey: `type.${b.achievementType}` })) });
}

async function copyFromCatalogue(web: Web, req: Request, res: Response) {
  const s = await memberScope(web, req, res);
  const version = await copyStarterBadge(web.ctx, s, String(req.params.key));
  res.redirect(303, `/c/${s.collective.slug}/badges/${version.badgeClassId}`);
}

async function editBadgeForm(web: Web, req: Request, res: Response) {
  const s = await memberScope(web, req, res);
  const version = await currentVersion(web.ctx, s, String(req.params.id));
  const values: Partial<BadgeClassForm> = {
    ...version, tags: version.tags.join(', '), validityDays: version.validityDays ? String(version.validityDays) : '', questions: version.questions.join('\n'),
    ...alignmentValues(version.alignments),
    keyComponents: version.keyOf?.components ?? [], keyNeeded: version.keyOf ? String(version.keyOf.needed) : '', keyAuto: version.keyOf?.auto ? 'yes' : '', keyOutside: (version.keyOf?.outside ?? []).join('\n'),
  };
  await badgeForm(web, res, s, values, {
    title: tr(res, 'badge.title.edit'), action: `/c/${s.collective.slug}/badges/${version.badgeClassId}`, version, imageUrl: `/achievements/${version.id}/image.png`,
  });
}

async function postBadgeClassEdit(web: Web, req: Request, res: Response) {
  const s = await memberScope(web, req, res);
  const current = await currentVersion(web.ctx, s, String(req.params.id));
  const upload = await readUpload(req, MAX_IMAGE_BYTES);
  const values = badgeFields(upload.fields);
  try {
    await updateBadgeClass(web.ctx, s, current.badgeClassId, values, upload.file?.bytes);
    res.redirect(303, `/c/${s.collective.slug}`);
  } catch (error) {
    await badgeForm(web, res, s, values, {
      title: tr(res, 'badge.title.edit'), action: `/c/${s.collective.slug}/badges/${current.badgeClassId}`, version: current,
      imageUrl: `/achievements/${current.id}/image.png`, error: errorMessage(res, error),
    }, (error as AppError).status);
  }
}

function getStarterPicture(_web: Web, req: Request, res: Response) {
  const starter = STARTER_BADGES.find((b) => b.key === req.params.key);
  if (!starter) throw new AppError('NOT_FOUND', 404);
  res.type('image/svg+xml').set('Cache-Control', 'public, max-age=86400').send(starterPicture(starter));
}

async function getAchievementImage(web: Web, req: Request, res: Response) {
  const { version } = await findVersion(web.ctx, String(req.params.id));
  // Versions are immutable, so their pictures can be cached for good.
  res.type('png').set('Cache-Control', 'public, max-age=31536000, immutable').set('Access-Control-Allow-Origin', '*').send(version.imagePng);
}

async function showAchievement(web: Web, req: Request, res: Response) {
  const [id, ext] = String(req.params.file).split('.', 2) as [string, string | undefined];
  if (ext !== undefined && ext !== 'json') throw new AppError('NOT_FOUND', 404);
  const { version, collective } = await findVersion(web.ctx, id);
  if (ext === 'json' || wantsJson(req)) return sendJson(res, achievementDocument(web.ctx, collective, version, await standingEndorsements(web.ctx, version.id)));
  const url = achievementUrl(web.ctx, version);
  const [endorsements, endorseAs] = await Promise.all([endorsementsOf(web.ctx, version.id), endorsingFor(web.ctx, locals(res).account, collective)]);
  render(web, res, 'badge-classes/achievement', {
    title: version.name, version, collective, imageUrl: `/achievements/${version.id}/image.png`, endorsements, endorseAs,
    typeKey: `type.${version.achievementType}`,
    og: { title: version.name, description: version.description, url, image: `${url}/image.png` },
  });
}
