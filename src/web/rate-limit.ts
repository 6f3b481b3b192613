// Requests per minute and client address, for the endpoints anyone can call (verifier, APIs):
// a fixed one-minute window is enough to stop one address from monopolising the verifier.
import type { NextFunction, Request, Response } from 'express';
import { AppError } from '../services/errors.js';

export class RateLimiter {
  private windows = new Map<string, { start: number; count: number }>();

  constructor(private readonly perMinute: number, private readonly now: () => number = Date.now) {}

  /** Seconds to wait, or 0 when the request may go ahead. */
  take(key: string): number {
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || now - window.start >= 60_000) {
      if (this.windows.size > 10_000) this.sweep(now);
      window = { start: now, count: 0 };
      this.windows.set(key, window);
    }
    window.count++;
    return window.count > this.perMinute ? Math.ceil((window.start + 60_000 - now) / 1000) : 0;
  }

  private sweep(now: number): void {
    for (const [key, w] of this.windows) if (now - w.start >= 60_000) this.windows.delete(key);
  }

  middleware() {
    return (req: Request, res: Response, next: NextFunction) => {
      const wait = this.take(req.ip ?? 'unknown');
      if (!wait) return next();
      res.set('Retry-After', String(wait));
      next(new AppError('RATE_LIMITED', 429, { seconds: wait }));
    };
  }
}
