// Requests per minute and key (a client address), for the endpoints anyone can call: a fixed
// one-minute window, counted in the database so that every app instance shares the count.
import type { Context } from '../shared/context.js';

/** Counts one more request for `key`; the seconds to wait, or 0 when it may go ahead. */
export async function takeRequest(ctx: Context, key: string, perMinute: number): Promise<number> {
  const now = ctx.now().getTime();
  const minute = Math.floor(now / 60_000);
  const count = await ctx.store.rateLimits.hit(key, minute);
  return count > perMinute ? Math.ceil(((minute + 1) * 60_000 - now) / 1000) : 0;
}
