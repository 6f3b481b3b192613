// One structured log entry per request: an id (the caller's X-Request-Id when it is sane, else a
// new UUID, echoed in the response), method, path, status and duration. No query string is logged,
// and no secret: every secret this app puts in a path (claim, personal, wallet-offer, invitation,
// password and setup links) is 256 bits in base64url, 43 characters, and one rule masks any path
// segment that long — record ids, 22 characters, stay readable.
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Context } from '../shared/context.js';
import { locals } from './http.js';

const SECRET_SEGMENT = /(?<=\/)[A-Za-z0-9_-]{32,}(?=[/.]|$)/g;

/** The path as logged: no query string, no secret. */
export const loggedPath = (url: string): string => url.split('?')[0]!.replace(SECRET_SEGMENT, '…');

export function requestLog(ctx: Context) {
  return (req: Request, res: Response, next: NextFunction) => {
    const given = req.get('x-request-id');
    const id = given && /^[\w.:-]{1,64}$/.test(given) ? given : randomUUID();
    locals(res).requestId = id;
    res.set('X-Request-Id', id);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      ctx.record('request', {
        reqId: id, method: req.method, path: loggedPath(req.originalUrl), status: res.statusCode,
        ms: Math.round(Number(process.hrtime.bigint() - started) / 1e5) / 10,
      });
    });
    next();
  };
}
