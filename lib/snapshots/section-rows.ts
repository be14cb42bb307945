// Writes and reads the rows of one section set. Sockets and processes, the large sections, go in
// with one INSERT ... SELECT FROM UNNEST per set: one round trip however many rows.
import type { Prisma } from '@/lib/generated/prisma/client';
import {
  isListening,
  type InterfaceRow,
  type ProcessRow,
  type SocketRow,
  type TracerouteHop,
  type TracerouteProbe,
  type TracerouteRun,
} from '@/lib/schemas/snapshot';

type Tx = Prisma.TransactionClient;

export async function insertSocketRows(tx: Tx, setId: bigint, rows: readonly SocketRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.$executeRaw`
    INSERT INTO "Socket" ("setId", "proto", "localAddress", "localPort", "remoteAddress", "remotePort", "state",
                          "listening", "pid", "process", "user", "uid", "inode")
    SELECT ${setId}::bigint, * FROM UNNEST(
      ${rows.map((row) => row.proto)}::text[], ${rows.map((row) => row.localAddress)}::text[],
      ${rows.map((row) => row.localPort)}::int[], ${rows.map((row) => row.remoteAddress)}::text[],
      ${rows.map((row) => row.remotePort)}::int[], ${rows.map((row) => row.state)}::text[],
      ${rows.map((row) => isListening(row))}::boolean[], ${rows.map((row) => row.pid)}::int[],
      ${rows.map((row) => row.process)}::text[], ${rows.map((row) => row.user)}::text[],
      ${rows.map((row) => row.uid)}::bigint[], ${rows.map((row) => row.inode ?? null)}::bigint[])`;
}

export async function insertProcessRows(tx: Tx, setId: bigint, rows: readonly ProcessRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.$executeRaw`
    INSERT INTO "Process" ("setId", "pid", "ppid", "user", "uid", "command", "args", "startedAt")
    SELECT ${setId}::bigint, * FROM UNNEST(
      ${rows.map((row) => row.pid)}::int[], ${rows.map((row) => row.ppid)}::int[],
      ${rows.map((row) => row.user)}::text[], ${rows.map((row) => row.uid)}::bigint[],
      ${rows.map((row) => row.command)}::text[], ${rows.map((row) => row.args)}::text[],
      ${rows.map((row) => row.startedAt)}::timestamptz[])`;
}

export async function insertInterfaceRows(tx: Tx, setId: bigint, rows: readonly InterfaceRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.interface.createMany({
    data: rows.map((row) => ({
      setId,
      name: row.name,
      flags: row.flags,
      promiscuous: row.promiscuous,
      mtu: row.mtu,
      mac: row.mac,
      addresses: row.addresses,
      rxErrors: toBigInt(row.rxErrors),
      txErrors: toBigInt(row.txErrors),
      rxDropped: toBigInt(row.rxDropped),
      txDropped: toBigInt(row.txDropped),
    })),
  });
}

export async function insertTracerouteRows(tx: Tx, setId: bigint, runs: readonly TracerouteRun[]): Promise<void> {
  for (const run of runs) {
    await tx.tracerouteRun.create({
      data: {
        setId,
        target: run.target,
        targetAddress: run.targetAddress,
        startedAt: run.startedAt ? new Date(run.startedAt) : null,
        hops: { create: run.hops.map((hop) => ({ hop: hop.hop, probes: hop.probes as unknown as Prisma.InputJsonValue })) },
      },
    });
  }
}

function toBigInt(value: number | null | undefined): bigint | null {
  return value === null || value === undefined ? null : BigInt(value);
}

function toNumber(value: bigint | null): number | null {
  return value === null ? null : Number(value);
}

type Reader = Pick<Tx, 'socket' | 'process' | 'interface' | 'tracerouteRun'>;

export async function readSocketRows(db: Reader, setId: bigint): Promise<SocketRow[]> {
  const rows = await db.socket.findMany({ where: { setId }, orderBy: { id: 'asc' } });
  return rows.map((row) => ({
    proto: row.proto as SocketRow['proto'],
    localAddress: row.localAddress,
    localPort: row.localPort,
    remoteAddress: row.remoteAddress,
    remotePort: row.remotePort,
    state: row.state,
    pid: row.pid,
    process: row.process,
    user: row.user,
    uid: toNumber(row.uid),
    inode: toNumber(row.inode),
  }));
}

export async function readProcessRows(db: Reader, setId: bigint): Promise<ProcessRow[]> {
  const rows = await db.process.findMany({ where: { setId }, orderBy: { id: 'asc' } });
  return rows.map((row) => ({
    pid: row.pid,
    ppid: row.ppid,
    user: row.user,
    uid: toNumber(row.uid),
    command: row.command,
    args: row.args,
    startedAt: row.startedAt?.toISOString() ?? null,
  }));
}

export async function readInterfaceRows(db: Reader, setId: bigint): Promise<InterfaceRow[]> {
  const rows = await db.interface.findMany({ where: { setId }, orderBy: { id: 'asc' } });
  return rows.map((row) => ({
    name: row.name,
    flags: row.flags,
    promiscuous: row.promiscuous,
    mtu: row.mtu,
    mac: row.mac,
    addresses: row.addresses,
    rxErrors: toNumber(row.rxErrors),
    txErrors: toNumber(row.txErrors),
    rxDropped: toNumber(row.rxDropped),
    txDropped: toNumber(row.txDropped),
  }));
}

export async function readTracerouteRows(db: Reader, setId: bigint): Promise<TracerouteRun[]> {
  const runs = await db.tracerouteRun.findMany({
    where: { setId },
    orderBy: { id: 'asc' },
    include: { hops: { orderBy: { hop: 'asc' } } },
  });
  return runs.map((run) => ({
    target: run.target,
    targetAddress: run.targetAddress,
    startedAt: run.startedAt?.toISOString() ?? null,
    hops: run.hops.map((hop): TracerouteHop => ({ hop: hop.hop, probes: hop.probes as unknown as TracerouteProbe[] })),
  }));
}
