// The rows a DataTable shows: filtered by any value, ordered by a column, keyed so a repeat keeps its key.
import { describe, expect, it } from 'vitest';
import type { Column } from '@/components/table/column';
import { filterRows, keyRows, sortRows } from '@/components/table/table-rows';

interface Socket {
  port: number | null;
  process: string | null;
  user: string;
}
const sockets: Socket[] = [
  { port: 8080, process: 'nginx', user: 'www-data' },
  { port: 22, process: 'sshd', user: 'root' },
  { port: null, process: null, user: 'root' },
];
const columns: Column<Socket>[] = [
  { id: 'port', header: 'Port', cell: (socket) => socket.port, sortValue: (socket) => socket.port },
  { id: 'process', header: 'Process', cell: (socket) => socket.process },
];

describe('table rows', () => {
  it('keeps the rows with any value containing the text, whatever its case, and all rows for blank text', () => {
    const values = (socket: Socket) => [socket.port, socket.process, socket.user];
    expect(filterRows(sockets, 'WWW', values)).toEqual([sockets[0]]);
    expect(filterRows(sockets, '22', values)).toEqual([sockets[1]]);
    expect(filterRows(sockets, '  ', values)).toBe(sockets);
  });

  it('orders by a sortable column, numbers as numbers and missing values last either way', () => {
    expect(sortRows(sockets, columns, { key: 'port', direction: 'asc' }).map((socket) => socket.port)).toEqual([22, 8080, null]);
    expect(sortRows(sockets, columns, { key: 'port', direction: 'desc' }).map((socket) => socket.port)).toEqual([8080, 22, null]);
    expect(sortRows(sockets, columns, { key: 'process', direction: 'asc' })).toBe(sockets);
  });

  it('numbers the repeats of a key, so each row keeps its own when others arrive', () => {
    expect(keyRows(['a', 'b', 'a', 'a'], (row) => row).map((row) => row.rowKey)).toEqual(['a', 'b', 'a|1', 'a|2']);
  });
});
