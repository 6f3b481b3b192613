// Ateliers and their participants: create and edit, add by hand or import a spreadsheet, consent,
// correction (her badges are signed again), erasure.
import { Router, type Request, type Response } from 'express';
import type { AppMessageKey } from '../i18n/index.js';
import { currentBadgeClasses } from '../badge-classes/achievements.js';
import { MAX_CSV_BYTES, addParticipant, atelierParticipants, createAtelier, eraseParticipant, findAtelier, findParticipant, importParticipants, recordConsent, updateAtelier } from './ateliers.js';
import type { Scope } from '../collectives/collectives.js';
import { AppError } from '../shared/errors.js';
import { atelierCredentials, correctParticipant } from '../issuing/issuing.js';
import type { Participant, Role } from '../store/index.js';
import { field, fieldList, form, type Fields } from '../web/http.js';
import { errorMessage, readUpload, render, type Web } from '../web/render.js';
import { collectiveBase, memberScope, tr } from '../web/members.js';

export function atelierRoutes(web: Web): Router {
  const { ctx } = web;
  const router = Router();
  const scope = (req: Request, res: Response, role: Role = 'facilitator') => memberScope(web, req, res, role);
  const base = collectiveBase;
  const multipart = (req: Request, maxFileBytes: number) => readUpload(req, maxFileBytes);

  // ---- ateliers ----
  async function atelierFormView(s: Scope, values: Record<string, unknown>, chosen: string[]) {
    const badges = (await currentBadgeClasses(ctx, s)).map((v) => ({ id: v.badgeClassId, name: v.name, checked: chosen.includes(v.badgeClassId) }));
    return { ...base(s), values, badges };
  }
  const atelierFields = (f: Fields) => ({
    title: field(f, 'title'), date: field(f, 'date'), place: field(f, 'place'), facilitators: field(f, 'facilitators'), badgeClassIds: fieldList(f, 'badgeClassIds'),
  });

  router.get('/c/:slug/ateliers/new', async (req, res) => {
    const s = await scope(req, res);
    const today = ctx.now().toISOString().slice(0, 10);
    render(web, res, 'facilitator/atelier-form', { ...(await atelierFormView(s, { date: today, facilitators: s.account.name }, [])), title: tr(res, 'atelier.title.new'), action: `/c/${s.collective.slug}/ateliers`, isNew: true });
  });

  router.post('/c/:slug/ateliers', async (req, res) => {
    const s = await scope(req, res);
    const values = atelierFields(form(req));
    try {
      const atelier = await createAtelier(ctx, s, values);
      res.redirect(303, `/c/${s.collective.slug}/ateliers/${atelier.id}`);
    } catch (error) {
      render(web, res, 'facilitator/atelier-form', { ...(await atelierFormView(s, values, values.badgeClassIds)), title: tr(res, 'atelier.title.new'), action: `/c/${s.collective.slug}/ateliers`, isNew: true, error: errorMessage(res, error) }, (error as AppError).status);
    }
  });

  /** What the atelier page says after an erasure or a correction (the redirect's query). */
  function atelierNotice(res: Response, query: Request['query']): string | undefined {
    if (query.erased) return tr(res, 'atelier.erased');
    if (typeof query.corrected !== 'string') return undefined;
    const corrected = Number(query.corrected) || 0;
    const left = Number(query.left) || 0;
    return [tr(res, 'participant.saved'), corrected ? tr(res, 'participant.corrected', { count: corrected }) : '', left ? tr(res, 'participant.left', { count: left }) : '']
      .filter(Boolean).join(' ');
  }

  async function atelierPage(atelierId: string, res: Response, s: Scope, extra: Record<string, unknown> = {}, status = 200) {
    const atelier = await findAtelier(ctx, s, atelierId);
    const [participants, credentials, versions] = await Promise.all([
      atelierParticipants(ctx, s, atelier), atelierCredentials(ctx, s, atelier.id), currentBadgeClasses(ctx, s),
    ]);
    const names = new Map(versions.map((v) => [v.badgeClassId, v.name]));
    render(web, res, 'facilitator/atelier', {
      ...base(s), title: atelier.title, atelier,
      offered: atelier.badgeClassIds.map((id) => ({ id, name: names.get(id) ?? '' })),
      participants: participants.map((p) => ({
        ...p,
        badges: credentials.filter((c) => c.participantId === p.id).map((c) => ({ id: c.id, name: names.get(c.badgeClassId) ?? '', url: `/credentials/${c.id}` })),
      })),
      ...extra,
    }, status);
  }

  router.get('/c/:slug/ateliers/:id', async (req, res) =>
    atelierPage(req.params.id, res, await scope(req, res), { notice: atelierNotice(res, req.query) }));

  router.get('/c/:slug/ateliers/:id/edit', async (req, res) => {
    const s = await scope(req, res);
    const atelier = await findAtelier(ctx, s, req.params.id);
    render(web, res, 'facilitator/atelier-form', { ...(await atelierFormView(s, { ...atelier }, atelier.badgeClassIds)), title: tr(res, 'atelier.title.edit'), action: `/c/${s.collective.slug}/ateliers/${atelier.id}` });
  });

  router.post('/c/:slug/ateliers/:id', async (req, res) => {
    const s = await scope(req, res);
    const values = atelierFields(form(req));
    try {
      await updateAtelier(ctx, s, req.params.id, values);
      res.redirect(303, `/c/${s.collective.slug}/ateliers/${req.params.id}`);
    } catch (error) {
      render(web, res, 'facilitator/atelier-form', { ...(await atelierFormView(s, values, values.badgeClassIds)), title: tr(res, 'atelier.title.edit'), action: `/c/${s.collective.slug}/ateliers/${req.params.id}`, error: errorMessage(res, error) }, (error as AppError).status);
    }
  });

  router.post('/c/:slug/ateliers/:id/participants', async (req, res) => {
    const s = await scope(req, res);
    const body = form(req);
    try {
      await addParticipant(ctx, s, req.params.id, { name: field(body, 'name'), email: field(body, 'email'), consent: field(body, 'consent') === 'yes' });
      res.redirect(303, `/c/${s.collective.slug}/ateliers/${req.params.id}#participants`);
    } catch (error) {
      await atelierPage(req.params.id, res, s, { participantError: errorMessage(res, error), participantValues: body }, (error as AppError).status);
    }
  });

  router.post('/c/:slug/ateliers/:id/import', async (req, res) => {
    const s = await scope(req, res);
    try {
      const form = await multipart(req, MAX_CSV_BYTES);
      const report = await importParticipants(ctx, s, req.params.id, form.file?.bytes ?? Buffer.alloc(0));
      await atelierPage(req.params.id, res, s, {
        importReport: {
          imported: report.imported.length,
          rejected: report.rejected.map((r) => ({ ...r, message: tr(res, `error.${r.code}` as AppMessageKey) })),
        },
      });
    } catch (error) {
      await atelierPage(req.params.id, res, s, { importError: errorMessage(res, error) }, (error as AppError).status);
    }
  });

  router.post('/c/:slug/participants/:pid/consent', async (req, res) => {
    const s = await scope(req, res);
    const p = await findParticipant(ctx, s, req.params.pid);
    await recordConsent(ctx, s, p.id);
    res.redirect(303, `/c/${s.collective.slug}/ateliers/${p.atelierId}#participants`);
  });

  // Correcting a name or email re-signs her badges with it (same ids, same dates).
  async function participantForm(res: Response, s: Scope, p: Participant, values: Fields, extra: Record<string, unknown> = {}, status = 200) {
    const badges = (await atelierCredentials(ctx, s, p.atelierId)).filter((c) => c.participantId === p.id && !c.erasedAt).length;
    render(web, res, 'facilitator/participant-form', { ...base(s), title: tr(res, 'participant.editTitle'), participant: p, values, badges, ...extra }, status);
  }

  router.get('/c/:slug/participants/:pid/edit', async (req, res) => {
    const s = await scope(req, res);
    const p = await findParticipant(ctx, s, req.params.pid);
    await participantForm(res, s, p, { name: p.name, email: p.email });
  });

  router.post('/c/:slug/participants/:pid', async (req, res) => {
    const s = await scope(req, res);
    const p = await findParticipant(ctx, s, req.params.pid);
    const values = { name: field(form(req), 'name'), email: field(form(req), 'email') };
    try {
      const { corrected, left } = await correctParticipant(ctx, s, p.id, values);
      res.redirect(303, `/c/${s.collective.slug}/ateliers/${p.atelierId}?corrected=${corrected}&left=${left}#participants`);
    } catch (error) {
      await participantForm(res, s, p, values, { error: errorMessage(res, error) }, (error as AppError).status ?? 400);
    }
  });

  router.post('/c/:slug/participants/:pid/erase', async (req, res) => {
    const s = await scope(req, res);
    const p = await findParticipant(ctx, s, req.params.pid);
    await eraseParticipant(ctx, s, p.id);
    res.redirect(303, `/c/${s.collective.slug}/ateliers/${p.atelierId}?erased=1#participants`);
  });


  return router;
}
