/**
 * The trace export as files: CSV (RFC 4180, UTF-8 with BOM so that spreadsheet programs read Chinese names,
 * formula-like text neutralised) and XLSX (exceljs: header row frozen, auto-filter so that every column sorts,
 * plus a sheet saying what the export is).
 */
import ExcelJS from 'exceljs';
import { TRACE_COLUMNS } from './trace-rows';
import type { TraceExport } from './trace-rows';

/** The export as CSV text. */
export function traceCsv(data: TraceExport): string {
  const lines = [TRACE_COLUMNS.map((column) => csvField(column.title))];
  for (const row of data.rows) lines.push(TRACE_COLUMNS.map((column) => csvField(row[column.key])));
  return `\uFEFF${lines.map((line) => line.join(',')).join('\r\n')}\r\n`;
}

/** The export as an XLSX workbook. */
export async function traceXlsx(
  data: TraceExport,
  generatedAt: Date,
  checkpointBlock: number | null,
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'AgriTrace';
  workbook.created = generatedAt;
  const sheet = workbook.addWorksheet('Trace', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = TRACE_COLUMNS.map((column) => ({
    header: column.title,
    key: column.key,
    width: column.width,
  }));
  sheet.getRow(1).font = { bold: true };
  for (const row of data.rows) sheet.addRow(row);
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: TRACE_COLUMNS.length } };
  const about = workbook.addWorksheet('About');
  about.columns = [
    { header: 'Field', key: 'field', width: 28 },
    { header: 'Value', key: 'value', width: 70 },
  ];
  about.getRow(1).font = { bold: true };
  about.addRows([
    { field: 'Lot', value: data.lotId },
    { field: 'Direction', value: data.direction },
    { field: 'Lots in trace', value: data.lots },
    { field: 'Truncated', value: data.truncated ? 'yes' : 'no' },
    { field: 'Rows', value: data.rows.length },
    { field: 'Generated at', value: generatedAt.toISOString() },
    { field: 'Ledger block (store checkpoint)', value: checkpointBlock ?? '' },
    {
      field: 'Verification',
      value:
        'Each row’s reference document number is a ledger transaction ID: GET /api/v1/transactions/{txId}',
    },
  ]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** One CSV field: quoted when needed; text that a spreadsheet would run as a formula gets a leading apostrophe. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
