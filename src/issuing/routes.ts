// Issuing at an atelier: choose, preview, issue in a batch; the batch's progress, and resuming one
// a stopped server interrupted.
import { Router, type Request, type Response } from 'express';
import type { AppMessageKey } from '../i18n/index.js';
import type { Scope } from '../collectives/collectives.js';
import { AppError } from '../shared/errors.js';
import { findBatch, issueChoices, prepareIssue, previewCredential, resumeIssuing, startIssuing, withdrawBatch, type IssueRequest } from './issuing.js';
import { field, fieldList, form, locals, type Fields } from '../web/http.js';
import { bindTo, errorMessage, render, type Web } from '../web/render.js';
import { credentialView } from '../web/credential-view.js';
import { collectiveBase, memberScope, tr } from '../web/members.js';

export function issuingRoutes(web: Web): Router {
  const on = bindTo(web);
  return Router()
    .get('/c/:slug/ateliers/:id/issue', on(async (w, req, res) => issueForm(w, req, res, await memberScope(w, req, res), { badgeClassId: typeof req.query.badge === 'string' ? req.query.badge : undefined })))
    .post('/c/:slug/ateliers/:id/issue', on(postIssue))
    .get('/c/:slug/jobs/:batchId', on((w, req, res) => showBatch(w, req, res)))
    .post('/c/:slug/jobs/:batchId/resume', on(postResume))
    .post('/c/:slug/jobs/:batchId/withdraw', on(postWithdraw));
}

async function issueForm(web: Web, req: Request, res: Response, s: Scope, request: Partial<IssueRequest>, extra: Record<string, unknown> = {}, status = 200) {
  const { atelier, versions, badgeClassId, participants } = await issueChoices(web.ctx, s, String(req.params.id), request);
  render(web, res, 'issuing/issue', {
    ...collectiveBase(s), title: tr(res, 'issue.title'), atelier, chosen: !!badgeClassId,
    badges: versions.map((v) => ({ id: v.badgeClassId, name: v.name, selected: v.badgeClassId === badgeClassId })),
    participants: participants.map((p) => ({ ...p, checked: request.participantIds?.includes(p.id) ?? false, reflection: request.reflections?.[p.id] ?? '' })),
    reissue: request.reissue, ...extra,
  }, status);
}

function readIssueRequest(body: Fields): IssueRequest {
  const participantIds = fieldList(body, 'participant');
  const reflections = Object.fromEntries(Object.keys(body).filter((k) => k.startsWith('reflection_')).map((k) => [k.slice(11), field(body, k)]));
  return { badgeClassId: field(body, 'badge'), participantIds, reissue: field(body, 'reissue') === 'yes', reflections };
}

// One form: choose the badge, tick everyone or no one (redrawn by the server, no script), check before
// awarding. Only the confirmation page's button (action=issue) awards.
async function postIssue(web: Web, req: Request, res: Response) {
  const s = await memberScope(web, req, res);
  const body = form(req);
  const request = readIssueRequest(body);
  const action = field(body, 'action');
  try {
    if (action === 'all' || action === 'none') {
      const { participants } = await issueChoices(web.ctx, s, String(req.params.id), request);
      return await issueForm(web, req, res, s, { ...request, participantIds: action === 'all' ? participants.filter((p) => p.eligible).map((p) => p.id) : [] });
    }
    if (action === 'preview') return await showPreview(web, req, res, s, request);
    if (action !== 'issue') return await issueForm(web, req, res, s, request);
    const batch = await startIssuing(web.ctx, s, String(req.params.id), request);
    res.redirect(303, `/c/${s.collective.slug}/jobs/${batch.id}`);
  } catch (error) {
    await issueForm(web, req, res, s, request, { error: errorMessage(res, error) }, (error as AppError).status);
  }
}

/** The confirmation: who gets which badge, who has no words of their own, and each one's badge, person by person. */
async function showPreview(web: Web, req: Request, res: Response, s: Scope, request: IssueRequest) {
  const { awards, version } = await prepareIssue(web.ctx, s, String(req.params.id), request);
  const position = Math.min(Math.max(Number.parseInt(String(req.query.at ?? '1'), 10) || 1, 1), awards.length);
  const award = awards[position - 1]!;
  render(web, res, 'issuing/preview', {
    ...collectiveBase(s), title: tr(res, 'issue.confirmTitle', { badge: version.name, count: awards.length }), badgeName: version.name,
    heading: tr(res, 'issue.previewTitle', { name: award.participant.name }), position,
    people: awards.map((a) => ({ name: a.participant.name, words: !!a.reflection.trim() })),
    withoutWords: awards.filter((a) => !a.reflection.trim()).length,
    paging: awards.length > 1, previous: position > 1 ? position - 1 : undefined, next: position < awards.length ? position + 1 : undefined,
    request, hidden: awards.map((a) => ({ id: a.participant.id, reflection: a.reflection })),
    card: credentialView(web.ctx, locals(res).lang, previewCredential(web.ctx, award), s.collective),
  });
}

async function showBatch(web: Web, req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) {
  const s = await memberScope(web, req, res);
  const { request, ...batch } = await findBatch(web.ctx, s, String(req.params.batchId));
  if (req.accepts(['text/html', 'application/json']) === 'application/json') return res.json(batch);
  const finished = batch.state === 'finished';
  render(web, res, 'issuing/batch', {
    ...collectiveBase(s), title: tr(res, 'batch.title'), batch, running: batch.state === 'running', interrupted: batch.state === 'interrupted', refresh: batch.state === 'running' ? 1 : undefined,
    resumable: batch.state === 'interrupted' && !!request, handOver: finished && batch.done > 0, withdrawable: !!batch.done && !batch.state.startsWith('run'),
    atelierPath: `/c/${s.collective.slug}/ateliers/${batch.atelierId}`,
    errors: batch.errors.map((e) => ({ participant: e.participant, message: tr(res, `error.${e.code}` as AppMessageKey, { name: e.participant, badge: e.badge ?? '' }) })),
    ...extra,
  }, status);
}

async function postWithdraw(web: Web, req: Request, res: Response) {
  const s = await memberScope(web, req, res);
  const body = form(req);
  try {
    if (field(body, 'confirm') !== 'yes') throw new AppError('CONFIRM_NEEDED', 400);
    const { withdrawn } = await withdrawBatch(web.ctx, s, String(req.params.batchId), field(body, 'reason'));
    await showBatch(web, req, res, { notice: tr(res, 'batch.withdrawn', { count: withdrawn }) });
  } catch (error) {
    await showBatch(web, req, res, { error: errorMessage(res, error) }, (error as AppError).status);
  }
}

async function postResume(web: Web, req: Request, res: Response) {
  const s = await memberScope(web, req, res);
  const batch = await resumeIssuing(web.ctx, s, String(req.params.batchId));
  res.redirect(303, `/c/${s.collective.slug}/jobs/${batch.id}`);
}
