// Collectives are issuers: an OB Profile, a did:web under PUBLIC_URL with its Ed25519 keys,
// and the Bitstring status lists their badges point at.
import { isoSeconds } from '../ob3/build.js';
import { controllerDocument, didWebFromUrl, verificationMethodId } from '../ob3/did.js';
import type { ControllerDocument, CredentialStatus, OpenBadgeCredential, Profile } from '../ob3/model.js';
import { VC_V2_CONTEXT } from '../ob3/model.js';
import { signDataIntegrity } from '../ob3/proof/data-integrity.js';
import { signJwt } from '../ob3/proof/jwt.js';
import { STATUS_LIST_MIN_ENTRIES, encodeBitstringBytes } from '../ob3/status.js';
import type { Collective, StatusList, StatusListPolicy } from '../store/index.js';
import type { Context } from '../shared/context.js';
import { AppError } from '../shared/errors.js';

export function issuerPageUrl(ctx: Context, c: Pick<Collective, 'slug'>): string {
  return `${ctx.config.publicUrl}/issuers/${c.slug}`;
}

/** `did:web:<host>:issuers:<slug>`, resolved at `<PUBLIC_URL>/issuers/<slug>/did.json`. */
export function issuerDid(ctx: Context, c: Pick<Collective, 'slug'>): string {
  return didWebFromUrl(issuerPageUrl(ctx, c));
}

export function issuerProfile(ctx: Context, c: Collective): Profile {
  const profile: Profile = { id: issuerDid(ctx, c), type: ['Profile'], name: c.name, url: c.url || issuerPageUrl(ctx, c) };
  if (c.description) profile.description = c.description;
  if (c.email) profile.email = c.email;
  if (c.town) profile.address = { type: ['Address'], addressLocality: c.town, addressCountry: 'FR' };
  if (c.logoPng) profile.image = { id: `${issuerPageUrl(ctx, c)}/logo.png`, type: 'Image', caption: c.name };
  return profile;
}

export function issuerDidDocument(ctx: Context, c: Collective): ControllerDocument {
  ctx.keys.active(c.id, ctx.now());
  return controllerDocument(issuerDid(ctx, c), ctx.keys.all(c.id));
}

/** The collective's active key (generated on first use) and its verification method id. */
function activeKey(ctx: Context, c: Collective) {
  const key = ctx.keys.active(c.id, ctx.now());
  return { key, method: verificationMethodId(issuerDid(ctx, c), key) };
}

/** Signs as Data Integrity with the collective's active key. */
export function signAsIssuer(ctx: Context, c: Collective, credential: OpenBadgeCredential): Promise<OpenBadgeCredential> {
  const { key, method } = activeKey(ctx, c);
  return signDataIntegrity(credential, { key, verificationMethod: method });
}

/** Signs as VC-JWT with the collective's active key. */
export function signJwtAsIssuer(ctx: Context, c: Collective, credential: OpenBadgeCredential): Promise<string> {
  const { key, method } = activeKey(ctx, c);
  return signJwt(credential, key, method);
}

/** Both forms of a badge: Data Integrity (the stored JSON) and VC-JWT, with the same key. */
export async function signBothAsIssuer(ctx: Context, c: Collective, unsigned: OpenBadgeCredential): Promise<{ json: string; jwt: string }> {
  const { key, method } = activeKey(ctx, c);
  const { signed, jwt } = await ctx.workers.signBoth(unsigned, key, method);
  return { json: JSON.stringify(signed), jwt };
}

/** `/status/<slug>/<n>`: lists are numbered per collective, revocation and suspension lists alike. */
export function statusListUrl(ctx: Context, c: Collective, list: Pick<StatusList, 'number'>): string {
  return `${ctx.config.publicUrl}/status/${c.slug}/${list.number}`;
}

/**
 * How status lists are cut: Bitstring Status List's minimum size (herd privacy), and a list takes
 * new entries (badges, endorsements) until half full, so random free indexes stay cheap to find.
 */
export const STATUS_LIST_POLICY: StatusListPolicy = { size: STATUS_LIST_MIN_ENTRIES, fillLimit: 0.5 };

export function statusEntry(ctx: Context, c: Collective, list: StatusList, index: number): CredentialStatus {
  const url = statusListUrl(ctx, c, list);
  return {
    id: `${url}#${index}`,
    type: 'BitstringStatusListEntry',
    statusPurpose: list.purpose,
    statusListIndex: String(index),
    statusListCredential: url,
  };
}

/** The signed BitstringStatusListCredential, signed once and cached until its bits change. */
export async function statusListCredential(ctx: Context, c: Collective, list: StatusList): Promise<string> {
  if (list.signedJson) return list.signedJson;
  const url = statusListUrl(ctx, c, list);
  const unsigned = {
    '@context': [VC_V2_CONTEXT],
    id: url,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: issuerDid(ctx, c),
    validFrom: isoSeconds(list.updatedAt),
    credentialSubject: { id: `${url}#list`, type: 'BitstringStatusList', statusPurpose: list.purpose, encodedList: encodeBitstringBytes(list.bits) },
  } as unknown as OpenBadgeCredential;
  const json = JSON.stringify(await signAsIssuer(ctx, c, unsigned));
  await ctx.store.statusLists.saveSigned(list.id, json);
  return json;
}

/**
 * Signs the list now if its bits changed (or it is new) since it was last signed, so that the
 * next verification — a recruiter's — does not pay for it.
 */
export async function keepStatusListSigned(ctx: Context, c: Collective, listId: string): Promise<void> {
  const list = await ctx.store.statusLists.byId(listId);
  if (list && !list.signedJson) await statusListCredential(ctx, c, list);
}

/** A collective's status list by its number in `/status/<slug>/<n>`. */
export async function findStatusList(ctx: Context, collective: Collective, number: number): Promise<StatusList> {
  const list = Number.isInteger(number) && number > 0 ? await ctx.store.statusLists.byNumber(collective.id, number) : undefined;
  if (!list) throw new AppError('NOT_FOUND', 404);
  return list;
}
