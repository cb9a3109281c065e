import { Type } from '@fastify/type-provider-typebox';
import { stringify } from 'csv-stringify/sync';
import type { FastifyReply } from 'fastify';

/**
 * CSV for people who open it in Excel on a zh-CN desktop, and for scripts that read it back:
 * one header row always (an empty period still says what its columns are), a UTF-8 BOM (without
 * it Excel reads the bytes as GBK and shows mojibake), CRLF records (RFC 4180), and no cell that
 * a spreadsheet would run as a formula.
 */

export const csvLangs = ['zh-CN', 'en'] as const;
export type CsvLang = (typeof csvLangs)[number];

/** The query parameters of every route that can answer CSV, spread into its query schema. */
export const CsvParams = {
  format: Type.Optional(Type.Enum(['json', 'csv'], { description: 'csv or json; without it, CSV when `Accept` names text/csv, else JSON' })),
  lang: Type.Optional(
    Type.Enum(csvLangs, { default: 'zh-CN', description: 'CSV only: Chinese headers and labels (zh-CN), or English headers and codes (en)' }),
  ),
};

/** Text, a number, or an empty cell. Numbers stay numbers, so a spreadsheet can sum them. */
export type Cell = string | number | null;

export interface Column<Row> {
  header: Record<CsvLang, string>;
  cell: (row: Row, lang: CsvLang) => Cell;
}

/**
 * OWASP's rule against formula injection: text starting with one of these is a formula (or becomes
 * one once a leading tab or CR is trimmed), so it gets a leading `'`. Numbers are left alone, or a
 * negative count (`-3`) would turn into text.
 */
const formulaStart = /^[=+\-@\t\r]/;

export const neutralise = (text: string): string => (formulaStart.test(text) ? `'${text}` : text);

export function toCsv<Row>(columns: readonly Column<Row>[], rows: readonly Row[], lang: CsvLang): string {
  const records: Cell[][] = [columns.map((c) => c.header[lang]), ...rows.map((row) => columns.map((c) => c.cell(row, lang)))];
  return stringify(
    records.map((record) => record.map((cell) => (typeof cell === 'string' ? neutralise(cell) : cell))),
    // csv-stringify quotes a cell holding the whole record delimiter but not a lone CR or LF,
    // which would split the record in Excel: quote those too.
    { bom: true, record_delimiter: 'windows', quoted_match: /[\r\n]/ },
  );
}

/** CSV when asked by `format=csv`, or by `Accept` unless `format=json` overrides it. */
export function wantsCsv(format: 'json' | 'csv' | undefined, accept: string | undefined): boolean {
  return format ? format === 'csv' : (accept?.includes('text/csv') ?? false);
}

/** Sends a CSV as a download; `name` is ASCII (report and dates), so it needs no RFC 5987 form. */
export function sendCsv(reply: FastifyReply, name: string, csv: string): FastifyReply {
  return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}.csv"`).send(csv);
}
