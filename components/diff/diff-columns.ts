// What the diff page shows per section: columns, the diff's change names each column displays,
// and how a section names rows that appeared or went away.
import { describePlace } from '@/lib/schemas/container-name';
import type { InterfaceRow, PackageRow, ProcessRow, SocketRow, TracerouteRun } from '@/lib/schemas/snapshot';

interface DiffColumn<Row> {
  header: string;
  /** Tailwind width class of the column ('' takes the rest). */
  width: string;
  value: (row: Row) => string;
  /** Change names (from the diff's `changes`) this column shows before → after. */
  fields: readonly string[];
}

export interface SectionLook<Row> {
  title: string;
  columns: DiffColumn<Row>[];
  addedWord: string;
  removedWord: string;
  /** Identity for matching unchanged rows; whole-row text unless the section says otherwise. */
  identity?: (row: Row) => string;
}

const dash = (value: string | number | null | undefined) => (value === null || value === undefined || value === '' ? '—' : String(value));

export const socketLook: SectionLook<SocketRow> = {
  title: 'Sockets',
  addedWord: 'opened',
  removedWord: 'closed',
  columns: [
    { header: 'Proto', width: 'w-16', value: (row) => row.proto, fields: [] },
    { header: 'Local address', width: 'w-[15%]', value: (row) => row.localAddress, fields: ['localAddress'] },
    { header: 'Port', width: 'w-16', value: (row) => dash(row.localPort ?? '*'), fields: [] },
    { header: 'Remote', width: 'w-[15%]', value: (row) => (row.remoteAddress === null ? '—' : `${row.remoteAddress}:${row.remotePort ?? '*'}`), fields: [] },
    { header: 'State', width: 'w-28', value: (row) => dash(row.state), fields: ['state'] },
    { header: 'Process', width: '', value: (row) => dash(row.process), fields: ['process'] },
    { header: 'PID', width: 'w-20', value: (row) => dash(row.pid), fields: ['pid'] },
    { header: 'User', width: 'w-28', value: (row) => dash(row.user ?? row.uid), fields: ['user', 'uid'] },
    { header: 'Container', width: 'w-[12%]', value: (row) => describePlace(row) ?? 'host', fields: [] },
  ],
};

export const packageLook: SectionLook<PackageRow> = {
  title: 'Packages',
  addedWord: 'installed',
  removedWord: 'removed',
  identity: (row) => `${row.source}|${row.name}|${row.arch ?? ''}|${row.version}`,
  columns: [
    { header: 'Name', width: 'w-[28%]', value: (row) => row.name, fields: [] },
    { header: 'Version', width: '', value: (row) => row.version, fields: ['version'] },
    { header: 'Arch', width: 'w-24', value: (row) => dash(row.arch), fields: [] },
    { header: 'Source', width: 'w-20', value: (row) => row.source, fields: [] },
  ],
};

export const processLook: SectionLook<ProcessRow> = {
  title: 'Processes',
  addedWord: 'started',
  removedWord: 'ended',
  columns: [
    { header: 'PID', width: 'w-20', value: (row) => String(row.pid), fields: [] },
    { header: 'PPID', width: 'w-20', value: (row) => dash(row.ppid), fields: ['ppid'] },
    { header: 'User', width: 'w-28', value: (row) => dash(row.user ?? row.uid), fields: ['user', 'uid'] },
    { header: 'Command', width: 'w-[18%]', value: (row) => row.command, fields: [] },
    { header: 'Arguments', width: '', value: (row) => dash(row.args), fields: ['args'] },
    { header: 'Started', width: 'w-44', value: (row) => dash(row.startedAt), fields: ['startedAt'] },
    { header: 'Container', width: 'w-[12%]', value: (row) => describePlace(row) ?? 'host', fields: [] },
  ],
};

export const interfaceLook: SectionLook<InterfaceRow> = {
  title: 'Interfaces',
  addedWord: 'appeared',
  removedWord: 'disappeared',
  columns: [
    { header: 'Name', width: 'w-36', value: (row) => row.name, fields: [] },
    { header: 'Flags', width: '', value: (row) => row.flags.join(' ') || '—', fields: ['flags'] },
    { header: 'Promiscuous', width: 'w-36', value: (row) => (row.promiscuous ? 'PROMISC' : 'no'), fields: ['promiscuous'] },
    { header: 'MTU', width: 'w-20', value: (row) => dash(row.mtu), fields: ['mtu'] },
    { header: 'MAC', width: 'w-40', value: (row) => dash(row.mac), fields: ['mac'] },
    { header: 'Addresses', width: 'w-[22%]', value: (row) => row.addresses.join(', ') || '—', fields: ['addresses'] },
  ],
};

const respondersPerHop = (run: TracerouteRun) =>
  [...run.hops]
    .sort((a, b) => a.hop - b.hop)
    .map((hop) => [...new Set(hop.probes.map((probe) => probe.address).filter((address) => address !== null))].join('|') || '*')
    .join(' → ');

export const tracerouteLook: SectionLook<TracerouteRun> = {
  title: 'Traceroutes',
  addedWord: 'new target',
  removedWord: 'target gone',
  // RTTs differ on every run: a target whose route held is unchanged.
  identity: (run) => run.target.toLowerCase(),
  columns: [
    { header: 'Target', width: 'w-[18%]', value: (run) => run.target, fields: [] },
    { header: 'Address', width: 'w-36', value: (run) => dash(run.targetAddress), fields: ['targetAddress'] },
    { header: 'Hops', width: 'w-16', value: (run) => String(run.hops.length), fields: ['hopCount'] },
    { header: 'Path', width: '', value: respondersPerHop, fields: ['path'] },
    {
      header: 'Annotations',
      width: 'w-28',
      value: (run) => [...new Set(run.hops.flatMap((hop) => hop.probes.map((probe) => probe.annotation)).filter((a) => a !== null))].join(' ') || '—',
      fields: ['annotations'],
    },
  ],
};
