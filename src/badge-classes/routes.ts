// Badge classes: create, edit (a new version each time), and copy from the starter catalogue.
import { Router, type Request, type Response } from 'express';
import { type AppMessageKey } from '../i18n/index.js';
import { achievementDocument, achievementUrl, findVersion, ACHIEVEMENT_TYPES, LANGUAGES, copyStarterBadge, createBadgeClass, currentVersion, updateBadgeClass, type BadgeClassForm } from './achievements.js';
import { STARTER_BADGES, starterPicture } from './catalogue.js';
import { AppError } from '../shared/errors.js';
import type { Role } from '../store/index.js';
import { field, type Fields } from '../web/http.js';
import { errorMessage, render, type Web, readUpload } from '../web/render.js';
import { sendJson, wantsJson } from '../web/badge-files.js';
import type { Scope } from '../collectives/collectives.js';
import { MAX_IMAGE_BYTES } from './images.js';
import { collectiveBase, memberScope, tr } from '../web/members.js';

export function badgeClassRoutes(web: Web): Router {
  const { ctx } = web;
  const router = Router();
  const scope = (req: Request, res: Response, role: Role = 'facilitator') => memberScope(web, req, res, role);
  const base = collectiveBase;
  const multipart = (req: Request, maxFileBytes: number) => readUpload(req, maxFileBytes);

  // ---- badge classes ----
  const typeOptions = (res: Response, selected: string) =>
    ACHIEVEMENT_TYPES.map((value) => ({ value, label: tr(res, `type.${value}` as AppMessageKey), selected: value === selected }));
  const badgeFormView = (res: Response, s: Scope, values: Partial<BadgeClassForm>, extra: Record<string, unknown>) => ({
    ...base(s), values, types: typeOptions(res, values.achievementType ?? 'ext:SoftSkill'),
    languages: LANGUAGES.map((value) => ({ value, selected: value === (values.language ?? 'fr') })), ...extra,
  });
  const badgeFields = (f: Fields): Partial<BadgeClassForm> => ({
    name: field(f, 'name'), description: field(f, 'description'), criteria: field(f, 'criteria'), achievementType: field(f, 'achievementType'),
    tags: field(f, 'tags'), language: field(f, 'language'), alignmentUrl: field(f, 'alignmentUrl'), alignmentName: field(f, 'alignmentName'),
    validityDays: field(f, 'validityDays'), statusPurpose: field(f, 'statusPurpose'), imageAlt: field(f, 'imageAlt'),
  });

  router.get('/c/:slug/badges/new', async (req, res) => {
    const s = await scope(req, res);
    render(web, res, 'facilitator/badge-form', badgeFormView(res, s, {}, { title: tr(res, 'badge.title.new'), action: `/c/${s.collective.slug}/badges`, isNew: true }));
  });

  router.post('/c/:slug/badges', async (req, res) => {
    const s = await scope(req, res);
    const form = await multipart(req, MAX_IMAGE_BYTES);
    const values = badgeFields(form.fields);
    try {
      await createBadgeClass(ctx, s, values, form.file?.bytes);
      res.redirect(303, `/c/${s.collective.slug}`);
    } catch (error) {
      render(web, res, 'facilitator/badge-form', badgeFormView(res, s, values, { title: tr(res, 'badge.title.new'), action: `/c/${s.collective.slug}/badges`, isNew: true, error: errorMessage(res, error) }), (error as AppError).status);
    }
  });

  router.get('/c/:slug/catalogue', async (req, res) => {
    const s = await scope(req, res);
    render(web, res, 'facilitator/catalogue', { ...base(s), title: tr(res, 'catalogue.title'), starters: STARTER_BADGES.map((b) => ({ ...b, typeKey: `type.${b.achievementType}` })) });
  });

  router.post('/c/:slug/catalogue/:key', async (req, res) => {
    const s = await scope(req, res);
    const version = await copyStarterBadge(ctx, s, req.params.key);
    res.redirect(303, `/c/${s.collective.slug}/badges/${version.badgeClassId}`);
  });

  router.get('/c/:slug/badges/:id', async (req, res) => {
    const s = await scope(req, res);
    const v = await currentVersion(ctx, s, req.params.id);
    const values: Partial<BadgeClassForm> = { ...v, tags: v.tags.join(', '), validityDays: v.validityDays ? String(v.validityDays) : '' };
    render(web, res, 'facilitator/badge-form', badgeFormView(res, s, values, {
      title: tr(res, 'badge.title.edit'), action: `/c/${s.collective.slug}/badges/${v.badgeClassId}`, version: v, imageUrl: `/achievements/${v.id}/image.png`,
    }));
  });

  router.post('/c/:slug/badges/:id', async (req, res) => {
    const s = await scope(req, res);
    const current = await currentVersion(ctx, s, req.params.id);
    const form = await multipart(req, MAX_IMAGE_BYTES);
    const values = badgeFields(form.fields);
    try {
      await updateBadgeClass(ctx, s, current.badgeClassId, values, form.file?.bytes);
      res.redirect(303, `/c/${s.collective.slug}`);
    } catch (error) {
      render(web, res, 'facilitator/badge-form', badgeFormView(res, s, values, {
        title: tr(res, 'badge.title.edit'), action: `/c/${s.collective.slug}/badges/${current.badgeClassId}`, version: current,
        imageUrl: `/achievements/${current.id}/image.png`, error: errorMessage(res, error),
      }), (error as AppError).status);
    }
  });

  // ---- public: the starter pictures, a badge class version (page, JSON-LD, picture) ----
  router.get('/catalogue/:key.svg', (req, res) => {
    const starter = STARTER_BADGES.find((b) => b.key === req.params.key);
    if (!starter) throw new AppError('NOT_FOUND', 404);
    res.type('image/svg+xml').set('Cache-Control', 'public, max-age=86400').send(starterPicture(starter));
  });

  const achievement = (id: string) => findVersion(ctx, id);

  router.get('/achievements/:id/image.png', async (req, res) => {
    const { version } = await achievement(req.params.id);
    // Versions are immutable, so their pictures can be cached for good.
    res.type('png').set('Cache-Control', 'public, max-age=31536000, immutable').set('Access-Control-Allow-Origin', '*').send(version.imagePng);
  });

  router.get('/achievements/:file', async (req, res) => {
    const [id, ext] = req.params.file.split('.', 2) as [string, string | undefined];
    if (ext !== undefined && ext !== 'json') throw new AppError('NOT_FOUND', 404);
    const { version, collective } = await achievement(id);
    if (ext === 'json' || wantsJson(req)) return sendJson(res, achievementDocument(ctx, collective, version));
    const url = achievementUrl(ctx, version);
    render(web, res, 'public/achievement', {
      title: version.name, version, collective, imageUrl: `/achievements/${version.id}/image.png`,
      typeKey: `type.${version.achievementType}`,
      og: { title: version.name, description: version.description, url, image: `${url}/image.png` },
    });
  });

  return router;
}
