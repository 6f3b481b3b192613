// Baking and unbaking for either image type, chosen by content.
import { Ob3Error } from '../errors.js';
import { decodeText, declaredXmlEncoding } from '../text.js';
import { decodeUtf8 } from '../utf8.js';
import { bakePng, isPng, unbakePng, type PngContent } from './png.js';
import { bakeSvg, looksLikeSvg, unbakeSvg } from './svg.js';

export type ImageKind = 'png' | 'svg';

export function imageKind(bytes: Uint8Array): ImageKind | undefined {
  if (isPng(bytes)) return 'png';
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 4096));
  // An SVG saved as UTF-16 (Notepad's "Unicode") starts with its byte order mark.
  const utf16 = (head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff);
  return looksLikeSvg(utf16 ? decodeText(head).text : head.toString('utf8')) ? 'svg' : undefined;
}

/** Bakes `credential` (credential JSON text or a compact JWS) into a PNG or SVG image. */
export function bakeImage(image: Uint8Array, credential: string): { kind: ImageKind; bytes: Buffer } {
  switch (imageKind(image)) {
    case 'png': return { kind: 'png', bytes: bakePng(image, credential) };
    case 'svg': return { kind: 'svg', bytes: Buffer.from(bakeSvg(decodeUtf8(image), credential), 'utf8') };
    default: throw new Ob3Error('IMAGE_UNSUPPORTED');
  }
}

/**
 * Reads what an image carries: an OB 3.0 credential's text, or the mark of an OB 2.0 badge. An SVG
 * is read as XML is — UTF-8, or UTF-16 by its mark, or the encoding it declares — and, failing
 * those, as a French editor saves it (Windows-1252): the signature decides; `encoding` says which
 * when it was not UTF-8.
 */
export function unbakeImage(image: Uint8Array): PngContent & { image: ImageKind; encoding?: string } {
  switch (imageKind(image)) {
    case 'png': return { image: 'png', ...unbakePng(image) };
    case 'svg': {
      const { text, encoding } = decodeText(image, declaredXmlEncoding(image));
      return { image: 'svg', ...unbakeSvg(text), ...(encoding === 'UTF-8' ? {} : { encoding }) };
    }
    default: throw new Ob3Error('IMAGE_UNSUPPORTED');
  }
}
