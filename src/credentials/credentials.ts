// Issued badges as the public sees them: the signed JSON, the JWT, and pictures baked with either.
import { bakePng } from '../ob3/bake/png.js';
import { bakeSvg } from '../ob3/bake/svg.js';
import type { OpenBadgeCredential } from '../ob3/model.js';
import type { AchievementVersion, Collective, CredentialRecord } from '../store/index.js';
import type { Context } from '../shared/context.js';
import { isId } from '../store/ids.js';
import { AppError } from '../shared/errors.js';
import { svgWrapping } from '../badge-classes/images.js';

export interface PublicCredential {
  record: CredentialRecord;
  credential: OpenBadgeCredential;
  version: AchievementVersion;
  collective: Collective;
}

/** A published badge, or NOT_FOUND / ERASED (the holder asked for their data to be deleted). */
export async function findPublicCredential(ctx: Context, id: string): Promise<PublicCredential> {
  const record = isId(id) ? await ctx.store.credentials.byId(id) : undefined;
  if (!record) throw new AppError('NOT_FOUND', 404);
  return publicCredential(ctx, record);
}

/** The same, for a record already read. */
export async function publicCredential(ctx: Context, record: CredentialRecord): Promise<PublicCredential> {
  if (record.erasedAt || !record.json) throw new AppError('CREDENTIAL_ERASED', 410);
  const [version, collective] = await Promise.all([
    ctx.store.achievements.version(record.versionId),
    ctx.store.collectives.byId(record.collectiveId),
  ]);
  if (!version || !collective) throw new AppError('NOT_FOUND', 404);
  return { record, credential: JSON.parse(record.json) as OpenBadgeCredential, version, collective };
}

/**
 * What the holder lets the public see: a page with her name or initials, the files only with her
 * name (they carry it, signed); `hidden` closes both. Her own links (claim page, wallet) are not concerned.
 */
export function assertPublished(found: PublicCredential, what: 'page' | 'file'): void {
  const { display } = found.record;
  if (display === 'hidden' || (what === 'file' && display === 'initials')) throw new AppError('CREDENTIAL_PRIVATE', 404);
}

/** "Hélène Durand-Vidal" → "H. D.-V." */
export function initials(name: string): string {
  return name.trim().split(/\s+/).filter(Boolean)
    .map((word) => word.split('-').map((part) => (part ? `${[...part][0]!.toUpperCase()}.` : '')).join('-')).join(' ');
}

/** A file name from a badge's name: "Écouter et accueillir" → "ecouter-et-accueillir". */
/** A plain file name for old software: accents dropped (not split: "écouter" gives "ecouter"). */
export const fileSlug = (name: string): string =>
  name.normalize('NFD').replace(/\p{M}/gu, '').replace(/[^\w]+/g, '-').replace(/^-|-$/g, '').toLowerCase() || 'badge';

/** The badge picture with the credential in it (JSON by default, or the JWT). */
export function bakedPng(found: PublicCredential, form: 'json' | 'jwt' = 'json'): Buffer {
  return bakePng(found.version.imagePng, form === 'jwt' ? found.record.jwt! : found.record.json!);
}

export function bakedSvg(found: PublicCredential, form: 'json' | 'jwt' = 'json'): string {
  const svg = found.version.imageSvg ?? svgWrapping(found.version.imagePng, found.version.imageAlt);
  return bakeSvg(svg, form === 'jwt' ? found.record.jwt! : found.record.json!);
}
