// The inventory table as the server renders it: columns as data, host text as text, the initial
// order, the toolbar, and the empty state in place of rows.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { Column } from '@/components/table/column';
import { DataTable } from '@/components/table/DataTable';
import { textColumn } from '@/components/table/text-column';

interface Socket {
  port: number;
  process: string | null;
}
const columns: Column<Socket>[] = [
  textColumn('port', 'Port', (socket) => socket.port, { isSortable: true }),
  textColumn('process', 'Process', (socket) => socket.process, { testId: 'socket-process' }),
];
const hostile = '<img src=x onerror=alert(1)>';

function render(rows: Socket[]) {
  return renderToStaticMarkup(
    createElement(DataTable<Socket>, {
      rows,
      columns,
      rowKey: (socket) => String(socket.port),
      rowProps: (socket) => ({ 'data-port': socket.port }),
      testId: 'listening-sockets',
      noun: ['socket', 'sockets'],
      initialSort: { key: 'port', direction: 'asc' },
      filter: { label: 'Filter sockets', placeholder: 'Filter…', values: (socket) => [socket.port, socket.process] },
      csv: { fileName: 'x.csv', header: ['port'], row: (socket) => [socket.port] },
      empty: 'Nothing listened.',
    }),
  );
}

describe('DataTable', () => {
  it('renders the rows in the initial order, host text as text, a missing value as a dash', () => {
    const html = render([
      { port: 8080, process: hostile },
      { port: 22, process: null },
    ]);
    expect([...html.matchAll(/data-port="(\d+)"/g)].map((match) => match[1])).toEqual(['22', '8080']);
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('<td class="mono truncate" data-testid="socket-process">—</td>');
    expect(html).toContain('aria-sort="ascending"');
  });

  it('has the filter, the count and the CSV export in its toolbar', () => {
    const html = render([{ port: 22, process: 'sshd' }]);
    expect(html).toContain('data-testid="listening-sockets-filter"');
    expect(html).toContain('1 socket<');
    expect(html).toMatch(/<button[^>]*>Export CSV<\/button>/);
  });

  it('says why there is nothing in place of rows, and disables the export', () => {
    const html = render([]);
    expect(html).toContain('<td colSpan="2" class="py-6 text-center text-slate-400 light:text-slate-600">Nothing listened.</td>');
    expect(html).toMatch(/<button[^>]*disabled=""[^>]*>Export CSV<\/button>/);
  });
});
