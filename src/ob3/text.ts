// Text as Windows and phones save it: UTF-8 (with or without BOM), UTF-16 with its BOM (Notepad's
// "Unicode", Windows PowerShell's `>`, Excel's "Texte Unicode"), else what chardet detects among the
// encodings French files use — Windows-1252 above all. Maintained libraries (chardet, iconv-lite):
// Node 20's own windows-1252 decoder turns œ ’ € … into control characters.
import chardet from 'chardet';
import iconv from 'iconv-lite';

/** The encoding an XML document declares (`<?xml … encoding="…"?>`), if any: XML's own rule for reading it. */
export function declaredXmlEncoding(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 200)).toString('latin1');
  return /^(?:\xEF\xBB\xBF)?<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z][\w.:-]*)["']/.exec(head)?.[1];
}

/** Encodings French files come in; whatever else a detector guesses is read as Windows-1252. */
const KNOWN = new Map([
  ['UTF-8', 'utf8'], ['UTF-16LE', 'utf16le'], ['UTF-16BE', 'utf16be'], ['ISO-8859-15', 'iso-8859-15'],
  // ISO-8859-1 gives 0x80–0x9F to control characters nobody types: it is Windows-1252 Excel wrote.
  ['windows-1252', 'windows-1252'], ['ISO-8859-1', 'windows-1252'],
]);

/**
 * The file's text and the encoding it was read in: valid UTF-8 is UTF-8, a UTF-16 BOM is UTF-16,
 * otherwise `declared` if iconv-lite knows it, else detected.
 */
export function decodeText(bytes: Uint8Array, declared?: string): { text: string; encoding: string } {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer[0] === 0xff && buffer[1] === 0xfe) return { text: iconv.decode(buffer.subarray(2), 'utf16le'), encoding: 'UTF-16LE' };
  if (buffer[0] === 0xfe && buffer[1] === 0xff) return { text: iconv.decode(buffer.subarray(2), 'utf16be'), encoding: 'UTF-16BE' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(buffer).replace(/^\uFEFF/, ''), encoding: 'UTF-8' };
  } catch {
    if (declared && !/^utf-?8$/i.test(declared) && iconv.encodingExists(declared)) return { text: iconv.decode(buffer, declared), encoding: declared };
    const detected = chardet.detect(buffer) ?? '';
    const encoding = KNOWN.get(detected) ?? 'windows-1252';
    return { text: iconv.decode(buffer, encoding), encoding: encoding === 'windows-1252' ? 'Windows-1252' : detected };
  }
}
