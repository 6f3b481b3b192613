// Asking for a badge in one's own words: the atelier's request page (by its link or short code), her
// own page to follow her request, and the facilitator's page to show the QR code and answer.
import { Router, type Request, type Response } from 'express';
import { AppError } from '../shared/errors.js';
import { SECRET_PAGE_HEADERS, field, form } from '../web/http.js';
import { bindTo, errorMessage, readUpload, render, type Web } from '../web/render.js';
import { qrDataUrl } from '../web/qr.js';
import { collectiveBase, memberScope, tr } from '../web/members.js';
import { findAtelier } from '../ateliers/ateliers.js';
import { factChoices } from '../reports/choices.js';
import { currentBadgeClasses } from '../badge-classes/achievements.js';
import type { AppMessageKey } from '../i18n/index.js';
import { acceptRequest, answerRequest, evidencePhoto, followRequest, openRequestPage, ownPhoto, requestEntry, requestPhoto, requestsOf, rewriteRequest, submitRequest } from './requests.js';
import { MAX_PHOTO_BYTES, photoTooLarge } from './photo.js';

export function requestRoutes(web: Web): Router {
  const on = bindTo(web);
  return Router()
    .get('/ask/:token', on((w, req, res) => askPage(w, req, res)))
    // Anyone with the atelier's link may send a photo (re-encoding it takes a core for a moment): limited per address.
    .post('/ask/:token', web.limiter.middleware(), on(postAsk))
    .get('/ask/mine/:token', on((w, req, res) => followPage(w, req, res)))
    .post('/ask/mine/:token', on(postRewrite))
    .get('/ask/mine/:token/photo', on(async (w, req, res) => sendPhoto(res, await ownPhoto(w.ctx, String(req.params.token)), 'private, no-store')))
    .get('/c/:slug/ateliers/:id/requests', on((w, req, res) => requestsPage(w, req, res)))
    .get('/c/:slug/ateliers/:id/requests/:rid/photo', on(async (w, req, res) => sendPhoto(res, await requestPhoto(w.ctx, await memberScope(w, req, res), String(req.params.rid)), 'private, no-store')))
    .post('/c/:slug/ateliers/:id/requests/:rid', on(postAnswer))
    .get('/evidence/:id', on(async (w, req, res) => sendPhoto(res, await evidencePhoto(w.ctx, String(req.params.id)), 'public, max-age=3600')));
}

/** A JPEG from the store; a badge's photo may be cached an hour (erasing it leaves copies at most that long). */
function sendPhoto(res: Response, jpeg: Buffer, cacheControl: string) {
  res.set({ 'Content-Type': 'image/jpeg', 'Cache-Control': cacheControl, 'Cross-Origin-Resource-Policy': 'cross-origin' }).send(jpeg);
}

async function askPage(web: Web, req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) {
  res.set(SECRET_PAGE_HEADERS);
  const { atelier, collective, badges } = await openRequestPage(web.ctx, String(req.params.token));
  render(web, res, 'requests/ask', {
    title: tr(res, 'ask.title', { atelier: atelier.title }), atelier, collective, values: {}, factChoices: factChoices(res),
    badges: badges.map((b) => ({ id: b.badgeClassId, name: b.name, description: b.description, imageUrl: `/achievements/${b.id}/image.png`, questions: b.questions })), ...extra,
  }, status);
}

async function postAsk(web: Web, req: Request, res: Response) {
  // A photo too big is dropped, not the form: she gets her words back with the message.
  const upload = await readUpload(req, MAX_PHOTO_BYTES, undefined, 'report');
  const body = upload.fields;
  const values = {
    badgeClassId: field(body, 'badge'), name: field(body, 'name'), email: field(body, 'email'), reflection: field(body, 'reflection'), consent: field(body, 'consent') === 'yes',
    facts: { gender: field(body, 'gender'), age: field(body, 'age'), situation: field(body, 'situation'), commune: field(body, 'commune'), qpv: field(body, 'qpv') },
  };
  try {
    if (upload.oversized) throw photoTooLarge();
    res.redirect(303, `/ask/mine/${await submitRequest(web.ctx, String(req.params.token), { ...values, ...(upload.file ? { photo: upload.file.bytes } : {}) })}`);
  } catch (error) {
    if (error instanceof AppError && error.code === 'LINK_INVALID') throw error;
    await askPage(web, req, res, { values, error: errorMessage(res, error) }, (error as AppError).status);
  }
}

async function followPage(web: Web, req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) {
  res.set(SECRET_PAGE_HEADERS);
  const { request, collective, badgeName, claimUrl } = await followRequest(web.ctx, String(req.params.token));
  render(web, res, 'requests/follow', {
    title: tr(res, 'ask.followTitle'), request, collective, claimUrl, photoPath: `/ask/mine/${String(req.params.token)}/photo`,
    stateText: tr(res, `ask.state.${request.state}` as AppMessageKey, { badge: badgeName }), ...extra,
  }, status);
}

async function postRewrite(web: Web, req: Request, res: Response) {
  try {
    await rewriteRequest(web.ctx, String(req.params.token), field(form(req), 'reflection'));
    res.redirect(303, `/ask/mine/${req.params.token}`);
  } catch (error) {
    if (error instanceof AppError && error.code === 'LINK_INVALID') throw error;
    await followPage(web, req, res, { error: errorMessage(res, error) }, (error as AppError).status);
  }
}

async function requestsPage(web: Web, req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) {
  const s = await memberScope(web, req, res);
  const atelierId = String(req.params.id);
  const [atelier, entry, requests, names] = await Promise.all([
    findAtelier(web.ctx, s, atelierId), requestEntry(web.ctx, s, atelierId), requestsOf(web.ctx, s, atelierId),
    currentBadgeClasses(web.ctx, s).then((vs) => new Map(vs.map((v) => [v.badgeClassId, v.name]))),
  ]);
  render(web, res, 'requests/requests', {
    ...collectiveBase(s), title: tr(res, 'requests.title'), atelier, ...entry, qr: await qrDataUrl(entry.url),
    requests: requests.map((r) => ({ ...r, badgeName: names.get(r.badgeClassId) ?? '', stateText: tr(res, `requests.state.${r.state}` as AppMessageKey), open: r.state === 'pending' })),
    ...extra,
  }, status);
}

async function postAnswer(web: Web, req: Request, res: Response) {
  const s = await memberScope(web, req, res);
  const body = form(req);
  const action = field(body, 'action');
  try {
    if (action === 'accept') await acceptRequest(web.ctx, s, String(req.params.rid));
    else if (action === 'more' || action === 'declined') await answerRequest(web.ctx, s, String(req.params.rid), action, field(body, 'message'));
    else throw new AppError('FORM_UNREADABLE', 400);
    await requestsPage(web, req, res, { notice: tr(res, action === 'accept' ? 'requests.accepted' : 'requests.answered') });
  } catch (error) {
    await requestsPage(web, req, res, { error: errorMessage(res, error) }, (error as AppError).status);
  }
}
