// The WebJob recipe's lsof-socket-out2csv.pl table, from stored data: pipe-delimited, same header.
import type { PrismaClient } from '@/lib/generated/prisma/client';
import { spreadsheetCell } from '@/lib/csv/spreadsheet-cell';
import { AppError } from '@/lib/errors';
import type { ProcessRow, SocketRow } from '@/lib/schemas/snapshot';
import { readSections } from './read-snapshot';

const socketCsvHeader = 'login|uid|command|ppid|pid|type|protocol|state|src_ip|src_port|dst_ip|dst_port';

export function socketsToPipeTable(sockets: readonly SocketRow[], processes: readonly ProcessRow[] = []): string {
  const parentOf = new Map(processes.map((process) => [process.pid, process.ppid]));
  // Hostile host text must not become a spreadsheet formula (ordinary rows stay as the seed printed them).
  const cell = (value: string | number | null | undefined) => spreadsheetCell(value, { delimiter: '|', quote: 'when-needed' });
  const lines = sockets.map((socket) =>
    [
      cell(socket.user),
      cell(socket.uid),
      cell(socket.process),
      cell(socket.pid === null ? null : parentOf.get(socket.pid)),
      cell(socket.pid),
      socket.proto.endsWith('6') ? 'IPv6' : 'IPv4',
      socket.proto.startsWith('tcp') ? 'TCP' : socket.proto.startsWith('udp') ? 'UDP' : 'RAW',
      cell(socket.state),
      cell(socket.localAddress),
      cell(socket.localPort ?? '*'),
      cell(socket.remoteAddress),
      cell(socket.remoteAddress === null ? null : (socket.remotePort ?? '*')),
    ].join('|'),
  );
  return [socketCsvHeader, ...lines].join('\n') + '\n';
}

export async function socketsCsvForSnapshot(prisma: PrismaClient, hostName: string, snapshotId: bigint | null): Promise<string> {
  const host = await prisma.host.findUnique({ where: { name: hostName } });
  if (!host) throw new AppError('not_found', `No host named ${hostName}.`);
  const id = snapshotId ?? host.lastSnapshotId;
  const snapshot = id ? await prisma.snapshot.findFirst({ where: { id, hostId: host.id } }) : null;
  if (!snapshot) throw new AppError('not_found', `Host ${hostName} has no such snapshot.`, [{ path: 'snapshot', message: 'no such snapshot of this host' }]);
  const sections = await readSections(prisma, snapshot, new Set(['sockets', 'processes'] as const));
  return socketsToPipeTable(sections.sockets ?? [], sections.processes ?? []);
}
