// The facilitators' pages: their collectives, badge classes, ateliers, participants and issuing.
// Every route under /c/:slug goes through `authorize` (role and collective) before anything else.
import { Router, type Request, type Response } from 'express';
import { translate, type AppMessageKey } from '../../i18n/index.js';
import { ACHIEVEMENT_TYPES, LANGUAGES, copyStarterBadge, createBadgeClass, currentBadgeClasses, currentVersion, updateBadgeClass, type BadgeClassForm } from '../../badge-classes/achievements.js';
import {
  MAX_CSV_BYTES, addParticipant, atelierParticipants, createAtelier, listAteliers, eraseParticipant, findAtelier, findParticipant, importParticipants, recordConsent, updateAtelier,
} from '../../ateliers/ateliers.js';
import { STARTER_BADGES } from '../../badge-classes/catalogue.js';
import { createCollective, myCollectives, type Scope } from '../../collectives/collectives.js';
import { AppError } from '../../shared/errors.js';
import { MAX_IMAGE_BYTES } from '../../badge-classes/images.js';
import { changeStatus } from '../../credentials/credential-status.js';
import { claimLinkFor } from '../../learners/claims.js';
import { ISSUED_STATES, issuedBadgesCsv, listIssuedBadges, readIssuedQuery } from '../../credentials/issued-badges.js';
import { qrDataUrl } from '../qr.js';
import {
  atelierCredentials, correctParticipant, countIssued, findJob, holders, prepareIssue, previewCredential, renewCredential, resumeIssuing, startIssuing, type IssueRequest,
} from '../../issuing/issuing.js';
import type { Participant, Role } from '../../store/index.js';
import { answerInvitation, myInvitations } from '../../accounts/invitations.js';
import { SECRET_PAGE_HEADERS, field, fieldList, form, locals, type Fields } from '../http.js';
import { errorMessage, readUpload, render, requireScope, type Web } from '../render.js';
import { credentialView } from '../credential-view.js';

export function facilitatorRoutes(web: Web): Router {
  const { ctx } = web;
  const router = Router();
  const tr = (res: Response, key: AppMessageKey, params: Record<string, unknown> = {}) => translate(locals(res).lang, key, params);

  function account(res: Response) {
    const a = locals(res).account;
    if (!a) throw new AppError('LOGIN_REQUIRED', 401);
    return a;
  }
  const scope = (req: Request, res: Response, role: Role = 'facilitator') => requireScope(web, req, res, role);
  const multipart = (req: Request, maxFileBytes: number) => readUpload(req, maxFileBytes);

  const base = (s: Scope) => ({ collective: s.collective, role: s.role, isAdmin: s.role === 'admin', cpath: `/c/${s.collective.slug}` });

  router.use((req, res, next) => {
    if (!locals(res).account && (req.path === '/dashboard' || req.path.startsWith('/c/'))) {
      if (req.method === 'GET') return res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
      throw new AppError('LOGIN_REQUIRED', 401);
    }
    next();
  });

  async function dashboard(res: Response, extra: Record<string, unknown> = {}, status = 200) {
    const a = account(res);
    const collectives = (await myCollectives(ctx, a)).map((c) => ({ ...c, roleKey: `role.${c.role}` }));
    const invitations = (await myInvitations(ctx, a)).map((i) => ({ ...i, roleKey: `role.${i.role}` }));
    render(web, res, 'facilitator/dashboard', { title: tr(res, 'dashboard.title'), name: a.name, collectives, invitations, canCreate: a.instanceAdmin, ...extra }, status);
  }

  router.get('/dashboard', (_req, res) => dashboard(res));

  // An invitation answered from the dashboard: only the invited account sees it there.
  router.post('/invitations/mine/:id', async (req, res) => {
    const a = account(res);
    const accept = field(form(req), 'answer') === 'accept';
    const name = (await myInvitations(ctx, a)).find((i) => i.id === req.params.id)?.collectiveName;
    await answerInvitation(ctx, a, String(req.params.id), accept);
    await dashboard(res, accept ? { joined: name } : {});
  });

  router.post('/collectives', async (req, res) => {
    const body = form(req);
    try {
      const c = await createCollective(ctx, account(res), {
        slug: field(body, 'slug'), name: field(body, 'name'), description: field(body, 'description'),
        url: field(body, 'url'), email: field(body, 'email'), town: field(body, 'town'),
      });
      res.redirect(303, `/c/${c.slug}`);
    } catch (error) {
      await dashboard(res, { error: errorMessage(res, error), values: body }, error instanceof AppError ? error.status : 400);
    }
  });

  router.get('/c/:slug', async (req, res) => {
    const s = await scope(req, res);
    const [badges, ateliers, issued] = await Promise.all([currentBadgeClasses(ctx, s), listAteliers(ctx, s), countIssued(ctx, s)]);
    render(web, res, 'facilitator/collective', { ...base(s), title: s.collective.name, badges, ateliers, issued });
  });

  // ---- every badge issued, from ateliers or the API: search, filters, pages, a spreadsheet ----
  router.get('/c/:slug/credentials', async (req, res) => {
    const s = await scope(req, res);
    const query = readIssuedQuery(req.query);
    const [list, badges] = await Promise.all([listIssuedBadges(ctx, s, query), currentBadgeClasses(ctx, s)]);
    const search = new URLSearchParams(Object.entries({ q: query.text, badge: query.badgeClassId, state: query.state, source: query.source }).filter(([, v]) => v));
    const pageLink = (page: number) => `${base(s).cpath}/credentials?${new URLSearchParams([...search, ['page', String(page)]]).toString()}`;
    render(web, res, 'facilitator/credentials', {
      ...base(s), title: tr(res, 'issued.title'), query, ...list,
      badges: badges.map((b) => ({ id: b.badgeClassId, name: b.name, selected: b.badgeClassId === query.badgeClassId })),
      states: ISSUED_STATES.map((value) => ({ value, label: tr(res, `issued.state.${value}`), selected: value === query.state })),
      lines: list.lines.map((l) => ({ ...l, stateLabel: tr(res, `issued.state.${l.state}`), path: `/credentials/${l.id}` })),
      previous: list.page > 1 ? pageLink(list.page - 1) : undefined,
      next: list.page < list.pages ? pageLink(list.page + 1) : undefined,
      csv: `${base(s).cpath}/credentials.csv?${search.toString()}`,
      filtered: !!(query.text || query.badgeClassId || query.state || query.source),
    });
  });

  router.get('/c/:slug/credentials.csv', async (req, res) => {
    const s = await scope(req, res);
    const csv = await issuedBadgesCsv(ctx, s, readIssuedQuery(req.query), locals(res).lang);
    res.set('Content-Disposition', `attachment; filename="badges-${s.collective.slug}-${ctx.now().toISOString().slice(0, 10)}.csv"`);
    res.type('text/csv; charset=utf-8').send(csv);
  });

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

  // ---- one badge: withdraw, reinstate, renew (the controls sit on its public page) ----
  router.post('/c/:slug/credentials/:id/status', async (req, res) => {
    const s = await scope(req, res);
    const action = field(form(req), 'action');
    if (action !== 'revoke' && action !== 'suspend' && action !== 'reinstate') throw new AppError('FORM_UNREADABLE', 400);
    const record = await changeStatus(ctx, s, req.params.id, action, field(form(req), 'reason'));
    res.redirect(303, `/credentials/${record.id}?changed=${record.status}`);
  });

  router.post('/c/:slug/credentials/:id/renew', async (req, res) => {
    const s = await scope(req, res);
    const record = await renewCredential(ctx, s, req.params.id);
    res.redirect(303, `/credentials/${record.id}?changed=renewed`);
  });

  // The participant's personal link and card; renew=1 makes a new one (the old one stops working),
  // send=email also sends it to the participant's email (or the outbox).
  router.post('/c/:slug/credentials/:id/claim-link', async (req, res) => {
    const s = await scope(req, res);
    const lang = locals(res).lang;
    const body = form(req);
    const { badge: { record, version }, mail, mailError, ...link } = await claimLinkFor(ctx, s, req.params.id, {
      renew: field(body, 'renew') === '1', ...(field(body, 'send') === 'email' ? { sendIn: lang } : {}),
    });
    res.set(SECRET_PAGE_HEADERS);
    render(web, res, 'facilitator/claim-link', {
      ...base(s), title: tr(res, 'claim.linkTitle'), ...link, qr: await qrDataUrl(link.url),
      recipient: record.recipientName, badgeName: version.name, atelierId: record.atelierId, credentialId: record.id,
      mailNotice: mail && translate(lang, mail.file ? 'mail.written' : 'mail.sent', { to: mail.recipient }),
      mailError: mailError && errorMessage(res, mailError),
    });
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
