// Baking and unbaking for either image type, chosen by content.
import { Ob3Error } from '../errors.js';
import { decodeUtf8 } from '../utf8.js';
import { bakePng, isPng, unbakePng, type PngContent } from './png.js';
import { bakeSvg, looksLikeSvg, unbakeSvg } from './svg.js';

export type ImageKind = 'png' | 'svg';

export function imageKind(bytes: Uint8Array): ImageKind | undefined {
  if (isPng(bytes)) return 'png';
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 4096)).toString('utf8');
  return looksLikeSvg(head) ? 'svg' : undefined;
}

/** Bakes `credential` (credential JSON text or a compact JWS) into a PNG or SVG image. */
export function bakeImage(image: Uint8Array, credential: string): { kind: ImageKind; bytes: Buffer } {
  switch (imageKind(image)) {
    case 'png': return { kind: 'png', bytes: bakePng(image, credential) };
    case 'svg': return { kind: 'svg', bytes: Buffer.from(bakeSvg(decodeUtf8(image), credential), 'utf8') };
    default: throw new Ob3Error('IMAGE_UNSUPPORTED');
  }
}

/** Reads what an image carries: an OB 3.0 credential's text, or the mark of an OB 2.0 badge. */
export function unbakeImage(image: Uint8Array): PngContent & { image: ImageKind } {
  switch (imageKind(image)) {
    case 'png': return { image: 'png', ...unbakePng(image) };
    case 'svg': return { image: 'svg', ...unbakeSvg(decodeUtf8(image)) };
    default: throw new Ob3Error('IMAGE_UNSUPPORTED');
  }
}
