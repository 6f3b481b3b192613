// What the web layer needs of the instance itself: secrets shared by every app instance on the
// database (the first to start sets them), and whether the database answers.
import { randomBytes } from 'node:crypto';
import type { Context } from '../shared/context.js';

/** A 256-bit secret shared by every app instance, made by the first one to start. */
export async function sharedSecret(ctx: Context, name: 'csrf_secret'): Promise<Buffer> {
  return Buffer.from(await ctx.store.settings.init(name, randomBytes(32).toString('base64url')), 'base64url');
}

/** True while the database reads (for /healthz). */
export async function databaseAnswers(ctx: Context): Promise<boolean> {
  try {
    await ctx.store.settings.get('csrf_secret');
    return true;
  } catch {
    return false;
  }
}
