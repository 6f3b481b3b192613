// The report as a spreadsheet file a funder opens anywhere (XLSX, written by exceljs): one sheet,
// each table under its title, counts as numbers, hidden small counts as the text "< 5". Both
// libraries load on first use: the server and the CLI start without them.
import type { Table } from './tables.js';

export async function reportXlsx(tables: Table[], title: string): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const book = new ExcelJS.Workbook();
  book.creator = 'Badgeons';
  const sheet = book.addWorksheet(title.slice(0, 31));
  sheet.columns = [{ width: 48 }, { width: 14 }];
  for (const table of tables) {
    sheet.addRow([table.title]).font = { bold: true };
    for (const row of table.rows) sheet.addRow([row.label, row.value]);
    sheet.addRow([]);
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}

export interface PdfHeader { organisation: string; logoPng: Buffer | null; title: string; period: string; hiddenNote: string }

/**
 * The one-page summary a funder can file (pdfkit: maintained, no browser needed): the organisation
 * and its logo, the period, the totals, and the breakdowns as bar charts with their numbers.
 */
export async function reportPdf(tables: Table[], header: PdfHeader): Promise<Buffer> {
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({ size: 'A4', margin: 40, info: { Title: header.title, Author: header.organisation } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  if (header.logoPng) doc.image(header.logoPng, 40, 36, { fit: [48, 48] });
  doc.font('Helvetica-Bold').fontSize(16).text(header.organisation, header.logoPng ? 100 : 40, 40);
  doc.font('Helvetica').fontSize(12).text(`${header.title} — ${header.period}`, header.logoPng ? 100 : 40);
  doc.fontSize(8).fillColor('#4f5358').text(header.hiddenNote, 40, 96, { width: 515 }).fillColor('#000000');
  const [totals, ...parts] = tables;
  let y = 122;
  doc.font('Helvetica-Bold').fontSize(11).text(totals!.title, 40, y);
  y += 16;
  for (const row of totals!.rows) {
    doc.font('Helvetica').fontSize(9).text(row.label, 40, y, { width: 220 }).text(String(row.value), 270, y);
    y += 13;
  }
  // Two columns of charts, as many as fit on the page.
  const shownParts = parts.filter((t) => t.rows.some((r) => r.count > 0));
  let top = y + 12;
  for (let i = 0; i < shownParts.length; i += 2) {
    const pair = shownParts.slice(i, i + 2);
    const height = Math.max(...pair.map((t) => 18 + t.rows.length * 12));
    if (top + height > 800) break;
    pair.forEach((table, column) => drawBars(doc, table, column === 0 ? 40 : 305, top));
    top += height + 10;
  }
  doc.end();
  return done;
}

function drawBars(doc: PDFKit.PDFDocument, table: Table, x: number, y: number): void {
  doc.font('Helvetica-Bold').fontSize(9).text(table.title, x, y, { width: 250 });
  const max = Math.max(1, ...table.rows.filter((r) => !r.hidden).map((r) => r.count));
  table.rows.forEach((row, i) => {
    const rowY = y + 14 + i * 12;
    doc.font('Helvetica').fontSize(7).text(row.label, x, rowY, { width: 110, height: 10, ellipsis: true });
    if (!row.hidden && row.count > 0) doc.rect(x + 112, rowY, Math.max(1, (row.count / max) * 100), 8).fill('#0b5c8a').fillColor('#000000');
    doc.fontSize(7).text(String(row.value), x + 218, rowY);
  });
}
