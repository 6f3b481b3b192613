// PNG baking (OB 3.0 §5.3.1): one uncompressed iTXt chunk, keyword `openbadgecredential`,
// placed right after IHDR; unbaking checks every CRC and refuses two credential chunks.
import { crc32 } from 'node:zlib';
import { Ob3Error } from '../errors.js';
import { decodeUtf8 } from '../utf8.js';

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
export const OB3_KEYWORD = 'openbadgecredential';
export const OB2_KEYWORD = 'openbadges';
/** Largest credential text we read out of an image (a credential with an embedded image fits). */
export const MAX_CREDENTIAL_BYTES = 2 * 1024 * 1024;

interface Chunk {
  type: string;
  /** Offset of the chunk's length field; the chunk spans [start, end). */
  start: number;
  end: number;
  data: Buffer;
}

export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && Buffer.from(bytes.buffer, bytes.byteOffset, 8).equals(PNG_SIGNATURE);
}

function* chunks(png: Buffer): Generator<Chunk> {
  if (!isPng(png)) throw new Ob3Error('PNG_BAD_SIGNATURE');
  let offset = 8;
  while (offset < png.length) {
    if (offset + 12 > png.length) throw new Ob3Error('PNG_TRUNCATED');
    const length = png.readUInt32BE(offset);
    const end = offset + 12 + length;
    if (length > 0x7fffffff || end > png.length) throw new Ob3Error('PNG_TRUNCATED');
    const type = png.toString('latin1', offset + 4, offset + 8);
    const crc = png.readUInt32BE(end - 4);
    if (crc32(png.subarray(offset + 4, end - 4)) !== crc) throw new Ob3Error('PNG_BAD_CRC', { chunk: type });
    yield { type, start: offset, end, data: png.subarray(offset + 8, end - 4) };
    offset = end;
    if (type === 'IEND') return;
  }
  throw new Ob3Error('PNG_TRUNCATED');
}

/** A PNG chunk: length, type, data, CRC-32. */
export function makeChunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** The keyword of an iTXt chunk (bytes before the first NUL), without parsing the rest. */
function keywordOf(data: Buffer): string {
  const nul = data.indexOf(0);
  return data.toString('latin1', 0, nul < 0 ? Math.min(data.length, 80) : nul);
}

function itxtText(data: Buffer): string {
  // keyword \0 compressionFlag compressionMethod languageTag \0 translatedKeyword \0 text
  const k = data.indexOf(0);
  if (k < 0 || k + 3 > data.length) throw new Ob3Error('PNG_ITXT_MALFORMED');
  // §5.3.1: the chunk MUST NOT be compressed; refused before anything is inflated.
  if (data[k + 1] !== 0) throw new Ob3Error('PNG_ITXT_COMPRESSED');
  const lang = data.indexOf(0, k + 3);
  const translated = lang < 0 ? -1 : data.indexOf(0, lang + 1);
  if (translated < 0) throw new Ob3Error('PNG_ITXT_MALFORMED');
  const text = data.subarray(translated + 1);
  if (text.length > MAX_CREDENTIAL_BYTES) throw new Ob3Error('PNG_ITXT_TOO_LARGE', { max: MAX_CREDENTIAL_BYTES });
  return decodeUtf8(text);
}

/** An OB 2.0 `openbadges` chunk's text (a URL, a JWS or JSON): iTXt as above, tEXt is keyword\0text. */
function ob2Text(type: string, data: Buffer): string {
  if (type === 'iTXt') return itxtText(data);
  const text = data.subarray(data.indexOf(0) + 1);
  if (text.length > MAX_CREDENTIAL_BYTES) throw new Ob3Error('PNG_ITXT_TOO_LARGE', { max: MAX_CREDENTIAL_BYTES });
  return text.toString('latin1');
}

/** Returns a copy of `png` carrying `credential` (JSON text or compact JWS); replaces an existing one. */
export function bakePng(png: Uint8Array, credential: string): Buffer {
  const source = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  const parts: Buffer[] = [PNG_SIGNATURE];
  const itxt = makeChunk(
    'iTXt',
    Buffer.concat([Buffer.from(`${OB3_KEYWORD}\0\0\0\0\0`, 'latin1'), Buffer.from(credential, 'utf8')]),
  );
  let sawIhdr = false;
  for (const chunk of chunks(source)) {
    if (chunk.type === 'iTXt' && keywordOf(chunk.data) === OB3_KEYWORD) continue;
    parts.push(source.subarray(chunk.start, chunk.end));
    if (chunk.type === 'IHDR') {
      if (sawIhdr || parts.length !== 2) throw new Ob3Error('PNG_NO_IHDR');
      sawIhdr = true;
      parts.push(itxt);
    }
  }
  if (!sawIhdr) throw new Ob3Error('PNG_NO_IHDR');
  return Buffer.concat(parts);
}

export type PngContent = { kind: 'ob3'; text: string } | { kind: 'ob2'; text: string };

/** Reads the credential baked in a PNG; errors name what is wrong with the file. */
export function unbakePng(png: Uint8Array): PngContent {
  const source = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  let found: Buffer | undefined;
  let ob2: { type: string; data: Buffer } | undefined;
  for (const chunk of chunks(source)) {
    if (chunk.type !== 'iTXt' && chunk.type !== 'tEXt' && chunk.type !== 'zTXt') continue;
    const keyword = keywordOf(chunk.data);
    if (chunk.type === 'zTXt' && keyword === OB3_KEYWORD) throw new Ob3Error('PNG_ITXT_COMPRESSED');
    if (chunk.type === 'iTXt' && keyword === OB3_KEYWORD) {
      if (found) throw new Ob3Error('PNG_DUPLICATE_CREDENTIAL');
      found = chunk.data;
    } else if (keyword === OB2_KEYWORD) {
      ob2 ??= { type: chunk.type, data: chunk.data };
    }
  }
  if (found) return { kind: 'ob3', text: itxtText(found) };
  if (ob2) return { kind: 'ob2', text: ob2Text(ob2.type, ob2.data) };
  throw new Ob3Error('PNG_NO_CREDENTIAL');
}
