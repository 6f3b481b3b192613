// Signing in and out, the first-start setup link, password links, and invitations to join a collective.
import { Router, type Request, type Response } from 'express';
import {
  MIN_PASSWORD_LENGTH, closeSession, completeSetup, logIn, openSession, requestReset, resetLinkValid, resetPassword, setupLinkValid,
} from './accounts.js';
import { AppError } from '../shared/errors.js';
import { acceptInvitation, openInvitation } from './invitations.js';
import { SECRET_PAGE_HEADERS, field, form, locals, readCookies, safeNext, setCookie } from '../web/http.js';
import { bindTo, errorMessage, render, type Web } from '../web/render.js';
import { tr } from '../web/members.js';

export const SESSION_COOKIE = 'badgeons_session';

export function accountRoutes(web: Web): Router {
  const on = bindTo(web);
  return Router()
    .get('/login', on(showLogin))
    .post('/login', on(postLogin))
    .post('/logout', on(postLogout))
    .get('/setup/:token', on(showSetup))
    .post('/setup/:token', on(postSetup))
    .get('/password/forgot', on((w, _req, res) => render(w, res, 'accounts/forgot', { title: tr(res, 'forgot.title'), byMail: !!w.ctx.config.smtpUrl })))
    .post('/password/forgot', web.limiter.middleware(), on(postForgot))
    .get('/password/:token', on(showReset))
    .post('/password/:token', on(postReset))
    .get('/invitations/:token', on((w, req, res) => invitationPage(w, req, res)))
    .post('/invitations/:token', on(postInvitation));
}

/** A session, and this browser remembered as one the account uses (login throttling spares it). */
export async function startSession(web: Web, res: Response, accountId: string): Promise<void> {
  setCookie(res, SESSION_COOKIE, await openSession(web.ctx, accountId), { secure: web.secure, maxAgeSeconds: 14 * 86400 });
  web.csrf.rememberDevice(res, accountId);
}

function showLogin(web: Web, req: Request, res: Response) {
  if (locals(res).account) return res.redirect(303, safeNext(req.query.next));
  render(web, res, 'accounts/login', { title: tr(res, 'login.title'), next: safeNext(req.query.next) });
}

async function postLogin(web: Web, req: Request, res: Response) {
  const body = form(req);
  try {
    const account = await logIn(web.ctx, field(body, 'email'), field(body, 'password'), req.ip ?? '', web.csrf.knownDevice(req));
    await startSession(web, res, account.id);
    res.redirect(303, safeNext(field(body, 'next')));
  } catch (error) {
    const status = error instanceof AppError ? error.status : 400;
    render(web, res, 'accounts/login', { title: tr(res, 'login.title'), error: errorMessage(res, error), email: field(body, 'email'), next: safeNext(field(body, 'next')) }, status);
  }
}

async function postLogout(web: Web, req: Request, res: Response) {
  const token = readCookies(req)[SESSION_COOKIE];
  if (token) await closeSession(web.ctx, token);
  setCookie(res, SESSION_COOKIE, '', { secure: web.secure, maxAgeSeconds: 0 });
  res.redirect(303, '/');
}

async function showSetup(web: Web, req: Request, res: Response) {
  if (!(await setupLinkValid(web.ctx, String(req.params.token)))) throw new AppError('LINK_INVALID', 404);
  render(web, res, 'accounts/setup', { title: tr(res, 'setup.title'), min: MIN_PASSWORD_LENGTH });
}

async function postSetup(web: Web, req: Request, res: Response) {
  const body = form(req);
  const input = { email: field(body, 'email'), name: field(body, 'name'), password: field(body, 'password') };
  try {
    const account = await completeSetup(web.ctx, String(req.params.token), input);
    await startSession(web, res, account.id);
    res.redirect(303, '/dashboard');
  } catch (error) {
    render(web, res, 'accounts/setup', { title: tr(res, 'setup.title'), min: MIN_PASSWORD_LENGTH, error: errorMessage(res, error), email: input.email, name: input.name }, 400);
  }
}

async function postForgot(web: Web, req: Request, res: Response) {
  await requestReset(web.ctx, field(form(req), 'email'), locals(res).lang);
  render(web, res, 'accounts/forgot', { title: tr(res, 'forgot.title'), sent: true, byMail: !!web.ctx.config.smtpUrl });
}

async function showReset(web: Web, req: Request, res: Response) {
  if (!(await resetLinkValid(web.ctx, String(req.params.token)))) throw new AppError('LINK_INVALID', 404);
  render(web, res, 'accounts/reset', { title: tr(res, 'reset.title'), min: MIN_PASSWORD_LENGTH });
}

async function postReset(web: Web, req: Request, res: Response) {
  try {
    await resetPassword(web.ctx, String(req.params.token), field(form(req), 'password'));
    render(web, res, 'accounts/login', { title: tr(res, 'login.title'), notice: tr(res, 'reset.done'), next: '/dashboard' });
  } catch (error) {
    render(web, res, 'accounts/reset', { title: tr(res, 'reset.title'), min: MIN_PASSWORD_LENGTH, error: errorMessage(res, error) }, error instanceof AppError ? error.status : 400);
  }
}

// Invitations to join a collective (accounts/invitations.ts says who may accept what).
async function invitationPage(web: Web, req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) {
  res.set(SECRET_PAGE_HEADERS);
  const { invitation, collectiveName, mode } = await openInvitation(web.ctx, String(req.params.token), locals(res).account);
  render(web, res, 'accounts/invitation', {
    title: tr(res, 'invite.title', { collective: collectiveName }), invitation, collectiveName, roleKey: `role.${invitation.role}`,
    min: MIN_PASSWORD_LENGTH, name: invitation.name, next: encodeURIComponent(req.originalUrl),
    create: mode === 'create', accept: mode === 'accept', login: mode === 'login', otherAccount: mode === 'other-account', ...extra,
  }, status);
}

async function postInvitation(web: Web, req: Request, res: Response) {
  const body = form(req);
  try {
    const { account, created } = await acceptInvitation(web.ctx, String(req.params.token), locals(res).account, { name: field(body, 'name'), password: field(body, 'password') });
    if (created) await startSession(web, res, account.id);
    res.redirect(303, '/dashboard');
  } catch (error) {
    if (!(error instanceof AppError) || error.code === 'LINK_INVALID') throw error;
    await invitationPage(web, req, res, { error: errorMessage(res, error), name: field(body, 'name') }, error.status);
  }
}
