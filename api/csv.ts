import { stringify } from 'csv-stringify/sync';
import type { Cell, Column, ExportLang } from './export';

/**
 * CSV for people who open it in Excel on a zh-CN desktop, and for scripts that read it back:
 * one header row always (an empty period still says what its columns are), a UTF-8 BOM (without
 * it Excel reads the bytes as GBK and shows mojibake), CRLF records (RFC 4180), and no cell that
 * a spreadsheet would run as a formula.
 */

/**
 * OWASP's rule against formula injection: text starting with one of these is a formula (or becomes
 * one once a leading tab or CR is trimmed), so it gets a leading `'`. Numbers are left alone, or a
 * negative count (`-3`) would turn into text.
 */
const formulaStart = /^[=+\-@\t\r]/;

export const neutralise = (text: string): string => (formulaStart.test(text) ? `'${text}` : text);

export function toCsv<Row>(columns: readonly Column<Row>[], rows: readonly Row[], lang: ExportLang): string {
  const records: Cell[][] = [columns.map((c) => c.header[lang]), ...rows.map((row) => columns.map((c) => c.cell(row, lang)))];
  return stringify(
    records.map((record) => record.map((cell) => (typeof cell === 'string' ? neutralise(cell) : cell))),
    // csv-stringify quotes a cell holding the whole record delimiter but not a lone CR or LF,
    // which would split the record in Excel: quote those too.
    { bom: true, record_delimiter: 'windows', quoted_match: /[\r\n]/ },
  );
}
