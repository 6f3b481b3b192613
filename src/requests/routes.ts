// Asking for a badge in one's own words: the atelier's request page (by its link or short code), her
// own page to follow her request, and the facilitator's page to show the QR code and answer.
import { Router, type Request, type Response } from 'express';
import { AppError } from '../shared/errors.js';
import { SECRET_PAGE_HEADERS, field, form } from '../web/http.js';
import { bindTo, errorMessage, render, type Web } from '../web/render.js';
import { qrDataUrl } from '../web/qr.js';
import { collectiveBase, memberScope, tr } from '../web/members.js';
import { findAtelier } from '../ateliers/ateliers.js';
import { factChoices } from '../reports/choices.js';
import { currentBadgeClasses } from '../badge-classes/achievements.js';
import type { AppMessageKey } from '../i18n/index.js';
import { acceptRequest, answerRequest, followRequest, openRequestPage, requestEntry, requestsOf, rewriteRequest, submitRequest } from './requests.js';

export function requestRoutes(web: Web): Router {
  const on = bindTo(web);
  return Router()
    .get('/ask/:token', on((w, req, res) => askPage(w, req, res)))
    .post('/ask/:token', on(postAsk))
    .get('/ask/mine/:token', on((w, req, res) => followPage(w, req, res)))
    .post('/ask/mine/:token', on(postRewrite))
    .get('/c/:slug/ateliers/:id/requests', on((w, req, res) => requestsPage(w, req, res)))
    .post('/c/:slug/ateliers/:id/requests/:rid', on(postAnswer));
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
  const body = form(req);
  const values = {
    badgeClassId: field(body, 'badge'), name: field(body, 'name'), email: field(body, 'email'), reflection: field(body, 'reflection'), consent: field(body, 'consent') === 'yes',
    facts: { gender: field(body, 'gender'), age: field(body, 'age'), situation: field(body, 'situation'), commune: field(body, 'commune'), qpv: field(body, 'qpv') },
  };
  try {
    res.redirect(303, `/ask/mine/${await submitRequest(web.ctx, String(req.params.token), values)}`);
  } catch (error) {
    if (error instanceof AppError && error.code === 'LINK_INVALID') throw error;
    await askPage(web, req, res, { values, error: errorMessage(res, error) }, (error as AppError).status);
  }
}

async function followPage(web: Web, req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) {
  res.set(SECRET_PAGE_HEADERS);
  const { request, collective, badgeName, claimUrl } = await followRequest(web.ctx, String(req.params.token));
  render(web, res, 'requests/follow', {
    title: tr(res, 'ask.followTitle'), request, collective, claimUrl,
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
