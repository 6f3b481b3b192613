// Ateliers and their participants: create and edit, add by hand or import a spreadsheet, consent,
// correction (her badges are signed again), erasure.
import { Router, type Request, type Response } from 'express';
import { formatDate, type AppMessageKey } from '../i18n/index.js';
import { pickupState } from '../learners/handover.js';
import { requestsOf } from '../requests/requests.js';
import { dueKeyBadges, offerAccepted } from '../issuing/key-badges.js';
import { factChoices } from '../reports/choices.js';
import { currentBadgeClasses } from '../badge-classes/achievements.js';
import { MAX_CSV_BYTES, addParticipant, atelierParticipants, createAtelier, eraseParticipant, findAtelier, findParticipant, importParticipants, recordConsent, updateAtelier } from './ateliers.js';
import type { Scope } from '../collectives/collectives.js';
import type { AppError } from '../shared/errors.js';
import { atelierCredentials, correctParticipant } from '../issuing/issuing.js';
import type { Participant } from './repository.js';
import { field, fieldList, form, locals, type Fields } from '../web/http.js';
import { bindTo, errorMessage, readUpload, render, type Web } from '../web/render.js';
import { collectiveBase, memberScope, tr } from '../web/members.js';

export function atelierRoutes(web: Web): Router {
  const on = bindTo(web);
  return Router()
    .get('/c/:slug/ateliers/new', on(newAtelier))
    .post('/c/:slug/ateliers', on(postAtelier))
    .get('/c/:slug/ateliers/:id', on(async (w, req, res) =>
      atelierPage(w, res, await memberScope(w, req, res), String(req.params.id), { notice: atelierNotice(res, req.query) })))
    .get('/c/:slug/ateliers/:id/edit', on(editAtelier))
    .post('/c/:slug/ateliers/:id', on(postAtelierEdit))
    .post('/c/:slug/ateliers/:id/participants', on(postParticipant))
    .post('/c/:slug/ateliers/:id/import', on(postImport))
    .post('/c/:slug/participants/:pid/consent', on(postConsent))
    .post('/c/:slug/participants/:pid/key/:badgeClassId', on(postKeyBadge))
    .get('/c/:slug/participants/:pid/edit', on(editParticipant))
    .post('/c/:slug/participants/:pid', on(postParticipantCorrection))
    .post('/c/:slug/participants/:pid/erase', on(postErase));
}

const atelierFields = (f: Fields) => ({
  title: field(f, 'title'), date: field(f, 'date'), place: field(f, 'place'), facilitators: field(f, 'facilitators'), badgeClassIds: fieldList(f, 'badgeClassIds'),
});
type AtelierValues = Record<string, unknown> & { badgeClassIds?: string[] };

/** The atelier form, new (`atelierId` absent) or edit, with the badges it may offer. */
async function atelierForm(web: Web, res: Response, s: Scope, values: AtelierValues, atelierId?: string, error?: unknown) {
  const chosen = values.badgeClassIds ?? [];
  const badges = (await currentBadgeClasses(web.ctx, s)).map((v) => ({ id: v.badgeClassId, name: v.name, checked: chosen.includes(v.badgeClassId) }));
  render(web, res, 'ateliers/atelier-form', {
    ...collectiveBase(s), values, badges, isNew: !atelierId,
    title: tr(res, atelierId ? 'atelier.title.edit' : 'atelier.title.new'),
    action: `/c/${s.collective.slug}/ateliers${atelierId ? `/${atelierId}` : ''}`,
    ...(error ? { error: errorMessage(res, error) } : {}),
  }, error ? (error as AppError).status : 200);
}

async function newAtelier(web: Web, req: Request, res: Response) {
  const s = await memberScope(web, req, res);
  await atelierForm(web, res, s, { date: web.ctx.now().toISOString().slice(0, 10), facilitators: s.account.name });
}

async function postAtelier(web: Web, req: Request, res: Response) {
  const s = await memberScope(web, req, res);
  const values = atelierFields(form(req));
  try {
    const atelier = await createAtelier(web.ctx, s, values);
    res.redirect(303, `/c/${s.collective.slug}/ateliers/${atelier.id}?done=created`);
  } catch (error) {
    await atelierForm(web, res, s, values, undefined, error);
  }
}

async function editAtelier(web: Web, req: Request, res: Response) {
  const s = await memberScope(web, req, res);
  const atelier = await findAtelier(web.ctx, s, String(req.params.id));
  await atelierForm(web, res, s, { ...atelier }, atelier.id);
}

async function postAtelierEdit(web: Web, req: Request, res: Response) {
  const s = await memberScope(web, req, res);
  const values = atelierFields(form(req));
  try {
    await updateAtelier(web.ctx, s, String(req.params.id), values);
    res.redirect(303, `/c/${s.collective.slug}/ateliers/${req.params.id}?done=saved`);
  } catch (error) {
    await atelierForm(web, res, s, values, String(req.params.id), error);
  }
}

/** What the atelier page says after an erasure or a correction (the redirect's query). */
function atelierNotice(res: Response, query: Request['query']): string | undefined {
  if (query.erased) return tr(res, 'atelier.erased');
  if (query.done === 'created' || query.done === 'saved' || query.done === 'added' || query.done === 'consent' || query.done === 'key') return tr(res, `atelier.done.${query.done}`);
  if (typeof query.corrected !== 'string') return undefined;
  const corrected = Number(query.corrected) || 0;
  const left = Number(query.left) || 0;
  return [tr(res, 'participant.saved'), corrected ? tr(res, 'participant.corrected', { count: corrected }) : '', left ? tr(res, 'participant.left', { count: left }) : '']
    .filter(Boolean).join(' ');
}

async function atelierPage(web: Web, res: Response, s: Scope, atelierId: string, extra: Record<string, unknown> = {}, status = 200) {
  const atelier = await findAtelier(web.ctx, s, atelierId);
  const [participants, credentials, versions, requests] = await Promise.all([
    atelierParticipants(web.ctx, s, atelier), atelierCredentials(web.ctx, s, atelier.id), currentBadgeClasses(web.ctx, s), requestsOf(web.ctx, s, atelier.id),
  ]);
  const keyOffers = (await Promise.all(participants.map((p) => dueKeyBadges(web.ctx, s, p)))).flat()
    .map((d) => ({ participantId: d.participant.id, text: tr(res, 'atelier.keyDue', { name: d.participant.name, count: d.components.length, badge: d.version.name }), badgeClassId: d.version.badgeClassId }));
  const names = new Map(versions.map((v) => [v.badgeClassId, v.name]));
  const lang = locals(res).lang;
  const current = credentials.filter((c) => !c.erasedAt && c.status !== 'revoked');
  render(web, res, 'ateliers/atelier', {
    ...collectiveBase(s), title: atelier.title, atelier, issuedCount: current.length, keyOffers, factChoices: factChoices(res), pendingRequests: requests.filter((r) => r.state === 'pending').length,
    pickupCount: tr(res, 'pickup.count', { opened: current.filter((c) => pickupState(c).state !== 'waiting').length, count: current.length }),
    offered: atelier.badgeClassIds.map((id) => ({ id, name: names.get(id) ?? '' })),
    participants: participants.map((p) => ({
      ...p,
      badges: credentials.filter((c) => c.participantId === p.id).map((c) => {
        const { state, at } = pickupState(c);
        return { id: c.id, name: names.get(c.badgeClassId) ?? '', url: `/credentials/${c.id}`, pickup: state, pickupLabel: tr(res, `pickup.${state}`, { date: formatDate(lang, at) }), current: state !== 'revoked' };
      }),
    })),
    ...extra,
  }, status);
}

async function postParticipant(web: Web, req: Request, res: Response) {
  const s = await memberScope(web, req, res);
  const atelierId = String(req.params.id);
  const body = form(req);
  try {
    await addParticipant(web.ctx, s, atelierId, {
      name: field(body, 'name'), email: field(body, 'email'), consent: field(body, 'consent') === 'yes',
      facts: { gender: field(body, 'gender'), age: field(body, 'age'), situation: field(body, 'situation'), commune: field(body, 'commune'), qpv: field(body, 'qpv') },
    });
    res.redirect(303, `/c/${s.collective.slug}/ateliers/${atelierId}?done=added#participants`);
  } catch (error) {
    await atelierPage(web, res, s, atelierId, { participantError: errorMessage(res, error), participantValues: body }, (error as AppError).status);
  }
}

async function postImport(web: Web, req: Request, res: Response) {
  const s = await memberScope(web, req, res);
  const atelierId = String(req.params.id);
  try {
    const upload = await readUpload(req, MAX_CSV_BYTES);
    const report = await importParticipants(web.ctx, s, atelierId, upload.file?.bytes ?? Buffer.alloc(0));
    await atelierPage(web, res, s, atelierId, {
      importReport: {
        imported: report.imported.length,
        rejected: report.rejected.map((r) => ({ ...r, message: tr(res, `error.${r.code}` as AppMessageKey) })),
      },
    });
  } catch (error) {
    await atelierPage(web, res, s, atelierId, { importError: errorMessage(res, error) }, (error as AppError).status);
  }
}

/** The facilitator's one tap on an offered badge-clé. */
async function postKeyBadge(web: Web, req: Request, res: Response) {
  const s = await memberScope(web, req, res);
  const record = await offerAccepted(web.ctx, s, String(req.params.pid), String(req.params.badgeClassId));
  res.redirect(303, `/c/${s.collective.slug}/ateliers/${record.atelierId}?done=key`);
}

async function postConsent(web: Web, req: Request, res: Response) {
  const s = await memberScope(web, req, res);
  const p = await findParticipant(web.ctx, s, String(req.params.pid));
  await recordConsent(web.ctx, s, p.id);
  res.redirect(303, `/c/${s.collective.slug}/ateliers/${p.atelierId}?done=consent#participants`);
}

// Correcting a name or email re-signs her badges with it (same ids, same dates).
async function participantForm(web: Web, res: Response, s: Scope, p: Participant, values: Fields, extra: Record<string, unknown> = {}, status = 200) {
  const badges = (await atelierCredentials(web.ctx, s, p.atelierId)).filter((c) => c.participantId === p.id && !c.erasedAt).length;
  render(web, res, 'ateliers/participant-form', { ...collectiveBase(s), title: tr(res, 'participant.editTitle'), participant: p, values, badges, ...extra }, status);
}

async function editParticipant(web: Web, req: Request, res: Response) {
  const s = await memberScope(web, req, res);
  const p = await findParticipant(web.ctx, s, String(req.params.pid));
  await participantForm(web, res, s, p, { name: p.name, email: p.email });
}

async function postParticipantCorrection(web: Web, req: Request, res: Response) {
  const s = await memberScope(web, req, res);
  const p = await findParticipant(web.ctx, s, String(req.params.pid));
  const body = form(req);
  const values = { name: field(body, 'name'), email: field(body, 'email') };
  try {
    const { corrected, left } = await correctParticipant(web.ctx, s, p.id, values);
    res.redirect(303, `/c/${s.collective.slug}/ateliers/${p.atelierId}?corrected=${corrected}&left=${left}#participants`);
  } catch (error) {
    await participantForm(web, res, s, p, values, { error: errorMessage(res, error) }, (error as AppError).status ?? 400);
  }
}

async function postErase(web: Web, req: Request, res: Response) {
  const s = await memberScope(web, req, res);
  const p = await findParticipant(web.ctx, s, String(req.params.pid));
  await eraseParticipant(web.ctx, s, p.id);
  res.redirect(303, `/c/${s.collective.slug}/ateliers/${p.atelierId}?erased=1#participants`);
}
