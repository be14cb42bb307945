// Reading an exported table the way a spreadsheet does, to check that no cell would run as a formula.

/** Every field of a delimited table as a spreadsheet splits it (RFC 4180 quotes), rows run together. */
export function spreadsheetFields(table: string, delimiter: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  let atFieldStart = true;
  for (let index = 0; index < table.length; index++) {
    const char = table[index]!;
    if (quoted) {
      if (char === '"' && table[index + 1] === '"') {
        field += '"';
        index++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"' && atFieldStart) {
      quoted = true;
      atFieldStart = false;
    } else if (char === delimiter || char === '\n' || char === '\r') {
      // A line break outside quotes ends the row: the next field starts a cell too.
      if (char === '\r' && table[index + 1] === '\n') index++;
      fields.push(field);
      field = '';
      atFieldStart = true;
    } else {
      field += char;
      atFieldStart = false;
    }
  }
  fields.push(field);
  return fields;
}

/** Excel, LibreOffice and Google Sheets run a cell that starts with one of these as a formula. */
export const startsAFormula = (field: string) => /^[=+\-@\t\r\n]/.test(field);
