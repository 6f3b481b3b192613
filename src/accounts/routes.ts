// Signing in and out, the first-start setup link, and password links.
import { Router, type Request, type Response } from 'express';
import { translate } from '../i18n/index.js';
import {
  MIN_PASSWORD_LENGTH, closeSession, completeSetup, logIn, openSession, requestReset, resetLinkValid, resetPassword, setupLinkValid,
} from './accounts.js';
import { AppError } from '../shared/errors.js';
import { acceptInvitation, openInvitation } from './invitations.js';
import { SECRET_PAGE_HEADERS, field, form, locals, readCookies, safeNext, setCookie } from '../web/http.js';
import { errorMessage, render, type Web } from '../web/render.js';

export const SESSION_COOKIE = 'badgeons_session';

export function accountRoutes(web: Web): Router {
  const { ctx } = web;
  const router = Router();
  const title = (res: Response, key: Parameters<typeof translate>[1]) => translate(locals(res).lang, key);

  /** A session, and this browser remembered as one the account uses (login throttling spares it). */
  async function startSession(res: Response, accountId: string): Promise<void> {
    setCookie(res, SESSION_COOKIE, await openSession(ctx, accountId), { secure: web.secure, maxAgeSeconds: 14 * 86400 });
    web.csrf.rememberDevice(res, accountId);
  }

  router.get('/login', (req, res) => {
    if (locals(res).account) return res.redirect(303, safeNext(req.query.next));
    render(web, res, 'account/login', { title: title(res, 'login.title'), next: safeNext(req.query.next) });
  });

  router.post('/login', async (req, res) => {
    const body = form(req);
    try {
      const account = await logIn(ctx, field(body, 'email'), field(body, 'password'), req.ip ?? '', web.csrf.knownDevice(req));
      await startSession(res, account.id);
      res.redirect(303, safeNext(field(body, 'next')));
    } catch (error) {
      const status = error instanceof AppError ? error.status : 400;
      render(web, res, 'account/login', { title: title(res, 'login.title'), error: errorMessage(res, error), email: field(body, 'email'), next: safeNext(field(body, 'next')) }, status);
    }
  });

  router.post('/logout', async (req, res) => {
    const token = readCookies(req)[SESSION_COOKIE];
    if (token) await closeSession(ctx, token);
    setCookie(res, SESSION_COOKIE, '', { secure: web.secure, maxAgeSeconds: 0 });
    res.redirect(303, '/');
  });

  router.get('/setup/:token', async (req, res) => {
    if (!(await setupLinkValid(ctx, req.params.token))) throw new AppError('LINK_INVALID', 404);
    render(web, res, 'account/setup', { title: title(res, 'setup.title'), min: MIN_PASSWORD_LENGTH });
  });

  router.post('/setup/:token', async (req, res) => {
    const body = form(req);
    const input = { email: field(body, 'email'), name: field(body, 'name'), password: field(body, 'password') };
    try {
      const account = await completeSetup(ctx, req.params.token, input);
      await startSession(res, account.id);
      res.redirect(303, '/dashboard');
    } catch (error) {
      render(web, res, 'account/setup', { title: title(res, 'setup.title'), min: MIN_PASSWORD_LENGTH, error: errorMessage(res, error), email: input.email, name: input.name }, 400);
    }
  });

  const byMail = !!ctx.config.smtpUrl;
  router.get('/password/forgot', (_req, res) => render(web, res, 'account/forgot', { title: title(res, 'forgot.title'), byMail }));

  router.post('/password/forgot', web.limiter.middleware(), async (req, res) => {
    await requestReset(ctx, field(form(req), 'email'), locals(res).lang);
    render(web, res, 'account/forgot', { title: title(res, 'forgot.title'), sent: true, byMail });
  });

  router.get('/password/:token', async (req, res) => {
    if (!(await resetLinkValid(ctx, req.params.token))) throw new AppError('LINK_INVALID', 404);
    render(web, res, 'account/reset', { title: title(res, 'reset.title'), min: MIN_PASSWORD_LENGTH });
  });

  router.post('/password/:token', async (req, res) => {
    try {
      await resetPassword(ctx, req.params.token, field(form(req), 'password'));
      render(web, res, 'account/login', { title: title(res, 'login.title'), notice: title(res, 'reset.done'), next: '/dashboard' });
    } catch (error) {
      render(web, res, 'account/reset', { title: title(res, 'reset.title'), min: MIN_PASSWORD_LENGTH, error: errorMessage(res, error) }, error instanceof AppError ? error.status : 400);
    }
  });

  // Invitations to join a collective (accounts/invitations.ts says who may accept what).
  async function invitationPage(req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) {
    res.set(SECRET_PAGE_HEADERS);
    const { invitation, collectiveName, mode } = await openInvitation(ctx, String(req.params.token), locals(res).account);
    render(web, res, 'account/invitation', {
      title: translate(locals(res).lang, 'invite.title', { collective: collectiveName }), invitation, collectiveName, roleKey: `role.${invitation.role}`,
      min: MIN_PASSWORD_LENGTH, name: invitation.name, next: encodeURIComponent(req.originalUrl),
      create: mode === 'create', accept: mode === 'accept', login: mode === 'login', otherAccount: mode === 'other-account', ...extra,
    }, status);
  }

  router.get('/invitations/:token', (req, res) => invitationPage(req, res));

  router.post('/invitations/:token', async (req, res) => {
    const body = form(req);
    try {
      const { account, created } = await acceptInvitation(ctx, String(req.params.token), locals(res).account, { name: field(body, 'name'), password: field(body, 'password') });
      if (created) await startSession(res, account.id);
      res.redirect(303, '/dashboard');
    } catch (error) {
      if (!(error instanceof AppError) || error.code === 'LINK_INVALID') throw error;
      await invitationPage(req, res, { error: errorMessage(res, error), name: field(body, 'name') }, error.status);
    }
  });

  return router;
}
