import type { Cell, Column, ExportLang } from './export';

/**
 * An Excel workbook of one sheet: the header row bold and frozen (it stays in view while the
 * reader scrolls), numbers as numbers, fractions as percentages, columns wide enough for their text.
 * Text is stored as text, never as a formula, so `=…` from a complainant cannot run: unlike the CSV,
 * no cell needs a leading `'`.
 */

export const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Excel refuses sheet names longer than 31 characters or holding any of these. */
const sheetName = (title: string) => title.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31);

/** Display width in Excel's character units: a Chinese character takes about two. */
const widthOf = (cell: Cell) => [...String(cell ?? '')].reduce((sum, ch) => sum + (ch.charCodeAt(0) > 0x2e7f ? 2 : 1), 0);

export async function toXlsx<Row>(columns: readonly Column<Row>[], rows: readonly Row[], lang: ExportLang, title: string): Promise<Buffer> {
  // Loaded at the first export rather than at start: exceljs is large, and most processes never export.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'complaint-service';
  const sheet = workbook.addWorksheet(sheetName(title), { views: [{ state: 'frozen', ySplit: 1 }] });
  const records = rows.map((row) => columns.map((c) => c.cell(row, lang)));
  sheet.columns = columns.map((c, i) => ({
    header: c.header[lang],
    width: Math.min(60, Math.max(8, widthOf(c.header[lang]), ...records.map((r) => widthOf(r[i] ?? null))) + 2),
    ...(c.percent ? { style: { numFmt: '0.00%' } } : {}),
  }));
  sheet.getRow(1).font = { bold: true };
  for (const record of records) sheet.addRow(record);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
