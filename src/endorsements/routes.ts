// Recognition: a collective's admins invite partners (a link); a partner's page is made from that link;
// partners and other collectives endorse a badge class (from its page) or a collective (from its
// issuer page); an endorsement has its own public address; its endorser can withdraw it.
import { Router, type Request, type Response } from 'express';
import { MIN_PASSWORD_LENGTH } from '../accounts/accounts.js';
import { startSession } from '../accounts/routes.js';
import { authorize } from '../collectives/collectives.js';
import { AppError } from '../shared/errors.js';
import { SECRET_PAGE_HEADERS, field, form, locals } from '../web/http.js';
import { bindTo, errorMessage, render, type Web } from '../web/render.js';
import { sendJson, wantsJson } from '../web/badge-files.js';
import { adminScope, collectiveBase, currentAccount, tr } from '../web/members.js';
import { endorseAchievement, endorseCollective, endorseCredential, endorsementsBy, findEndorsement, withdrawEndorsement } from './endorsements.js';
import { acceptPartnerInvitation, invitePartner, openPartnerInvitation, partnerInvitationsOf } from './partners.js';

export function endorsementRoutes(web: Web): Router {
  const on = bindTo(web);
  return Router()
    .get('/partners/join/:token', on((w, req, res) => joinPage(w, req, res)))
    .post('/partners/join/:token', on(postJoin))
    .get('/endorsements/:file', on(showEndorsement))
    .post('/achievements/:id/endorse', on(postEndorseAchievement))
    .post('/issuers/:slug/endorse', on(postEndorseCollective))
    .post('/credentials/:id/endorse', on(postEndorseCredential))
    .get('/c/:slug/endorsements', on(async (w, req, res) => endorsementsPage(w, req, res)))
    .post('/c/:slug/partners', on(postPartner))
    .post('/c/:slug/endorsements/:id/withdraw', on(postWithdraw));
}

async function joinPage(web: Web, req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) {
  res.set(SECRET_PAGE_HEADERS);
  const { invitation, inviter } = await openPartnerInvitation(web.ctx, String(req.params.token));
  const account = locals(res).account;
  render(web, res, 'endorsements/join', {
    title: tr(res, 'join.title', { inviter: inviter.name }), inviter, invitation, account, min: MIN_PASSWORD_LENGTH,
    values: { name: invitation.name }, next: encodeURIComponent(req.originalUrl), ...extra,
  }, status);
}

async function postJoin(web: Web, req: Request, res: Response) {
  const body = form(req);
  const values = {
    name: field(body, 'name'), slug: field(body, 'slug'), url: field(body, 'url'), town: field(body, 'town'), description: field(body, 'description'),
    person: field(body, 'person'), password: field(body, 'password'),
  };
  try {
    const { account, partner, created } = await acceptPartnerInvitation(web.ctx, String(req.params.token), locals(res).account, values);
    if (created) await startSession(web, res, account.id);
    res.redirect(303, `/c/${partner.slug}/endorsements`);
  } catch (error) {
    if (error instanceof AppError && error.code === 'LINK_INVALID') throw error;
    await joinPage(web, req, res, { values: { ...values, password: '' }, error: errorMessage(res, error) }, (error as AppError).status);
  }
}

async function showEndorsement(web: Web, req: Request, res: Response) {
  const [id, ext] = String(req.params.file).split('.', 2) as [string, string | undefined];
  if (ext !== undefined && ext !== 'json') throw new AppError('NOT_FOUND', 404);
  const found = await findEndorsement(web.ctx, id);
  res.set('Access-Control-Allow-Origin', '*');
  if (ext === 'json' || wantsJson(req)) return sendJson(res, found.credential);
  render(web, res, 'endorsements/endorsement', { title: tr(res, 'endorsement.title', { endorser: found.view.endorser.name }), ...found });
}

/** The endorser's scope: an admin of the organisation it speaks for (the form's `as`). */
const endorserScope = (web: Web, req: Request, res: Response) => authorize(web.ctx, currentAccount(res), field(form(req), 'as'), 'admin');

async function postEndorseAchievement(web: Web, req: Request, res: Response) {
  const endorsement = await endorseAchievement(web.ctx, await endorserScope(web, req, res), String(req.params.id), field(form(req), 'comment'));
  res.redirect(303, `/endorsements/${endorsement.id}`);
}

async function postEndorseCollective(web: Web, req: Request, res: Response) {
  const endorsement = await endorseCollective(web.ctx, await endorserScope(web, req, res), String(req.params.slug), field(form(req), 'comment'));
  res.redirect(303, `/endorsements/${endorsement.id}`);
}

async function postEndorseCredential(web: Web, req: Request, res: Response) {
  const endorsement = await endorseCredential(web.ctx, await endorserScope(web, req, res), String(req.params.id), field(form(req), 'comment'));
  res.redirect(303, `/endorsements/${endorsement.id}`);
}

async function endorsementsPage(web: Web, req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) {
  const s = await adminScope(web, req, res);
  const [given, invited] = await Promise.all([endorsementsBy(web.ctx, s), partnerInvitationsOf(web.ctx, s)]);
  render(web, res, 'endorsements/endorsements', {
    ...collectiveBase(s), title: tr(res, 'endorsements.title'), given, isPartner: s.collective.kind === 'partner',
    invited: invited.map((i) => ({ ...i, joined: !!i.partnerId })), ...extra,
  }, status);
}

async function postPartner(web: Web, req: Request, res: Response) {
  const s = await adminScope(web, req, res);
  const body = form(req);
  try {
    const { url, invitation } = await invitePartner(web.ctx, s, { name: field(body, 'name'), email: field(body, 'email') });
    res.set(SECRET_PAGE_HEADERS);
    await endorsementsPage(web, req, res, { partnerLink: url, partnerName: invitation.name });
  } catch (error) {
    await endorsementsPage(web, req, res, { partnerError: errorMessage(res, error), partnerValues: body }, (error as AppError).status);
  }
}

async function postWithdraw(web: Web, req: Request, res: Response) {
  const s = await adminScope(web, req, res);
  await withdrawEndorsement(web.ctx, s, String(req.params.id));
  await endorsementsPage(web, req, res, { notice: tr(res, 'endorsements.withdrawnDone') });
}
