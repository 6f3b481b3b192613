// Rendering pages and errors in the visitor's language. No stack trace ever reaches a page.
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { Request, Response } from 'express';
import { translate } from '../i18n/index.js';
import type { Context } from '../shared/context.js';
import { AppError, problemOf, type Problem } from '../shared/errors.js';
import type { Csrf } from './http.js';
import { locals } from './http.js';
import type { Views } from './views.js';
import { authorize, type AdminScope, type MemberScope } from '../collectives/collectives.js';
import type { Role } from '../accounts/repository.js';
import { form, readMultipart, type Multipart } from './http.js';
import type { RateLimiter } from './rate-limit.js';

export interface Web {
  ctx: Context;
  views: Views;
  csrf: Csrf;
  /** Cookies get `Secure` when PUBLIC_URL is https. */
  secure: boolean;
  /** Per-address limit on the verifier and the APIs. */
  limiter: RateLimiter;
}

/** A route's handler: module-level, so each stays small and the router reads as a table. */
export type Handler = (web: Web, req: Request, res: Response) => Promise<unknown> | unknown;

/** Binds handlers to the app they run in. */
export const bindTo = (web: Web) => (handler: Handler) => (req: Request, res: Response) => handler(web, req, res);

/** What a page is rendered from: its fields, and the CSRF token only if the page reads it. */
function pageModel(fields: Record<string, unknown>, token: () => string): Record<string, unknown> {
  const model = { ...fields };
  Object.defineProperty(model, 'csrf', { get: token });
  return model;
}

/** A page's fields: the request's locals (not its log id) and the route's data. */
function pageFields(res: Response, data: Record<string, unknown>): Record<string, unknown> {
  const { requestId: _id, ...rest } = locals(res);
  return { ...rest, ...data };
}

export function render(web: Web, res: Response, view: string, data: Record<string, unknown> = {}, status = 200): void {
  res.status(status).type('html').send(web.views.render(view, pageModel(pageFields(res, data), () => locals(res).csrf)));
}

// Public pages that many people open (a badge shared on LinkedIn) are rendered once per distinct
// content: the page is a pure function of its view and model, so a digest of both names it. Its
// data is still read on every request (a revoked or erased badge shows so at once); only the
// rendering is saved. A page that reads the CSRF token (it has a form) is never kept.
const PAGE_CACHE_MAX = 500;
const pageCache = new Map<string, string>();

/** A public page's HTML, from the cache when its content was rendered before, and its ETag — none if it read the CSRF token. */
export function publicPage(web: Web, view: string, fields: Record<string, unknown>, token: () => string): { html: string; etag?: string } {
  let usesToken = false;
  const model = pageModel(fields, () => { usesToken = true; return token(); });
  const etag = `"${createHash('sha256').update(view).update('\0').update(JSON.stringify(model)).digest('base64url').slice(0, 27)}"`;
  let html = pageCache.get(etag);
  if (html === undefined) {
    html = web.views.render(view, model);
    if (usesToken) return { html };
    if (pageCache.size >= PAGE_CACHE_MAX) pageCache.delete(pageCache.keys().next().value!);
    pageCache.set(etag, html);
  }
  return { html, etag };
}

/** Like render, for a public page, with an ETag (Express answers 304 when the request's If-None-Match matches it). */
export function renderPublic(web: Web, res: Response, view: string, data: Record<string, unknown>): void {
  const { html, etag } = publicPage(web, view, pageFields(res, data), () => locals(res).csrf);
  if (etag) res.set({ ETag: etag, 'Cache-Control': 'no-cache' });
  res.status(200).type('html').send(html);
}

/** The message for a known error, in the visitor's language; anything else is rethrown. */
export function errorMessage(res: Response, error: unknown): string {
  if (!(error instanceof AppError)) throw error;
  return error.localized(locals(res).lang);
}

/** The HTML edge of the problem model: a page in the visitor's language with the stable code. */
/** Too many requests (429) or too busy (503): when to come back, for browsers and HTTP clients alike. */
export function setRetryAfter(res: ServerResponse, problem: Problem): void {
  if ((problem.status === 429 || problem.status === 503) && typeof problem.params.seconds === 'number') res.setHeader('Retry-After', String(problem.params.seconds));
}

export function renderError(web: Web, res: Response, error: unknown): void {
  const problem = problemOf(error);
  if (problem.unexpected) web.ctx.record('unexpected error', { reqId: locals(res).requestId, error: error instanceof Error ? error.stack ?? error.message : String(error) }, 'error');
  if (res.headersSent) return;
  setRetryAfter(res, problem);
  const { lang } = locals(res);
  render(web, res, 'site/error', { title: translate(lang, 'error.title'), message: problem.localized(lang), code: problem.code, loginLink: problem.code === 'LOGIN_REQUIRED' }, problem.status);
}

/** Signed in, and member of the collective in the URL (`:slug`) with at least `role`. */
export async function requireScope<R extends Role>(web: Web, req: Request, res: Response, role: R): Promise<R extends 'admin' ? AdminScope : MemberScope> {
  const account = locals(res).account;
  if (!account) throw new AppError('LOGIN_REQUIRED', 401);
  return authorize(web.ctx, account, String(req.params.slug), role);
}

/**
 * A form that may carry a file: multipart, refused before reading when announced too big (a plain
 * form, sent without its file, is read as fields); with `oversized: 'report'` (readMultipart), only
 * beyond four times the file's limit.
 * The CSRF token was checked before any route.
 */
export async function readUpload(req: Request, maxFileBytes: number, maxFieldBytes?: number, oversized: 'refuse' | 'report' = 'refuse'): Promise<Multipart> {
  if (!req.is('multipart/form-data')) return { fields: form(req) };
  // Reported files are still read through (to keep the fields), up to four times the limit.
  const readable = (oversized === 'report' ? 4 * maxFileBytes : maxFileBytes) + (maxFieldBytes ?? 0) + 256 * 1024;
  if (Number(req.headers['content-length'] ?? 0) > readable) throw new AppError('UPLOAD_TOO_LARGE', 413);
  return readMultipart(req, maxFileBytes, maxFieldBytes, oversized);
}
