// Reads what French spreadsheets export: UTF-8 (with or without BOM), Windows-1252 (Excel's "CSV"
// in France), UTF-16 (Excel's "Texte Unicode"); `;`, `,` or tab separated; quoted fields with
// doubled quotes and line breaks (RFC 4180). The encodings and the parsing are maintained libraries'
// (chardet, iconv-lite, csv-parse): Node 20's own windows-1252 decoder turns œ ’ € … into control
// characters.
import chardet from 'chardet';
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { AppError } from '../shared/errors.js';

/** Encodings a French spreadsheet comes in; whatever else a detector guesses is read as Windows-1252. */
const KNOWN = new Map([
  ['UTF-8', 'utf8'], ['UTF-16LE', 'utf16le'], ['UTF-16BE', 'utf16be'], ['ISO-8859-15', 'iso-8859-15'],
  // ISO-8859-1 gives 0x80–0x9F to control characters nobody types: it is Windows-1252 Excel wrote.
  ['windows-1252', 'windows-1252'], ['ISO-8859-1', 'windows-1252'],
]);

/** The file's text: valid UTF-8 is UTF-8; otherwise the encoding chardet detects among those French files use. */
export function decodeSpreadsheetText(bytes: Uint8Array): string {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer[0] === 0xff && buffer[1] === 0xfe) return iconv.decode(buffer.subarray(2), 'utf16le');
  if (buffer[0] === 0xfe && buffer[1] === 0xff) return iconv.decode(buffer.subarray(2), 'utf16be');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buffer).replace(/^\uFEFF/, '');
  } catch {
    const detected = chardet.detect(buffer);
    return iconv.decode(buffer, KNOWN.get(detected ?? '') ?? 'windows-1252');
  }
}

/** The separator used on the first line: the more frequent of `;`, `,` and tab outside quotes. */
function detectSeparator(text: string): string {
  const firstLine = text.split(/\r?\n/, 1)[0]!.replace(/"[^"]*"/g, '');
  const counts = [';', ',', '\t'].map((s) => [s, firstLine.split(s).length - 1] as const);
  return counts.sort((a, b) => b[1] - a[1])[0]![1] > 0 ? counts[0]![0] : ';';
}

/** Rows of fields, with the 1-based line each row starts on; CSV_MALFORMED with the line when quotes do not close. */
export function parseCsv(text: string): { line: number; fields: string[] }[] {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      delimiter: detectSeparator(text), info: true, bom: true, relax_column_count: true, relax_quotes: true,
      skip_empty_lines: true, skip_records_with_empty_values: true,
    }) as unknown as typeof records;
  } catch (error) {
    throw new AppError('CSV_MALFORMED', 400, { line: Number((error as { lines?: number }).lines ?? 0) });
  }
  // `lines` is where the record ends; a quoted field may span lines.
  return records.map(({ record, info }) => ({
    line: info.lines - record.reduce((n, field) => n + (field.match(/\n/g)?.length ?? 0), 0),
    fields: record,
  }));
}
