// One structured log entry per request: an id (the caller's X-Request-Id when it is sane, else a
// new UUID, echoed in the response), method, path, status and duration. No query string is logged,
// and no secret: every secret this app puts in a path (claim, personal, wallet-offer, invitation,
// password and setup links) is 256 bits in base64url, 43 characters, and one rule masks any path
// segment that long — record ids, 22 characters, stay readable.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import type { Context } from '../shared/context.js';
import { locals } from './http.js';

const SECRET_SEGMENT = /(?<=\/)[A-Za-z0-9_-]{32,}(?=[/.]|$)/g;

/** The path as logged: no query string, no secret. */
export const loggedPath = (url: string): string => url.split('?')[0]!.replace(SECRET_SEGMENT, '…');

/** Names the request (X-Request-Id) and logs it when answered; `started` when it arrived, if earlier. Returns its id. */
export function logRequest(ctx: Context, req: IncomingMessage, res: ServerResponse, started = process.hrtime.bigint()): string {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && /^[\w.:-]{1,64}$/.test(given) ? given : randomUUID();
  res.setHeader('X-Request-Id', id);
  // As it arrived: Express's routers shorten req.url on their way.
  const url = req.url ?? '';
  res.on('finish', () => {
    ctx.record('request', {
      reqId: id, method: req.method, path: loggedPath(url), status: res.statusCode,
      ms: Math.round(Number(process.hrtime.bigint() - started) / 1e5) / 10,
    });
  });
  return id;
}

/** The same as the first Express middleware. */
export function requestLog(ctx: Context) {
  return (req: Request, res: Response, next: NextFunction) => {
    locals(res).requestId = logRequest(ctx, req, res);
    next();
  };
}
