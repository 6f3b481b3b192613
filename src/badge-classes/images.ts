// Badge pictures and logos: any PNG, JPEG, WebP or SVG up to 2 MB, checked by sharp and normalised
// to a square PNG. An SVG original is kept, sanitised, so badges can be baked as SVG too.
import createDOMPurify, { type DOMPurify, type WindowLike } from 'dompurify';
import { XMLValidator } from 'fast-xml-parser';
import { JSDOM } from 'jsdom';
import sharp from 'sharp';
import type { Store } from '../store/index.js';
import { AppError } from '../shared/errors.js';

export const MAX_IMAGE_BYTES = 2 * 1024 * 1024;
export const BADGE_SIZE = 512;
const FORMATS = new Set(['png', 'jpeg', 'webp', 'svg']);

export interface NormalisedImage {
  png: Buffer;
  /** The sanitised SVG original, when the upload was an SVG. */
  svg: string | null;
}

export async function normaliseImage(bytes: Buffer, size = BADGE_SIZE): Promise<NormalisedImage> {
  if (bytes.length === 0) throw new AppError('IMAGE_MISSING');
  if (bytes.length > MAX_IMAGE_BYTES) throw new AppError('IMAGE_TOO_LARGE', 413, { max: '2 Mo' });
  const text = bytes.subarray(0, 4096).toString('utf8');
  const isSvg = /<svg[\s>]/i.test(text) && !/^\x89PNG/.test(text);
  const svg = isSvg ? sanitiseSvg(bytes.toString('utf8')) : null;
  try {
    const image = sharp(svg ? Buffer.from(svg) : bytes, { limitInputPixels: 50_000_000, failOn: 'error' });
    const meta = await image.metadata();
    if (!meta.format || !FORMATS.has(meta.format)) throw new AppError('IMAGE_FORMAT', 415, { format: String(meta.format) });
    const png = await image
      .resize(size, size, { fit: 'contain', background: { r: 0, g: 0, b: 0, alpha: 0 } })
      .png({ compressionLevel: 9 })
      .toBuffer();
    return { png, svg };
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('IMAGE_UNREADABLE', 415);
  }
}

/** Only local references (`#id`) and inline raster pictures may be linked: nothing to fetch, nothing to run. */
function safeReference(value: string): boolean {
  const v = value.trim();
  return v.startsWith('#') || /^data:image\/(png|jpeg|webp);base64,[a-z0-9+/=\s]*$/i.test(v);
}

/** What DOMPurify's SVG profile lets through but a badge picture must not have: links out, styles that fetch. */
function safeAttribute(name: string, value: string): boolean {
  if (/(^|:)href$/i.test(name) || name === 'src') return safeReference(value);
  return !/url\(\s*['"]?(?!#)/i.test(value) && !/javascript:|expression\(|@import/i.test(value);
}

let purifier: DOMPurify | undefined;

/**
 * DOMPurify (the field's maintained sanitiser) with its SVG profiles, on a server-side DOM (jsdom),
 * made on first use. On top of the profile: no <style>, <a>, <foreignObject> or animation, and links
 * only to the picture itself or to inline rasters, so a badge picture fetches and runs nothing.
 */
function svgPurifier(): DOMPurify {
  if (purifier) return purifier;
  purifier = createDOMPurify(new JSDOM('').window as unknown as WindowLike);
  purifier.addHook('uponSanitizeAttribute', (_node, data) => {
    if (!safeAttribute(data.attrName, data.attrValue)) data.keepAttr = false;
  });
  return purifier;
}

/** Keeps drawing elements and attributes only: no scripts, event handlers, external links or entities. */
export function sanitiseSvg(svg: string): string {
  if (/<!ENTITY/i.test(svg) || /<!DOCTYPE/i.test(svg)) throw new AppError('IMAGE_UNREADABLE', 415);
  if (XMLValidator.validate(svg) !== true) throw new AppError('IMAGE_UNREADABLE', 415);
  const clean = svgPurifier().sanitize(svg, {
    USE_PROFILES: { svg: true, svgFilters: true }, PARSER_MEDIA_TYPE: 'application/xhtml+xml',
    FORBID_TAGS: ['style', 'a', 'foreignObject', 'animate', 'animateMotion', 'animateTransform', 'set', 'script'],
    FORBID_ATTR: ['style'],
  });
  if (!/^<svg[\s>]/.test(clean)) throw new AppError('IMAGE_UNREADABLE', 415);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${clean}`;
}

/** Names the sanitiser: stored SVG originals are cleaned again at start when it changes. */
const SANITISER = 'dompurify-svg-1';

/**
 * Sanitises again the SVG originals stored by an earlier sanitiser (the hand-written one let a
 * <script> in a CDATA section through). One that no longer parses is dropped: its badges bake as
 * the PNG wrapped in SVG.
 */
export async function resanitiseStoredSvgs(store: Store): Promise<number> {
  if ((await store.settings.get('svg_sanitiser')) === SANITISER) return 0;
  let changed = 0;
  for (const { id, svg } of await store.achievements.svgs()) {
    let clean: string | null;
    try { clean = sanitiseSvg(svg); } catch { clean = null; }
    if (clean !== svg) { await store.achievements.setSvg(id, clean); changed++; }
  }
  await store.settings.set('svg_sanitiser', SANITISER);
  return changed;
}

/** An SVG that shows a PNG, for baking badges whose picture was not drawn as SVG. */
export function svgWrapping(png: Buffer, alt: string, size = BADGE_SIZE): string {
  const escaped = alt.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return '<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" ' +
    `width="${size}" height="${size}" viewBox="0 0 ${size} ${size}" role="img" aria-label="${escaped}"><title>${escaped}</title>` +
    `<image width="${size}" height="${size}" xlink:href="data:image/png;base64,${png.toString('base64')}"/></svg>\n`;
}
