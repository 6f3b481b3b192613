// What every member's page shares: the signed-in account, the member's scope in the collective of
// the URL (`requireScope`: role and collective), the data every collective page shows, and a
// guard that sends the signed-out to the sign-in form.
import type { NextFunction, Request, Response } from 'express';
import { translateForPage, type AppMessageKey } from '../i18n/index.js';
import type { Scope } from '../collectives/collectives.js';
import { AppError } from '../shared/errors.js';
import type { Account } from '../accounts/repository.js';
import { locals } from './http.js';
import { requireScope, type Web } from './render.js';

export const tr = (res: Response, key: AppMessageKey, params: Record<string, unknown> = {}): string => translateForPage(locals(res).lang, key, params);

export function currentAccount(res: Response): Account {
  const account = locals(res).account;
  if (!account) throw new AppError('LOGIN_REQUIRED', 401);
  return account;
}

/** A facilitator's (or an admin's) scope in the collective of the URL. */
export const memberScope = (web: Web, req: Request, res: Response) => requireScope(web, req, res, 'facilitator');

/** An admin's scope in the collective of the URL. */
export const adminScope = (web: Web, req: Request, res: Response) => requireScope(web, req, res, 'admin');

/** What every page of a collective needs: the collective, the role, where its pages live. */
export const collectiveBase = (s: Scope) => ({ collective: s.collective, role: s.role, isAdmin: s.role === 'admin', cpath: `/c/${s.collective.slug}` });

/** Members' pages (`/dashboard`, `/c/…`) signed out: the sign-in form for a page, 401 otherwise. */
export function membersOnly(req: Request, res: Response, next: NextFunction): void {
  if (!locals(res).account && (req.path === '/dashboard' || req.path.startsWith('/c/'))) {
    if (req.method === 'GET') return res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
    throw new AppError('LOGIN_REQUIRED', 401);
  }
  next();
}
