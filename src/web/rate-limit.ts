// Requests per minute and client address, for the endpoints anyone can call (verifier, APIs): a
// fixed one-minute window, counted in the database so that every app instance shares the count.
import type { NextFunction, Request, Response } from 'express';
import { AppError } from '../services/errors.js';
import type { Store } from '../store/index.js';

export class RateLimiter {
  constructor(private readonly store: Store, private readonly perMinute: number, private readonly now: () => number = Date.now) {}

  /** Seconds to wait, or 0 when the request may go ahead. */
  async take(key: string): Promise<number> {
    const now = this.now();
    const minute = Math.floor(now / 60_000);
    const count = await this.store.rateLimits.hit(key, minute);
    return count > this.perMinute ? Math.ceil(((minute + 1) * 60_000 - now) / 1000) : 0;
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
