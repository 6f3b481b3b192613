// The collective's issued badges: the list (search, filters, pages, a spreadsheet), and one badge's
// controls — withdraw, reinstate, renew, the participant's personal link and card. Public: a badge's
// page and files (members of its collective also see how to manage it there).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Router, type Request, type RequestHandler, type Response } from 'express';
import fresh from 'fresh';
import { hasMessage, translate, type AppMessageKey } from '../i18n/index.js';
import { currentBadgeClasses } from '../badge-classes/achievements.js';
import { assertPublished, findPublicCredential, initials, type PublicCredential } from './credentials.js';
import { AppError } from '../shared/errors.js';
import type { Collective } from '../collectives/repository.js';
import type { CredentialRecord } from './repository.js';
import { authorize, type Scope } from '../collectives/collectives.js';
import { allowedActions, changeStatus } from './credential-status.js';
import { SECRET_PAGE_HEADERS, SECURITY_HEADERS, field, form, locals, pageLanguage, readCookies } from '../web/http.js';
import { logRequest } from '../web/request-log.js';
import { SESSION_COOKIE } from '../accounts/routes.js';
import type { Account } from '../accounts/repository.js';
import { credentialView } from '../web/credential-view.js';
import { claimLinkFor } from '../learners/claims.js';
import { qrDataUrl } from '../web/qr.js';
import { bindTo, errorMessage, publicPage, render, renderPublic, type Web } from '../web/render.js';
import { sendBadgeFile, wantsJson } from '../web/badge-files.js';
import { ISSUED_STATES, issuedBadgesCsv, listIssuedBadges, readIssuedQuery, type IssuedQuery } from './issued-badges.js';
import { renewCredential } from '../issuing/issuing.js';
import { findAtelier } from '../ateliers/ateliers.js';
import { carriedEndorsements, endorsementsOf, endorsingFor } from '../endorsements/endorsements.js';
import type { Lang, OpenBadgeCredential } from '../ob3/model.js';
import { collectiveBase, memberScope, tr } from '../web/members.js';

export function credentialRoutes(web: Web): Router {
  const on = bindTo(web);
  return Router()
    .get('/c/:slug/credentials', on(showIssuedBadges))
    .get('/c/:slug/credentials.csv', on(getIssuedBadgesCsv))
    .post('/c/:slug/credentials/:id/status', on(postStatus))
    .post('/c/:slug/credentials/:id/renew', on(postRenew))
    .post('/c/:slug/credentials/:id/claim-link', on(postClaimLink));
}

/** A badge's public page and files: the most requested address, so mounted ahead of the others, after `pageLocals`. */
export function credentialPageRoutes(web: Web, pageLocals: RequestHandler): Router {
  return Router().get('/credentials/:file', pageLocals, bindTo(web)(showCredential));
}

/** The list's filters as a query string, kept across pages and in the spreadsheet link. */
const filterSearch = (query: IssuedQuery) =>
  new URLSearchParams(Object.entries({ q: query.text, badge: query.badgeClassId, state: query.state, source: query.source }).filter(([, v]) => v) as [string, string][]);

async function showIssuedBadges(web: Web, req: Request, res: Response) {
  const s = await memberScope(web, req, res);
  const base = collectiveBase(s);
  const query = readIssuedQuery(req.query);
  const [list, badges] = await Promise.all([listIssuedBadges(web.ctx, s, query), currentBadgeClasses(web.ctx, s)]);
  const search = filterSearch(query);
  const pageLink = (page: number) => `${base.cpath}/credentials?${new URLSearchParams([...search, ['page', String(page)]]).toString()}`;
  render(web, res, 'credentials/credentials', {
    ...base, title: tr(res, 'issued.title'), query, ...list,
    badges: badges.map((b) => ({ id: b.badgeClassId, name: b.name, selected: b.badgeClassId === query.badgeClassId })),
    states: ISSUED_STATES.map((value) => ({ value, label: tr(res, `issued.state.${value}`), selected: value === query.state })),
    lines: list.lines.map((l) => ({ ...l, stateLabel: tr(res, `issued.state.${l.state}`), path: `/credentials/${l.id}` })),
    previous: list.page > 1 ? pageLink(list.page - 1) : undefined,
    next: list.page < list.pages ? pageLink(list.page + 1) : undefined,
    csv: `${base.cpath}/credentials.csv?${search.toString()}`,
    filtered: !!(query.text || query.badgeClassId || query.state || query.source),
  });
}

async function getIssuedBadgesCsv(web: Web, req: Request, res: Response) {
  const s = await memberScope(web, req, res);
  const csv = await issuedBadgesCsv(web.ctx, s, readIssuedQuery(req.query), locals(res).lang);
  res.set('Content-Disposition', `attachment; filename="badges-${s.collective.slug}-${web.ctx.now().toISOString().slice(0, 10)}.csv"`);
  res.type('text/csv; charset=utf-8').send(csv);
}

async function postStatus(web: Web, req: Request, res: Response) {
  const s = await memberScope(web, req, res);
  const action = field(form(req), 'action');
  if (action !== 'revoke' && action !== 'suspend' && action !== 'reinstate') throw new AppError('FORM_UNREADABLE', 400);
  // Withdrawing is asked twice (the form's box): the person sees it at once.
  if (action !== 'reinstate' && field(form(req), 'confirm') !== 'yes') throw new AppError('CONFIRM_NEEDED', 400);
  const record = await changeStatus(web.ctx, s, String(req.params.id), action, field(form(req), 'reason'));
  res.redirect(303, `/credentials/${record.id}?changed=${record.status}`);
}

async function postRenew(web: Web, req: Request, res: Response) {
  const s = await memberScope(web, req, res);
  const record = await renewCredential(web.ctx, s, String(req.params.id));
  res.redirect(303, `/credentials/${record.id}?changed=renewed`);
}

// The participant's personal link and card; renew=1 makes a new one (the old one stops working),
// send=email also sends it to the participant's email (or the outbox).
async function postClaimLink(web: Web, req: Request, res: Response) {
  const s: Scope = await memberScope(web, req, res);
  const lang = locals(res).lang;
  const body = form(req);
  const { badge: { record, version }, mail, mailError, ...link } = await claimLinkFor(web.ctx, s, String(req.params.id), {
    renew: field(body, 'renew') === '1', ...(field(body, 'send') === 'email' ? { sendIn: lang } : {}),
  });
  res.set(SECRET_PAGE_HEADERS);
  render(web, res, 'credentials/claim-link', {
    ...collectiveBase(s), title: tr(res, 'claim.linkTitle'), ...link, qr: await qrDataUrl(link.url),
    recipient: record.recipientName, badgeName: version.name, atelierId: record.atelierId, credentialId: record.id,
    imageUrl: `/achievements/${version.id}/image.png`, codeAddress: `${web.ctx.config.publicUrl.replace(/^https?:\/\//, '')}/code`,
    atelierDate: record.atelierId ? (await findAtelier(web.ctx, s, record.atelierId)).date : undefined,
    mailNotice: mail && translate(lang, mail.file ? 'mail.written' : 'mail.sent', { to: mail.recipient }),
    mailError: mailError && errorMessage(res, mailError),
  });
}

async function showCredential(web: Web, req: Request, res: Response) {
  const [id, ext] = String(req.params.file).split('.', 2) as [string, string | undefined];
  const found = await findPublicCredential(web.ctx, id);
  const { record, credential, collective } = found;
  res.set('Access-Control-Allow-Origin', '*');
  if (ext !== undefined || wantsJson(req)) {
    assertPublished(found, 'file');
    return sendBadgeFile(req, res, found, ext ?? 'json');
  }
  const { account, lang } = locals(res);
  const manage = await managePanel(web, record, collective, account, !!credential.validUntil);
  // The collective's members still reach a badge its holder hid, to manage it.
  if (!manage) assertPublished(found, 'page');
  const changed = typeof req.query.changed === 'string' && hasMessage(`credential.statusChanged.${req.query.changed}`)
    ? translate(lang, `credential.statusChanged.${req.query.changed}` as AppMessageKey) : undefined;
  const data = { ...(await badgePage(web, found, lang, account)), changed, manage };
  // What every visitor sees is rendered once per content; a member's page (managing it) never is.
  if (manage) render(web, res, 'credentials/credential', data);
  else renderPublic(web, res, 'credentials/credential', data);
}

/**
 * The badge page as a visitor without a session sees it, answered by node:http ahead of Express,
 * whose own work per request was most of this page's cost (README, *Benchmark*). It answers only
 * the common case — GET or HEAD `/credentials/<id>`, no query, no session cookie, a browser's
 * Accept, a badge its holder shows, a page without a form — with the same page, headers and ETag
 * as the route above, and leaves anything else, errors included, to that route (false).
 */
export function credentialPageLane(web: Web) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const started = process.hrtime.bigint();
    const id = (req.method === 'GET' || req.method === 'HEAD') && /^\/credentials\/([\w-]{22})$/.exec(req.url ?? '')?.[1];
    if (!id) return false;
    const cookies = readCookies(req);
    if (cookies[SESSION_COOKIE] || wantsJson(req)) return false;
    let found: PublicCredential;
    try {
      found = await findPublicCredential(web.ctx, id);
      assertPublished(found, 'page');
    } catch {
      return false; // unknown, erased or hidden: the route above says which, in an error page
    }
    const lang = pageLanguage(cookies, req.headers['accept-language']);
    const page = publicPage(web, 'credentials/credential', { lang, path: req.url, ...(await badgePage(web, found, lang, undefined)) }, () => '');
    if (!page.etag) return false;
    logRequest(web.ctx, req, res, started);
    const unchanged = fresh(req.headers, { etag: page.etag });
    res.writeHead(unchanged ? 304 : 200, {
      ...SECURITY_HEADERS, 'Access-Control-Allow-Origin': '*', ETag: page.etag, 'Cache-Control': 'no-cache',
      ...(unchanged ? {} : { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(page.html) }),
    });
    res.end(unchanged ? undefined : page.html);
    return true;
  };
}

/** What the badge's page shows anyone: the badge, the name as its holder lets it be shown, its state, who recognises it. */
async function badgePage(web: Web, { record, credential, collective }: PublicCredential, lang: Lang, account: Account | undefined) {
  const shown = record.display === 'name' ? undefined : initials(record.recipientName);
  return {
    ...credentialView(web.ctx, lang, credential, collective, shown), state: record.status,
    ...(await badgeEndorsements(web, record, credential, collective, account)),
    filesPrivate: record.display !== 'name',
  };
}

/** Who recognises this badge (carried in it, or endorsed for her and accepted), and whom the visitor may endorse it for. */
async function badgeEndorsements(web: Web, record: CredentialRecord, credential: OpenBadgeCredential, collective: Collective, account: Account | undefined) {
  const [carried, own, endorseAs] = await Promise.all([
    carriedEndorsements(web.ctx, credential), endorsementsOf(web.ctx, record.id),
    record.status === 'revoked' ? [] : endorsingFor(web.ctx, account, collective),
  ]);
  return { endorsements: [...carried, ...own.filter((e) => e.acceptedAt)], endorseAs, endorseAction: `/credentials/${record.id}/endorse` };
}

/** For members of the issuing collective: the badge's state, its private reason, and what they can do. */
async function managePanel(web: Web, record: CredentialRecord, collective: Collective, account: Account | undefined, expires: boolean) {
  if (!account) return undefined;
  try {
    await authorize(web.ctx, account, collective.slug, 'facilitator');
  } catch (error) {
    if (error instanceof AppError) return undefined; // not a member: the public view
    throw error;
  }
  return {
    base: `/c/${collective.slug}/credentials/${record.id}`, reason: record.statusReason, renewedAt: record.renewedAt,
    actions: await allowedActions(web.ctx, record), canRenew: expires && record.status !== 'revoked',
  };
}
