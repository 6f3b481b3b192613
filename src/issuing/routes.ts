// Issuing at an atelier: choose, preview, issue in a batch; the batch's progress, and resuming one
// a stopped server interrupted.
import { Router, type Request, type Response } from 'express';
import type { AppMessageKey } from '../i18n/index.js';
import { currentBadgeClasses } from '../badge-classes/achievements.js';
import { atelierParticipants, findAtelier } from '../ateliers/ateliers.js';
import type { Scope } from '../collectives/collectives.js';
import { AppError } from '../shared/errors.js';
import { findBatch, holders, prepareIssue, previewCredential, resumeIssuing, startIssuing, type IssueRequest } from './issuing.js';
import { field, fieldList, form, locals, type Fields } from '../web/http.js';
import { bindTo, errorMessage, render, type Web } from '../web/render.js';
import { credentialView } from '../web/credential-view.js';
import { collectiveBase, memberScope, tr } from '../web/members.js';

export function issuingRoutes(web: Web): Router {
  const on = bindTo(web);
  return Router()
    .get('/c/:slug/ateliers/:id/issue', on(async (w, req, res) => issueForm(w, req, res, await memberScope(w, req, res), { badgeClassId: typeof req.query.badge === 'string' ? req.query.badge : undefined })))
    .post('/c/:slug/ateliers/:id/issue', on(postIssue))
    .get('/c/:slug/jobs/:batchId', on(showBatch))
    .post('/c/:slug/jobs/:batchId/resume', on(postResume));
}

async function issueForm(web: Web, req: Request, res: Response, s: Scope, request: Partial<IssueRequest>, extra: Record<string, unknown> = {}, status = 200) {
  const atelier = await findAtelier(web.ctx, s, String(req.params.id));
  const versions = (await currentBadgeClasses(web.ctx, s)).filter((v) => atelier.badgeClassIds.includes(v.badgeClassId));
  const badgeClassId = request.badgeClassId && versions.some((v) => v.badgeClassId === request.badgeClassId) ? request.badgeClassId : versions[0]?.badgeClassId;
  const [participants, held] = await Promise.all([atelierParticipants(web.ctx, s, atelier), holders(web.ctx, s, atelier.id, badgeClassId)]);
  render(web, res, 'issuing/issue', {
    ...collectiveBase(s), title: tr(res, 'issue.title'), atelier,
    badges: versions.map((v) => ({ id: v.badgeClassId, name: v.name, selected: v.badgeClassId === badgeClassId })),
    participants: participants.map((p) => ({
      ...p, hasBadge: held.has(p.id), checked: request.participantIds?.includes(p.id) ?? (!held.has(p.id) && !!p.consentAt),
      reflection: request.reflections?.[p.id] ?? '',
    })),
    reissue: request.reissue, ...extra,
  }, status);
}

function readIssueRequest(body: Fields): IssueRequest {
  const participantIds = fieldList(body, 'participant');
  return {
    badgeClassId: field(body, 'badge'), participantIds, reissue: field(body, 'reissue') === 'yes',
    reflections: Object.fromEntries(participantIds.map((id) => [id, field(body, `reflection_${id}`)])),
  };
}

// One form, three buttons: choose the badge (redraws the list), preview, issue.
async function postIssue(web: Web, req: Request, res: Response) {
  const s = await memberScope(web, req, res);
  const body = form(req);
  const request = readIssueRequest(body);
  try {
    if (field(body, 'action') === 'choose') return await issueForm(web, req, res, s, request);
    if (field(body, 'action') === 'preview') return await showPreview(web, req, res, s, request);
    const batch = await startIssuing(web.ctx, s, String(req.params.id), request);
    res.redirect(303, `/c/${s.collective.slug}/jobs/${batch.id}`);
  } catch (error) {
    await issueForm(web, req, res, s, request, { error: errorMessage(res, error) }, (error as AppError).status);
  }
}

async function showPreview(web: Web, req: Request, res: Response, s: Scope, request: IssueRequest) {
  const { awards } = await prepareIssue(web.ctx, s, String(req.params.id), request);
  const first = awards[0]!;
  const credential = previewCredential(web.ctx, first);
  render(web, res, 'issuing/preview', {
    ...collectiveBase(s), title: tr(res, 'issue.previewTitle', { name: first.participant.name }),
    heading: tr(res, 'issue.previewTitle', { name: first.participant.name }), others: awards.length - 1,
    request, hidden: awards.map((a) => ({ id: a.participant.id, reflection: a.reflection })),
    card: credentialView(web.ctx, locals(res).lang, credential, s.collective),
  });
}

async function showBatch(web: Web, req: Request, res: Response) {
  const s = await memberScope(web, req, res);
  const { request, ...batch } = await findBatch(web.ctx, s, String(req.params.batchId));
  if (req.accepts(['text/html', 'application/json']) === 'application/json') return res.json(batch);
  render(web, res, 'issuing/batch', {
    ...collectiveBase(s), title: tr(res, 'batch.title'), batch, running: batch.state === 'running', interrupted: batch.state === 'interrupted', refresh: batch.state === 'running' ? 1 : undefined,
    resumable: batch.state === 'interrupted' && !!request,
    errors: batch.errors.map((e) => ({ participant: e.participant, message: tr(res, `error.${e.code}` as AppMessageKey, { name: e.participant, badge: e.badge ?? '' }) })),
  });
}

async function postResume(web: Web, req: Request, res: Response) {
  const s = await memberScope(web, req, res);
  const batch = await resumeIssuing(web.ctx, s, String(req.params.batchId));
  res.redirect(303, `/c/${s.collective.slug}/jobs/${batch.id}`);
}
