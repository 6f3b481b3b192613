// Issuing at an atelier: choose, preview, issue in a batch; the batch's progress, and resuming one
// a stopped server interrupted.
import { Router, type Request, type Response } from 'express';
import type { AppMessageKey } from '../i18n/index.js';
import { currentBadgeClasses } from '../badge-classes/achievements.js';
import { atelierParticipants, findAtelier } from '../ateliers/ateliers.js';
import type { Scope } from '../collectives/collectives.js';
import { AppError } from '../shared/errors.js';
import { findJob, holders, prepareIssue, previewCredential, resumeIssuing, startIssuing, type IssueRequest } from './issuing.js';
import type { Role } from '../store/index.js';
import { field, fieldList, form, locals } from '../web/http.js';
import { errorMessage, render, type Web } from '../web/render.js';
import { credentialView } from '../web/credential-view.js';
import { collectiveBase, memberScope, tr } from '../web/members.js';

export function issuingRoutes(web: Web): Router {
  const { ctx } = web;
  const router = Router();
  const scope = (req: Request, res: Response, role: Role = 'facilitator') => memberScope(web, req, res, role);
  const base = collectiveBase;

  // ---- issuing ----
  async function issueForm(req: Request, res: Response, s: Scope, request: Partial<IssueRequest>, extra: Record<string, unknown> = {}, status = 200) {
    const atelier = await findAtelier(ctx, s, String(req.params.id));
    const versions = (await currentBadgeClasses(ctx, s)).filter((v) => atelier.badgeClassIds.includes(v.badgeClassId));
    const badgeClassId = request.badgeClassId && versions.some((v) => v.badgeClassId === request.badgeClassId) ? request.badgeClassId : versions[0]?.badgeClassId;
    const [participants, held] = await Promise.all([atelierParticipants(ctx, s, atelier), holders(ctx, s, atelier.id, badgeClassId)]);
    render(web, res, 'facilitator/issue', {
      ...base(s), title: tr(res, 'issue.title'), atelier,
      badges: versions.map((v) => ({ id: v.badgeClassId, name: v.name, selected: v.badgeClassId === badgeClassId })),
      participants: participants.map((p) => ({
        ...p, hasBadge: held.has(p.id), checked: request.participantIds?.includes(p.id) ?? (!held.has(p.id) && !!p.consentAt),
        reflection: request.reflections?.[p.id] ?? '',
      })),
      reissue: request.reissue, ...extra,
    }, status);
  }

  router.get('/c/:slug/ateliers/:id/issue', async (req, res) => {
    const s = await scope(req, res);
    await issueForm(req, res, s, { badgeClassId: typeof req.query.badge === 'string' ? req.query.badge : undefined });
  });

  router.post('/c/:slug/ateliers/:id/issue', async (req, res) => {
    const s = await scope(req, res);
    const body = form(req);
    const participantIds = fieldList(body, 'participant');
    const request: IssueRequest = {
      badgeClassId: field(body, 'badge'), participantIds, reissue: field(body, 'reissue') === 'yes',
      reflections: Object.fromEntries(participantIds.map((id) => [id, field(body, `reflection_${id}`)])),
    };
    try {
      if (field(body, 'action') === 'choose') return await issueForm(req, res, s, request);
      if (field(body, 'action') === 'preview') {
        const { awards } = await prepareIssue(ctx, s, req.params.id, request);
        const first = awards[0]!;
        const credential = previewCredential(ctx, first);
        return render(web, res, 'facilitator/preview', {
          ...base(s), title: tr(res, 'issue.previewTitle', { name: first.participant.name }),
          heading: tr(res, 'issue.previewTitle', { name: first.participant.name }), others: awards.length - 1,
          request, hidden: awards.map((a) => ({ id: a.participant.id, reflection: a.reflection })),
          card: credentialView(ctx, locals(res).lang, credential, s.collective),
        });
      }
      const job = await startIssuing(ctx, s, req.params.id, request);
      res.redirect(303, `/c/${s.collective.slug}/jobs/${job.id}`);
    } catch (error) {
      await issueForm(req, res, s, request, { error: errorMessage(res, error) }, (error as AppError).status);
    }
  });


  router.get('/c/:slug/jobs/:jobId', async (req, res) => {
    const s = await scope(req, res);
    const { request, ...job } = await findJob(ctx, s, req.params.jobId);
    if (req.accepts(['text/html', 'application/json']) === 'application/json') return res.json(job);
    render(web, res, 'facilitator/job', {
      ...base(s), title: tr(res, 'job.title'), job, running: job.state === 'running', interrupted: job.state === 'interrupted', refresh: job.state === 'running' ? 1 : undefined,
      resumable: job.state === 'interrupted' && !!request,
      errors: job.errors.map((e) => ({ participant: e.participant, message: tr(res, `error.${e.code}` as AppMessageKey, { name: e.participant, badge: e.badge ?? '' }) })),
    });
  });

  router.post('/c/:slug/jobs/:jobId/resume', async (req, res) => {
    const s = await scope(req, res);
    const job = await resumeIssuing(ctx, s, req.params.jobId);
    res.redirect(303, `/c/${s.collective.slug}/jobs/${job.id}`);
  });


  return router;
}
