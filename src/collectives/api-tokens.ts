// Bearer tokens for the issuing API, one per tool a collective connects. The secret is shown
// once; only its hash is stored.
import type { ApiToken } from '../store/index.js';
import { makeScope, type AdminScope, type Scope } from './collectives.js';
import { newId } from '../store/ids.js';
import type { Context } from '../shared/context.js';
import { AppError } from '../shared/errors.js';
import { hashSecret, newSecret } from '../shared/secrets.js';

const PREFIX = 'bdg_';

export async function createApiToken(ctx: Context, { collective, account }: AdminScope, name: string): Promise<{ token: ApiToken; secret: string }> {
  const label = name.trim().slice(0, 80);
  if (!label) throw new AppError('NAME_REQUIRED');
  const secret = PREFIX + newSecret();
  const token: ApiToken = {
    id: newId(), collectiveId: collective.id, name: label, hash: hashSecret(secret), createdBy: account.id,
    createdAt: ctx.now().toISOString(), lastUsedAt: null, revokedAt: null,
  };
  await ctx.store.apiTokens.create(token);
  return { token, secret };
}

export async function revokeApiToken(ctx: Context, { collective }: AdminScope, id: string): Promise<void> {
  if (!(await ctx.store.apiTokens.revoke(collective.id, id, ctx.now().toISOString()))) throw new AppError('NOT_FOUND', 404);
}

/**
 * The scope an `Authorization: Bearer …` header gives: its collective, as a facilitator would act
 * there (issue, withdraw), recorded as `api:<token id>`.
 */
export async function authenticateApiToken(ctx: Context, header: string | undefined): Promise<Scope> {
  const secret = /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
  if (!secret) throw new AppError('API_TOKEN_MISSING', 401);
  const token = secret.startsWith(PREFIX) ? await ctx.store.apiTokens.byHash(hashSecret(secret)) : undefined;
  const collective = token && (await ctx.store.collectives.byId(token.collectiveId));
  if (!token || !collective) throw new AppError('API_TOKEN_INVALID', 401);
  await ctx.store.apiTokens.touch(token.id, ctx.now().toISOString());
  return makeScope<Scope>({ collective, role: 'facilitator', actorId: `api:${token.id}` });
}

export const listApiTokens = (ctx: Context, { collective }: AdminScope): Promise<ApiToken[]> => ctx.store.apiTokens.list(collective.id);
