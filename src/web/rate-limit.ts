// The per-address limit on the endpoints anyone can call (verifier, APIs, forms that send mail),
// as middleware: 429 with Retry-After. The counting is operations/rate-limits.ts.
import type { NextFunction, Request, Response } from 'express';
import type { Context } from '../shared/context.js';
import { AppError } from '../shared/errors.js';
import { takeRequest } from '../operations/rate-limits.js';

export class RateLimiter {
  constructor(private readonly ctx: Context, private readonly perMinute: number) {}

  /** Seconds to wait, or 0 when the request may go ahead. */
  take(key: string): Promise<number> {
    return takeRequest(this.ctx, key, this.perMinute);
  }

  middleware() {
    return async (req: Request, res: Response, next: NextFunction) => {
      const wait = await this.take(req.ip ?? 'unknown');
      if (!wait) return next();
      res.set('Retry-After', String(wait));
      next(new AppError('RATE_LIMITED', 429, { seconds: wait }));
    };
  }
}
