import { Type } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { toCsv } from './csv';
import { toXlsx, xlsxType } from './xlsx';

/**
 * The reports' downloads. Each report declares its columns once (`Column`): the CSV and the Excel
 * workbook are both made from that declaration, so they always hold the same headers and cells.
 */

export const exportLangs = ['zh-CN', 'en'] as const;
export type ExportLang = (typeof exportLangs)[number];

export const exportFormats = ['json', 'csv', 'xlsx'] as const;
export type ExportFormat = (typeof exportFormats)[number];

/** The query parameters of every route that can answer a download, spread into its query schema. */
export const ExportParams = {
  format: Type.Optional(
    Type.Enum(exportFormats, {
      description: 'json, csv or xlsx; without it, by `Accept`: the Excel type gives xlsx, text/csv gives CSV, anything else JSON',
    }),
  ),
  lang: Type.Optional(
    Type.Enum(exportLangs, { default: 'zh-CN', description: 'CSV and xlsx only: Chinese headers and labels (zh-CN), or English headers and codes (en)' }),
  ),
};

/** Text, a number, or an empty cell. Numbers stay numbers, so a spreadsheet can sum them. */
export type Cell = string | number | null;

export interface Column<Row> {
  header: Record<ExportLang, string>;
  cell: (row: Row, lang: ExportLang) => Cell;
  /** A fraction (0.75): the workbook shows it as a percentage (75.00%); the CSV keeps the number. */
  percent?: true;
}

/** What a report downloads as: its file name (ASCII, without extension), sheet title, columns and rows. */
export interface Download<Row> {
  name: string;
  sheet: Record<ExportLang, string>;
  columns: readonly Column<Row>[];
  rows: () => readonly Row[];
}

/** `format` when given; else the first of the download types that `Accept` names; else JSON. */
export function exportFormat(format: ExportFormat | undefined, accept: string | undefined): ExportFormat {
  if (format) return format;
  if (accept?.includes(xlsxType)) return 'xlsx';
  if (accept?.includes('text/csv')) return 'csv';
  return 'json';
}

/** `name` is ASCII (report and dates), so the file name needs no RFC 5987 form. */
const attachment = (name: string, extension: string) => `attachment; filename="${name}.${extension}"`;

/**
 * JSON by default; CSV or an Excel workbook when the caller asks for it, as a download named after
 * the report and its period so saved exports do not overwrite each other.
 */
export async function answer<Row>(
  request: { query: { format?: ExportFormat; lang?: ExportLang }; headers: { accept?: string } },
  reply: FastifyReply,
  json: unknown,
  download: Download<Row>,
): Promise<unknown> {
  // One URL, three representations: caches must key on Accept.
  reply.header('vary', 'Accept');
  const lang = request.query.lang ?? 'zh-CN';
  switch (exportFormat(request.query.format, request.headers.accept)) {
    case 'json':
      return json;
    case 'csv':
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', attachment(download.name, 'csv'))
        .send(toCsv(download.columns, download.rows(), lang));
    case 'xlsx':
      return reply
        .type(xlsxType)
        .header('content-disposition', attachment(download.name, 'xlsx'))
        .send(await toXlsx(download.columns, download.rows(), lang, download.sheet[lang]));
  }
}

/** The 200 answer of a report in the OpenAPI document: its JSON and the two downloads. */
export function exportResponse(body: object) {
  return {
    description: 'The report',
    content: {
      'application/json': { schema: body },
      'text/csv': { schema: Type.String() },
      [xlsxType]: { schema: Type.String({ format: 'binary' }) },
    },
  };
}
