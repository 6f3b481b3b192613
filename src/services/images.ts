// Badge pictures and logos: any PNG, JPEG, WebP or SVG up to 2 MB, checked by sharp and normalised
// to a square PNG. An SVG original is kept, sanitised, so badges can be baked as SVG too.
import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import sharp from 'sharp';
import { AppError } from './errors.js';

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

const ELEMENTS = new Set([
  'svg', 'g', 'defs', 'title', 'desc', 'path', 'circle', 'ellipse', 'rect', 'line', 'polyline', 'polygon', 'text',
  'tspan', 'textPath', 'linearGradient', 'radialGradient', 'stop', 'clipPath', 'mask', 'pattern', 'symbol', 'use',
  'image', 'filter', 'feGaussianBlur', 'feOffset', 'feBlend', 'feColorMatrix', 'feFlood', 'feComposite', 'feMerge',
  'feMergeNode', 'metadata', '#text',
]);

/** Only local references (`#id`) and inline raster pictures may be linked: nothing to fetch, nothing to run. */
function safeReference(value: string): boolean {
  const v = value.trim();
  return v.startsWith('#') || /^data:image\/(png|jpeg|webp);base64,[a-z0-9+/=\s]*$/i.test(v);
}

function safeAttribute(name: string, value: string): boolean {
  const local = name.replace(/^@_/, '');
  if (/^on/i.test(local)) return false;
  if (/(^|:)href$/i.test(local)) return safeReference(value);
  if (/url\(\s*['"]?(?!#)/i.test(value) || /javascript:|expression\(|@import/i.test(value)) return false;
  return true;
}

type Node = Record<string, unknown> & { ':@'?: Record<string, string> };

function clean(nodes: Node[]): Node[] {
  const out: Node[] = [];
  for (const node of nodes) {
    const name = Object.keys(node).find((k) => k !== ':@')!;
    if (!ELEMENTS.has(name.replace(/^svg:/, ''))) continue;
    const kept: Node = { [name]: Array.isArray(node[name]) ? clean(node[name] as Node[]) : node[name] };
    const attrs = node[':@'];
    if (attrs) {
      kept[':@'] = Object.fromEntries(Object.entries(attrs).filter(([k, v]) => safeAttribute(k, String(v))));
    }
    out.push(kept);
  }
  return out;
}

/** Keeps drawing elements and attributes only: no scripts, event handlers, external links or entities. */
export function sanitiseSvg(svg: string): string {
  if (/<!ENTITY/i.test(svg) || /<!DOCTYPE/i.test(svg)) throw new AppError('IMAGE_UNREADABLE', 415);
  if (XMLValidator.validate(svg) !== true) throw new AppError('IMAGE_UNREADABLE', 415);
  const options = { preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '@_', processEntities: false, commentPropName: '#comment' };
  const tree = new XMLParser(options).parse(svg) as Node[];
  const root = tree.filter((n) => 'svg' in n);
  if (root.length !== 1) throw new AppError('IMAGE_UNREADABLE', 415);
  const body = new XMLBuilder({ ...options, suppressEmptyNode: true }).build(clean(root)) as string;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;
}

/** An SVG that shows a PNG, for baking badges whose picture was not drawn as SVG. */
export function svgWrapping(png: Buffer, alt: string, size = BADGE_SIZE): string {
  const escaped = alt.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" ` +
    `width="${size}" height="${size}" viewBox="0 0 ${size} ${size}" role="img" aria-label="${escaped}"><title>${escaped}</title>` +
    `<image width="${size}" height="${size}" xlink:href="data:image/png;base64,${png.toString('base64')}"/></svg>\n`;
}
