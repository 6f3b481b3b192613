// Re-signing a badge under its own id: a renewal, a corrected name, an endorsement she accepts.
import type { Context } from '../shared/context.js';
import { AppError } from '../shared/errors.js';
import { isoSeconds } from '../ob3/build.js';
import type { OpenBadgeCredential } from '../ob3/model.js';
import type { Collective } from '../store/index.js';
import { signBothAsIssuer } from '../collectives/issuers.js';
import type { CredentialRecord } from './repository.js';

/**
 * Re-signs a badge under the same id with a newer validFrom, which supersedes the old copy
 * (OB 3.0 §10: same issuer and id, newer validFrom); same status entry, old forms kept aside.
 */
export async function resignCredential(
  ctx: Context, collective: Collective, record: CredentialRecord,
  edit: (credential: OpenBadgeCredential, from: Date) => OpenBadgeCredential, recipientName?: string,
): Promise<CredentialRecord> {
  if (record.erasedAt || !record.json) throw new AppError('CREDENTIAL_ERASED', 410);
  if (record.status === 'revoked') throw new AppError('ALREADY_REVOKED', 409);
  const { proof: _proof, ...previous } = JSON.parse(record.json) as OpenBadgeCredential;
  // Strictly newer, even when re-signed within the second it was issued.
  const from = new Date(Math.max(ctx.now().getTime(), Date.parse(previous.validFrom ?? '') + 1000 || 0));
  const { json, jwt } = await signBothAsIssuer(ctx, collective, edit({ ...previous, validFrom: isoSeconds(from) }, from));
  return ctx.store.credentials.supersede(record.id, json, jwt, ctx.now().toISOString(), recipientName);
}
