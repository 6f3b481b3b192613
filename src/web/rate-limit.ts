// The per-address limit on the endpoints anyone can call (verifier, APIs, forms that send mail),
// as middleware: 429 with Retry-After. The counting is operations/rate-limits.ts.
import type { IncomingMessage } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import type { Context } from '../shared/context.js';
import { AppError } from '../shared/errors.js';
import { takeRequest } from '../operations/rate-limits.js';
import { clientAddress } from './http.js';

export class RateLimiter {
  constructor(private readonly ctx: Context, private readonly perMinute: number) {}

  /** Seconds to wait, or 0 when the request may go ahead. */
  take(key: string): Promise<number> {
    return takeRequest(this.ctx, key, this.perMinute);
  }

  /** Counts the request against its client's address; throws RATE_LIMITED (429, Retry-After) past the limit. */
  async admit(req: IncomingMessage): Promise<void> {
    const wait = await this.take(clientAddress(req));
    if (wait) throw new AppError('RATE_LIMITED', 429, { seconds: wait });
  }

  middleware() {
    return (req: Request, res: Response, next: NextFunction) => {
      this.admit(req).then(() => next(), (error: unknown) => {
        if (error instanceof AppError) res.set('Retry-After', String(error.params.seconds));
        next(error);
      });
    };
  }
}
