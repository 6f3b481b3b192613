// The report as a spreadsheet file a funder opens anywhere (XLSX, written by exceljs): one sheet,
// each table under its title, counts as numbers, hidden small counts as the text "< 5".
import ExcelJS from 'exceljs';
import type { Table } from './tables.js';

export async function reportXlsx(tables: Table[], title: string): Promise<Buffer> {
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
