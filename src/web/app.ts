// The web application: the badge page's lane, then Express — middleware in order, routes by audience, errors.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import { projectPath } from '../ob3/paths.js';
import { sessionAccount } from '../accounts/accounts.js';
import { databaseAnswers, sharedSecret } from '../operations/instance.js';
import type { Context } from '../shared/context.js';
import { AppError } from '../shared/errors.js';
import { Csrf, SECURITY_HEADERS, TRUSTED_PROXIES, locals, pageLanguage, readCookies } from './http.js';
import { renderError, type Web } from './render.js';
import { accountRoutes, SESSION_COOKIE } from '../accounts/routes.js';
import { atelierRoutes } from '../ateliers/routes.js';
import { badgeClassRoutes } from '../badge-classes/routes.js';
import { collectiveRoutes } from '../collectives/routes.js';
import { credentialPageLane, credentialPageRoutes, credentialRoutes } from '../credentials/routes.js';
import { issuingRoutes } from '../issuing/routes.js';
import { endorsementRoutes } from '../endorsements/routes.js';
import { requestRoutes } from '../requests/routes.js';
import { reportRoutes } from '../reports/routes.js';
import { parcoursRoutes } from '../parcours/routes.js';
import { operationsRoutes } from '../operations/routes.js';
import { membersOnly } from './members.js';
import { learnerRoutes } from '../learners/routes.js';
import { publicRoutes } from './routes/public.js';
import { verifyRoutes } from '../verifier/routes.js';
import { apiRoutes, verifyLane } from './routes/api.js';
import { walletRoutes } from '../wallets/routes.js';
import { RateLimiter } from './rate-limit.js';
import { requestLog } from './request-log.js';
import { loadViews } from './views.js';

/** What every route works with: the context, the views, CSRF tokens, the rate limiter. */
export async function createWeb(ctx: Context): Promise<Web> {
  const secure = ctx.config.publicUrl.startsWith('https:');
  const secret = await sharedSecret(ctx, 'csrf_secret');
  return { ctx, views: loadViews(), csrf: new Csrf(secret, secure), secure, limiter: new RateLimiter(ctx, ctx.config.rateLimitPerMinute) };
}

/** The server's request listener: the badge page's lane, then the Express application. */
export async function createApp(ctx: Context): Promise<RequestListener> {
  const web = await createWeb(ctx);
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', TRUSTED_PROXIES);
  app.set('query parser', 'simple');
  app.use((_req, res, next) => { res.set(SECURITY_HEADERS); next(); });
  app.use(requestLog(ctx));
  // For a load balancer or a supervisor: the process answers and its database reads.
  app.get('/healthz', async (_req, res) => {
    const ok = await databaseAnswers(ctx);
    res.status(ok ? 200 : 503).set('Cache-Control', 'no-store').json({ status: ok ? 'ok' : 'unavailable' });
  });
  app.use('/static', express.static(projectPath('views', 'static'), { maxAge: '1h', index: false }));
  // Pages: the visitor's language and account, and a CSRF token for those with a form.
  const pageLocals = async (req: Request, res: Response, next: NextFunction) => {
    const cookies = readCookies(req);
    const l = locals(res);
    l.lang = pageLanguage(cookies, req.headers['accept-language']);
    l.path = req.originalUrl;
    const session = cookies[SESSION_COOKIE];
    if (session) l.account = await sessionAccount(ctx, session);
    web.csrf.issue(req, res, next);
  };
  // The JSON APIs: no cookies, no CSRF (no ambient credentials: bearer tokens only), their own errors.
  app.use(apiRoutes(web));
  app.use(walletRoutes(web));
  // A badge's public page is the most requested address (a badge shared on LinkedIn): it answers
  // ahead of the other pages, with only what a page needs; it reads no body, so the CSRF guard has
  // nothing to check. After the APIs: their CORS preflights on /credentials/… are theirs.
  app.use(credentialPageRoutes(web, pageLocals));
  app.use(pageLocals);
  app.use(express.urlencoded({ extended: false, limit: '512kb', parameterLimit: 5000 }));
  app.use(web.csrf.guard);
  app.use(publicRoutes(web));
  app.use(learnerRoutes(web));
  app.use(verifyRoutes(web));
  app.use(accountRoutes(web));
  // Members' pages, by feature.
  app.use(membersOnly);
  for (const routes of [collectiveRoutes, badgeClassRoutes, atelierRoutes, issuingRoutes, credentialRoutes, endorsementRoutes, requestRoutes, reportRoutes, parcoursRoutes, operationsRoutes]) app.use(routes(web));
  app.use((_req, _res, next) => next(new AppError('NOT_FOUND', 404)));
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => renderError(web, res, error));
  // The two most requested addresses are answered ahead of Express in their common case: a badge's
  // public page for visitors without a session (a badge shared on LinkedIn), and a verification
  // through the API (a recruiter's tool, a wallet). Whatever a lane declines or fails on goes on.
  const lanes = [credentialPageLane(web), verifyLane(web)];
  const serve = async (req: IncomingMessage, res: ServerResponse) => {
    for (const lane of lanes) if (await lane(req, res)) return true;
    return false;
  };
  return (req, res) => {
    serve(req, res).then((served) => served || app(req, res), () => res.headersSent || app(req, res));
  };
}
