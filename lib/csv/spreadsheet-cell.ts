// One cell of an exported table, safe to open in a spreadsheet. Host data is attacker-controlled,
// and Excel, LibreOffice and Google Sheets run a cell that begins with = + - @, a tab or a carriage
// return as a formula (=HYPERLINK to send data away, =cmd|… to run a program). OWASP's rule: put
// a single quote before such a cell, and quote cells so no delimiter or quote in them starts a new
// one. Used by every export: the dashboard's CSV downloads and the server's pipe table.
// (Not by `collector parse --csv`: that one stays byte-identical to the WebJob script on purpose.)

const FORMULA_START = /^[=+\-@\t\r\n]/;
// A spreadsheet may split on another delimiter than the file's (Excel in many locales splits a .csv
// on `;`, and opens the pipe table on `,`), and then a cell can start after any `,` `;` tab or line
// break inside a value: a formula character there gets its quote too.
const FORMULA_AFTER_SEPARATOR = /([,;\t\r\n])(?=[=+\-@\t\r\n])/g;

export type CellValue = string | number | bigint | boolean | null | undefined;

export interface CellFormat {
  /** The table's delimiter: `,` for CSV, `|` for the WebJob pipe table. */
  delimiter: string;
  /** Quote every cell (CSV), or only cells that hold the delimiter, a quote or a line break (pipe table). */
  quote: 'always' | 'when-needed';
}

const CSV: CellFormat = { delimiter: ',', quote: 'always' };

/** Text a spreadsheet shows as text: a formula character that can start a cell gets a `'` before it. */
function neutralizeFormula(text: string): string {
  const guarded = text.replace(FORMULA_AFTER_SEPARATOR, "$1'");
  return FORMULA_START.test(guarded) ? `'${guarded}` : guarded;
}

export function spreadsheetCell(value: CellValue, format: CellFormat = CSV): string {
  if (value === null || value === undefined) return '';
  // A number can be no formula, and -1 must stay a number.
  const text = typeof value === 'string' ? neutralizeFormula(value) : String(value);
  const needsQuotes = format.quote === 'always' || text.includes(format.delimiter) || /["\r\n]/.test(text);
  return needsQuotes ? `"${text.replace(/"/g, '""')}"` : text;
}
