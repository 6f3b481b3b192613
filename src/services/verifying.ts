// Verifying a badge this instance issued, for its *Vérifier* button. Our own issuers' DID
// documents and status lists are read from the store, not fetched from ourselves over HTTP.
// (Badges from elsewhere — uploads, pasted JSON, other hosts — are the verifier page's job.)
import type { Lang, VerificationReport } from '../ob3/model.js';
import { verify } from '../ob3/verify/index.js';
import { isId } from '../store/ids.js';
import type { Context } from './context.js';
import { findPublicCredential } from './credentials.js';
import { issuerDid, issuerDidDocument, statusListCredential, statusListUrl } from './issuers.js';

/** The id of a credential of ours from its public URL, or undefined. */
export function ownCredentialId(ctx: Context, url: string): string | undefined {
  const prefix = `${ctx.config.publicUrl}/credentials/`;
  if (!url.startsWith(prefix)) return undefined;
  const id = url.slice(prefix.length).replace(/\.(json|png|svg|jwt)$/, '');
  return isId(id) ? id : undefined;
}

export async function verifyOwnCredential(ctx: Context, id: string, lang: Lang): Promise<VerificationReport> {
  const found = await findPublicCredential(ctx, id);
  const { collective, record } = found;
  const list = (await ctx.store.statusLists.byId(record.statusListId))!;
  const documents: Record<string, unknown> = {
    [issuerDid(ctx, collective)]: issuerDidDocument(ctx, collective),
    [statusListUrl(ctx, collective, list)]: JSON.parse(await statusListCredential(ctx, collective, list)),
  };
  return verify(record.json!, { lang, documents, offline: true, now: ctx.now() });
}
