// Reads what French spreadsheets export: UTF-8 (with or without BOM), Windows-1252 (Excel's "CSV"
// in France), UTF-16 (Excel's "Texte Unicode") — decoded by ob3/text.ts; `;`, `,` or tab separated;
// quoted fields with doubled quotes and line breaks (RFC 4180), parsed by csv-parse.
import { parse } from 'csv-parse/sync';
import { decodeText } from '../ob3/text.js';
import { AppError } from '../shared/errors.js';

/** The file's text, however a French spreadsheet saved it (ob3/text.ts). */
export const decodeSpreadsheetText = (bytes: Uint8Array): string => decodeText(bytes).text;

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
