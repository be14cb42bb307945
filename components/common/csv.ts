// CSV for spreadsheets (RFC 4180 quoting, formulas neutralised: lib/csv/spreadsheet-cell.ts).
import { spreadsheetCell, type CellValue } from '@/lib/csv/spreadsheet-cell';

export function toCsv(header: readonly string[], rows: readonly (readonly CellValue[])[]): string {
  return [header, ...rows].map((cells) => cells.map((cell) => spreadsheetCell(cell)).join(',')).join('\r\n') + '\r\n';
}

export function downloadText(fileName: string, text: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A file name from host text: anything but letters, digits, dot, dash and underscore becomes `_`. */
export const safeFileName = (text: string) => text.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 100) || 'export';
