// CSV for spreadsheets (RFC 4180 quoting). Host data is attacker-controlled: a cell that starts
// like a formula is prefixed with a quote so a spreadsheet shows it instead of running it.
const FORMULA_START = /^[=+\-@\t\r]/;

export function toCsvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  const safe = typeof value === 'string' && FORMULA_START.test(text) ? `'${text}` : text;
  return `"${safe.replace(/"/g, '""')}"`;
}

export function toCsv(header: readonly string[], rows: readonly (readonly (string | number | boolean | null | undefined)[])[]): string {
  return [header.map(toCsvCell), ...rows.map((row) => row.map(toCsvCell))].map((cells) => cells.join(',')).join('\r\n') + '\r\n';
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
