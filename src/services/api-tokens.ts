// Bearer tokens for the issuing API, one per tool a collective connects. The secret is shown
// once; only its hash is stored.
import type { ApiToken, Collective } from '../store/index.js';
import { newId } from '../store/ids.js';
import type { Context } from './context.js';
import { AppError } from './errors.js';
import { hashSecret, newSecret } from './secrets.js';

const PREFIX = 'bdg_';

export async function createApiToken(ctx: Context, collective: Collective, accountId: string, name: string): Promise<{ token: ApiToken; secret: string }> {
  const label = name.trim().slice(0, 80);
  if (!label) throw new AppError('NAME_REQUIRED');
  const secret = PREFIX + newSecret();
  const token: ApiToken = {
    id: newId(), collectiveId: collective.id, name: label, hash: hashSecret(secret), createdBy: accountId,
    createdAt: ctx.now().toISOString(), lastUsedAt: null, revokedAt: null,
  };
  await ctx.store.apiTokens.create(token);
  return { token, secret };
}

export async function revokeApiToken(ctx: Context, collective: Collective, id: string): Promise<void> {
  if (!(await ctx.store.apiTokens.revoke(collective.id, id, ctx.now().toISOString()))) throw new AppError('NOT_FOUND', 404);
}

/** The collective an `Authorization: Bearer …` header speaks for. */
export async function authenticateApiToken(ctx: Context, header: string | undefined): Promise<{ token: ApiToken; collective: Collective }> {
  const secret = /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
  if (!secret) throw new AppError('API_TOKEN_MISSING', 401);
  const token = secret.startsWith(PREFIX) ? await ctx.store.apiTokens.byHash(hashSecret(secret)) : undefined;
  const collective = token && (await ctx.store.collectives.byId(token.collectiveId));
  if (!token || !collective) throw new AppError('API_TOKEN_INVALID', 401);
  await ctx.store.apiTokens.touch(token.id, ctx.now().toISOString());
  return { token, collective };
}
