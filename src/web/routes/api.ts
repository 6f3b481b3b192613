// The JSON APIs: verification for anyone (VC-API `POST /credentials/verify`, and
// `POST /api/v1/verify` for any form a badge comes in), issuing and status changes for tools
// holding a collective's API token (VC-API `POST /credentials/issue`, `POST /credentials/status`).
// Open to every origin (CORS), rate-limited per client address, errors as {error: {code, message}}.
import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import getRawBody from 'raw-body';
import { langFromHeader, translate } from '../../i18n/index.js';
import type { Lang } from '../../ob3/model.js';
import { MAX_INPUT_BYTES, parseJsonObject, type VerifyInput } from '../../ob3/verify/input.js';
import { issueFromApi } from '../../issuing/api-issuing.js';
import { authenticateApiToken } from '../../collectives/api-tokens.js';
import { changeStatus, type StatusAction } from '../../credentials/credential-status.js';
import { AppError, problemOf } from '../../shared/errors.js';
import { verifyBadge, ownCredentialId, type BadgeVerification } from '../../verifier/verifying.js';
import { readMultipart, SECURITY_HEADERS } from '../http.js';
import { bindTo, setRetryAfter, type Web } from '../render.js';
import { logRequest } from '../request-log.js';

const API_PATHS = ['/credentials/verify', '/credentials/issue', '/credentials/status', '/api/v1'];
const MAX_API_JSON_BYTES = 256 * 1024;

const apiLang = (req: IncomingMessage): Lang => langFromHeader(req.headers['accept-language']);

const CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'POST, OPTIONS',
  'Access-Control-Allow-Headers': 'Authorization, Content-Type, Accept-Language',
  'Access-Control-Max-Age': '600',
};

function cors(req: Request, res: Response, next: NextFunction): void {
  res.set(CORS_HEADERS);
  if (req.method === 'OPTIONS') res.status(204).end();
  else next();
}

/** What `badgeons verify --json` prints, with who the issuer is to this instance, and whether the recipient given matches. */
function reportBody({ report, issuer, recipientMatches }: BadgeVerification) {
  return { ...report, ...(issuer ? { issuer } : {}), ...(recipientMatches !== undefined ? { recipientMatches } : {}) };
}

/** VC-API's shape: the checks that passed, and the others as problem details. */
function vcApiBody(verification: BadgeVerification, lang: Lang) {
  const { report, issuer } = verification;
  const problem = (c: { id: string; code?: string; message: string }) => ({ type: `https://w3id.org/badgeons#${c.id}`, title: c.id, ...(c.code ? { code: c.code } : {}), detail: c.message });
  const warnings = report.checks.filter((c) => c.status === 'warn').map(problem);
  if (issuer && !issuer.known) warnings.push(problem({ id: 'issuer', code: 'ISSUER_UNKNOWN', message: translate(lang, 'verify.api.issuerUnknown', { issuer: issuer.id }) }));
  return {
    verified: report.verified,
    verdict: report.verdict,
    checks: report.checks.filter((c) => c.status === 'pass').map((c) => c.id),
    warnings,
    errors: report.checks.filter((c) => c.status === 'fail').map(problem),
  };
}

/**
 * A body as sent, and the recipient to check if any: a multipart upload's file or text fields (and
 * `recipient`), `{"url": …, "recipient": …}`, or the raw bytes (with `?recipient=`).
 */
async function verifyInput(req: Request): Promise<{ input: VerifyInput; recipient?: string }> {
  const query = typeof req.query.recipient === 'string' ? req.query.recipient : undefined;
  if (req.is('multipart/form-data')) {
    const form = await readMultipart(req, MAX_INPUT_BYTES, MAX_INPUT_BYTES);
    const value = form.file?.bytes ?? ['credential', 'text', 'url'].map((k) => form.fields[k]).find((v) => typeof v === 'string' && v.trim());
    if (!value) throw new AppError('VERIFY_INPUT_MISSING', 400);
    const recipient = typeof form.fields.recipient === 'string' ? form.fields.recipient : query;
    return { input: value as VerifyInput, ...(recipient ? { recipient } : {}) };
  }
  return bodyInput(req.body as Buffer | undefined, query);
}

/** A plain body: `{"url": …, "recipient": …}`, or the badge's own bytes (the recipient from the query). */
function bodyInput(body: Buffer | undefined, query: string | undefined): { input: VerifyInput; recipient?: string } {
  if (!Buffer.isBuffer(body) || body.length === 0) throw new AppError('VERIFY_INPUT_MISSING', 400);
  // {"url": "https://…", "recipient": "…"} asks us to fetch; any other JSON is the credential itself
  // (its first key tells, so a badge is not parsed twice in this thread).
  if (body.length < 4096 && /^\{\s*"(url|recipient)"/.test(body.toString('latin1', 0, 64))) {
    try {
      const json = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
      const keys = Object.keys(json);
      if (typeof json.url === 'string' && keys.every((k) => k === 'url' || k === 'recipient')) {
        const recipient = typeof json.recipient === 'string' ? json.recipient : query;
        return { input: json.url, ...(recipient ? { recipient } : {}) };
      }
    } catch {
      // not JSON: the core reports it
    }
  }
  return { input: body, ...(query ? { recipient: query } : {}) };
}

/** A JSON object body, or API_REQUEST_INVALID saying why not. */
function readJson(req: Request): Record<string, unknown> {
  if (!Buffer.isBuffer(req.body) || !req.body.length) throw new AppError('API_REQUEST_INVALID', 400, { reasonCode: 'emptyBody' });
  try {
    return parseJsonObject(req.body.toString('utf8'));
  } catch {
    throw new AppError('API_REQUEST_INVALID', 400, { reasonCode: 'notJson' });
  }
}

export function apiRoutes(web: Web): Router {
  // Multipart bodies are left to busboy (verifyInput); everything else is read as bytes.
  const raw = express.raw({ type: (req) => !/^multipart\//i.test(String(req.headers['content-type'] ?? '')), limit: MAX_INPUT_BYTES });
  const small = express.raw({ type: () => true, limit: MAX_API_JSON_BYTES });
  const on = bindTo(web);
  return Router()
    .use(API_PATHS, cors, web.limiter.middleware())
    .post('/api/v1/verify', raw, on(postVerify))
    .post('/credentials/verify', raw, on(postVcApiVerify))
    .post('/credentials/issue', small, on(postIssue))
    .post('/credentials/status', small, on(postStatus))
    .use(API_PATHS, (error: unknown, req: Request, res: Response, _next: NextFunction) => sendProblem(web, error, req, res));
}

async function postVerify(web: Web, req: Request, res: Response) {
  const { input, recipient } = await verifyInput(req);
  res.json(reportBody(await verifyBadge(web.ctx, input, apiLang(req), recipient)));
}

/**
 * The common case of `POST /api/v1/verify` — a badge's bytes or `{"url"}` as the body, no query, no
 * multipart, no Content-Encoding — answered ahead of Express, as the route above answers it
 * (headers, rate limit, body limit, report, errors). With the worker pool verifying, Express's
 * routing, body parser and `res.json` were a fifth of what the main thread spent on each
 * verification (README, *Worker pool*). Anything else is left to the route (false).
 */
export function verifyLane(web: Web) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    if (req.method !== 'POST' || req.url !== '/api/v1/verify' || req.headers['content-encoding'] || /^multipart\//i.test(req.headers['content-type'] ?? '')) return false;
    logRequest(web.ctx, req, res);
    for (const headers of [SECURITY_HEADERS, CORS_HEADERS]) for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    try {
      await web.limiter.admit(req);
      const { input, recipient } = bodyInput(await getRawBody(req, { limit: MAX_INPUT_BYTES, length: req.headers['content-length'] }), undefined);
      sendJson(res, 200, reportBody(await verifyBadge(web.ctx, input, apiLang(req), recipient)));
    } catch (error) {
      sendProblem(web, error, req, res);
    }
    return true;
  };
}

async function postVcApiVerify(web: Web, req: Request, res: Response) {
  const credential = readJson(req).verifiableCredential;
  if (!credential || (typeof credential !== 'string' && typeof credential !== 'object')) throw new AppError('API_REQUEST_INVALID', 400, { reasonCode: 'verifiableCredential' });
  const verification = await verifyBadge(web.ctx, credential as VerifyInput, apiLang(req));
  // VC-API: 200 when verified, 400 otherwise, with the same body.
  res.status(verification.report.verified ? 200 : 400).json(vcApiBody(verification, apiLang(req)));
}

async function postIssue(web: Web, req: Request, res: Response) {
  const scope = await authenticateApiToken(web.ctx, req.headers.authorization);
  const issued = await issueFromApi(web.ctx, scope, readJson(req));
  res.status(201).location(`/credentials/${issued.id}`).json({ verifiableCredential: issued.verifiableCredential });
}

const STATUS_ACTIONS: Record<string, StatusAction> = { revoked: 'revoke', suspended: 'suspend', active: 'reinstate' };

async function postStatus(web: Web, req: Request, res: Response) {
  const scope = await authenticateApiToken(web.ctx, req.headers.authorization);
  const body = readJson(req);
  const id = typeof body.credentialId === 'string' ? ownCredentialId(web.ctx, body.credentialId) ?? body.credentialId : '';
  const entry = Array.isArray(body.credentialStatus) ? body.credentialStatus[0] : body.credentialStatus;
  const status = entry && typeof entry === 'object' ? (entry as Record<string, unknown>).status : undefined;
  const action = typeof status === 'string' && Object.hasOwn(STATUS_ACTIONS, status) ? STATUS_ACTIONS[status] : undefined;
  if (!id || !action) throw new AppError('API_REQUEST_INVALID', 400, { reasonCode: 'statusBody' });
  const record = await changeStatus(web.ctx, scope, id, action, typeof body.reason === 'string' ? body.reason : '');
  res.json({ credentialId: body.credentialId, status: record.status });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(json) });
  res.end(json);
}

/** The JSON edge of the problem model: `{error: {code, reason?, message}}` in the client's language. */
function sendProblem(web: Web, error: unknown, req: IncomingMessage, res: ServerResponse) {
  let problem = problemOf(error);
  if (problem.code === 'FORM_UNREADABLE') problem = new AppError('API_REQUEST_INVALID', 400, { reasonCode: 'unreadable' });
  if (problem.unexpected) web.ctx.log(`Badgeons: API error: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
  if (res.headersSent) return;
  const reason = typeof problem.params.reasonCode === 'string' ? { reason: problem.params.reasonCode } : {};
  setRetryAfter(res, problem);
  sendJson(res, problem.status, { error: { code: problem.code, ...reason, message: problem.localized(apiLang(req)) } });
}
