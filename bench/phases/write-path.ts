// (2) Write path against the physical limit: rows/s that ingest writes for snapshots whose every
// section is new, next to PostgreSQL COPY of the same rows into the same tables (psql \copy from a
// temp file: pg-copy-streams is not a dependency). In between, to show where time goes: the row
// inserts alone through Prisma ($executeRaw UNNEST), and the same UNNEST statements on plain `pg`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { PrismaClient } from '@/lib/generated/prisma/client';
import { ingestSnapshot } from '@/lib/ingest/ingest-snapshot';
import { defaultRetentionPolicy, retainUntilFor, toDateText } from '@/lib/retention/retention-weeks';
import { isListening, snapshotSchema, type InterfaceRow, type ProcessRow, type Snapshot, type SocketRow } from '@/lib/schemas/snapshot';
import { storeSectionSets } from '@/lib/snapshots/section-rows';
import type { Profile, SeededHost } from '../seed';
import { summarize, type Summary } from '../stats';

export const WRITE_PATH_GOAL_SHARE = 0.5;

interface Sections {
  sockets: SocketRow[];
  processes: ProcessRow[];
  interfaces: InterfaceRow[];
}

export interface WriteMethodResult {
  method: string;
  snapshots: number;
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  perSnapshotMs?: Summary;
}

export interface WritePathResult {
  rowsPerSnapshot: number;
  methods: WriteMethodResult[];
  /** The write path (rows as ingest writes them) rows/s divided by COPY rows/s: the goal figure. */
  writePathShareOfCopy: number;
  /** The same for the previous code (UNNEST arrays through Prisma). */
  beforeShareOfCopy: number;
  /** Whole ingest requests (HTTP, parse, validate, store, analyse) rows/s divided by COPY rows/s. */
  httpShareOfCopy: number;
  /** ingestSnapshot() in-process rows/s divided by COPY rows/s. */
  ingestShareOfCopy: number;
}

/** Every section differs from the host's previous snapshot: new peers, reloaded programs, new counters. */
export function allChangedSections(profile: Profile, generation: number): Sections {
  return {
    sockets: profile.rows.sockets.map((socket, index) =>
      isListening(socket) ? { ...socket, inode: (socket.inode ?? 0) + generation } : { ...socket, remotePort: 1024 + ((generation * 131 + index * 7) % 60_000) },
    ),
    processes: profile.rows.processes.map((process) => ({ ...process, args: process.args === null ? null : `${process.args} --generation=${generation}` })),
    interfaces: profile.rows.interfaces.map((row) => ({ ...row, rxDropped: generation })),
  };
}

const rowCount = (sections: Sections) => sections.sockets.length + sections.processes.length + sections.interfaces.length;

function makeSnapshot(host: SeededHost, sections: Sections, generation: number, tag: string): Snapshot {
  return snapshotSchema.parse({
    version: 1,
    host: { name: host.name, os: 'Linux 6.1.0-18-amd64 x86_64' },
    collectedAt: new Date().toISOString(),
    idempotencyKey: `${host.name}-${tag}-${generation}`,
    collectorVersion: 'bench-1',
    ...sections,
  });
}

export async function runWritePathPhase(options: {
  url: string;
  databaseUrl: string;
  prisma: PrismaClient;
  hosts: SeededHost[];
  profiles: Profile[];
  snapshots: number;
  log: (line: string) => void;
}): Promise<WritePathResult> {
  const { hosts, profiles, snapshots, log } = options;
  // Rows written around ingest go to the week a changed snapshot collected now goes to (its partition exists).
  const week = retainUntilFor(new Date(), defaultRetentionPolicy.changedDays, new Date());
  const weekText = toDateText(week);
  let generation = 1_000_000;
  const nextBatch = () =>
    Array.from({ length: snapshots }, (_, index) => {
      generation += 1;
      const host = hosts[index % hosts.length] as SeededHost;
      return { host, generation, sections: allChangedSections(profiles[host.profile] as Profile, generation) };
    });
  const methods: WriteMethodResult[] = [];
  const record = (result: WriteMethodResult) => {
    methods.push(result);
    log(`  ${result.method.padEnd(56)} ${String(result.rows).padStart(7)} rows in ${result.seconds.toFixed(2)} s = ${Math.round(result.rowsPerSecond).toLocaleString('en')} rows/s`);
  };

  // 1. The whole HTTP request (parse, validate, store, analyse), two collectors at a time.
  {
    const batch = nextBatch().map((item) => ({ ...item, body: JSON.stringify(makeSnapshot(item.host, item.sections, item.generation, 'wph')) }));
    const samples: number[] = [];
    let cursor = 0;
    const started = performance.now();
    const worker = async () => {
      while (cursor < batch.length) {
        const item = batch[cursor++] as (typeof batch)[number];
        const begun = performance.now();
        const response = await fetch(`${options.url}/api/v1/snapshots`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${item.host.token}` },
          body: item.body,
        });
        const text = await response.text();
        if (response.status !== 202) throw new Error(`all-changed POST answered ${response.status}: ${text.slice(0, 200)}`);
        samples.push(performance.now() - begun);
      }
    };
    await Promise.all([worker(), worker()]);
    const seconds = (performance.now() - started) / 1000;
    const rows = batch.reduce((sum, item) => sum + rowCount(item.sections), 0);
    record({ method: 'ingest over HTTP (2 collectors at a time)', snapshots: batch.length, rows, seconds, rowsPerSecond: rows / seconds, perSnapshotMs: summarize(samples) });
  }

  // 2. ingestSnapshot() in this process: the storing transaction and analysis, no HTTP or JSON.
  {
    const batch = nextBatch().map((item) => ({ ...item, snapshot: makeSnapshot(item.host, item.sections, item.generation, 'wpi') }));
    const samples: number[] = [];
    const started = performance.now();
    for (const item of batch) {
      const begun = performance.now();
      await ingestSnapshot(options.prisma, { id: item.host.id, name: item.host.name, labels: [] }, item.snapshot);
      samples.push(performance.now() - begun);
    }
    const seconds = (performance.now() - started) / 1000;
    const rows = batch.reduce((sum, item) => sum + rowCount(item.sections), 0);
    record({ method: 'ingestSnapshot() in-process, sequential', snapshots: batch.length, rows, seconds, rowsPerSecond: rows / seconds, perSnapshotMs: summarize(samples) });
  }

  const sink = await createSinkHost(options.databaseUrl);
  // 3. The write path: new section sets and their rows exactly as ingest writes them
  //    (lib/snapshots/section-rows.ts storeSectionSets: one statement, rows as JSON, through Prisma),
  //    one transaction per snapshot.
  {
    const batch = nextBatch();
    const started = performance.now();
    for (const item of batch) {
      const hash = (section: string) => `bench-${item.generation}-${section}-${Math.random().toString(36).slice(2)}`;
      await options.prisma.$transaction((tx) =>
        storeSectionSets(
          tx,
          sink,
          {
            sockets: { hash: hash('sockets'), rows: item.sections.sockets },
            processes: { hash: hash('processes'), rows: item.sections.processes },
            interfaces: { hash: hash('interfaces'), rows: item.sections.interfaces },
          },
          week,
        ),
      );
    }
    const seconds = (performance.now() - started) / 1000;
    const rows = batch.reduce((sum, item) => sum + rowCount(item.sections), 0);
    record({ method: 'write path: sets + rows as ingest writes them (JSON via Prisma)', snapshots: batch.length, rows, seconds, rowsPerSecond: rows / seconds });
  }

  // 3b. Before this change: UNNEST with one array parameter per column through Prisma, createMany for interfaces.
  {
    const batch = nextBatch();
    const setIds = await createSets(options.databaseUrl, sink, batch.length, weekText);
    const started = performance.now();
    for (const [index, item] of batch.entries()) {
      const [socketsSet, processesSet, interfacesSet] = setIds[index] as [bigint, bigint, bigint];
      await options.prisma.$transaction(async (tx) => {
        await tx.$executeRawUnsafe(socketUnnest, socketsSet, weekText, ...socketColumns(item.sections.sockets));
        await tx.$executeRawUnsafe(processUnnest, processesSet, weekText, ...processColumns(item.sections.processes));
        await tx.interface.createMany({
          data: item.sections.interfaces.map((row) => ({
            setId: interfacesSet, retainUntil: week, name: row.name, flags: row.flags, promiscuous: row.promiscuous, mtu: row.mtu, mac: row.mac, addresses: row.addresses,
            rxErrors: toBigInt(row.rxErrors), txErrors: toBigInt(row.txErrors), rxDropped: toBigInt(row.rxDropped), txDropped: toBigInt(row.txDropped),
          })),
        });
      });
    }
    const seconds = (performance.now() - started) / 1000;
    const rows = batch.reduce((sum, item) => sum + rowCount(item.sections), 0);
    record({ method: 'before: UNNEST arrays via Prisma (previous code)', snapshots: batch.length, rows, seconds, rowsPerSecond: rows / seconds });
  }

  // 4. UNNEST statements on a plain pg connection: what Prisma itself costs.
  {
    const batch = nextBatch();
    const setIds = await createSets(options.databaseUrl, sink, batch.length, weekText);
    const client = new pg.Client({ connectionString: options.databaseUrl });
    await client.connect();
    const started = performance.now();
    for (const [index, item] of batch.entries()) {
      const [socketsSet, processesSet, interfacesSet] = setIds[index] as [bigint, bigint, bigint];
      await client.query('BEGIN');
      await client.query(socketUnnest, [socketsSet.toString(), weekText, ...socketColumns(item.sections.sockets)]);
      await client.query(processUnnest, [processesSet.toString(), weekText, ...processColumns(item.sections.processes)]);
      await client.query(interfaceJson, [interfacesSet.toString(), weekText, JSON.stringify(item.sections.interfaces)]);
      await client.query('COMMIT');
    }
    const seconds = (performance.now() - started) / 1000;
    await client.end();
    const rows = batch.reduce((sum, item) => sum + rowCount(item.sections), 0);
    record({ method: 'same rows, UNNEST on plain pg (no Prisma)', snapshots: batch.length, rows, seconds, rowsPerSecond: rows / seconds });
  }

  // 5. COPY of the same rows into the same tables: the physical limit on this machine.
  {
    const batch = nextBatch();
    const setIds = await createSets(options.databaseUrl, sink, batch.length, weekText);
    const directory = mkdtempSync(path.join(os.tmpdir(), 'sockscope-bench-copy-'));
    try {
      const socketsCsv: string[] = [];
      const processesCsv: string[] = [];
      const interfacesCsv: string[] = [];
      for (const [index, item] of batch.entries()) {
        const [socketsSet, processesSet, interfacesSet] = setIds[index] as [bigint, bigint, bigint];
        for (const row of item.sections.sockets) {
          socketsCsv.push(csv([socketsSet, weekText, row.proto, row.localAddress, row.localPort, row.remoteAddress, row.remotePort, row.state, isListening(row), row.pid, row.process, row.user, row.uid, row.inode ?? null]));
        }
        for (const row of item.sections.processes) processesCsv.push(csv([processesSet, weekText, row.pid, row.ppid, row.user, row.uid, row.command, row.args, row.startedAt]));
        for (const row of item.sections.interfaces) {
          interfacesCsv.push(csv([interfacesSet, weekText, row.name, pgArray(row.flags), row.promiscuous, row.mtu, row.mac, pgArray(row.addresses), row.rxErrors ?? null, row.txErrors ?? null, row.rxDropped ?? null, row.txDropped ?? null]));
        }
      }
      const files = { sockets: path.join(directory, 'sockets.csv'), processes: path.join(directory, 'processes.csv'), interfaces: path.join(directory, 'interfaces.csv') };
      writeFileSync(files.sockets, socketsCsv.join('\n') + '\n');
      writeFileSync(files.processes, processesCsv.join('\n') + '\n');
      writeFileSync(files.interfaces, interfacesCsv.join('\n') + '\n');
      const script = path.join(directory, 'copy.sql');
      writeFileSync(
        script,
        [
          `\\copy "Socket" ("setId", "retainUntil", "proto", "localAddress", "localPort", "remoteAddress", "remotePort", "state", "listening", "pid", "process", "user", "uid", "inode") FROM '${files.sockets}' WITH (FORMAT csv)`,
          `\\copy "Process" ("setId", "retainUntil", "pid", "ppid", "user", "uid", "command", "args", "startedAt") FROM '${files.processes}' WITH (FORMAT csv)`,
          `\\copy "Interface" ("setId", "retainUntil", "name", "flags", "promiscuous", "mtu", "mac", "addresses", "rxErrors", "txErrors", "rxDropped", "txDropped") FROM '${files.interfaces}' WITH (FORMAT csv)`,
        ].join('\n') + '\n',
      );
      // psql's own start-up is timed separately and taken off.
      const startup = timeCommand('psql', [options.databaseUrl, '-X', '-q', '-c', 'SELECT 1']);
      const copyMs = timeCommand('psql', [options.databaseUrl, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-1', '-f', script]);
      const seconds = Math.max(0.001, (copyMs - startup) / 1000);
      const rows = socketsCsv.length + processesCsv.length + interfacesCsv.length;
      record({ method: 'COPY (psql \\copy, one transaction)', snapshots: batch.length, rows, seconds, rowsPerSecond: rows / seconds });
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  }

  const rate = (prefix: string) => methods.find((method) => method.method.startsWith(prefix))?.rowsPerSecond ?? NaN;
  return {
    rowsPerSnapshot: rowCount(allChangedSections(profiles[0] as Profile, 0)),
    methods,
    writePathShareOfCopy: rate('write path') / rate('COPY'),
    beforeShareOfCopy: rate('before:') / rate('COPY'),
    httpShareOfCopy: rate('ingest over HTTP') / rate('COPY'),
    ingestShareOfCopy: rate('ingestSnapshot()') / rate('COPY'),
  };
}

function timeCommand(command: string, args: string[]): number {
  const started = performance.now();
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr}`);
  return performance.now() - started;
}

async function createSinkHost(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const result = await client.query<{ id: number }>(
      `INSERT INTO "Host" ("name") VALUES ('bench-write-path-sink') ON CONFLICT ("name") DO UPDATE SET "name" = EXCLUDED."name" RETURNING "id"`,
    );
    return (result.rows[0] as { id: number }).id;
  } finally {
    await client.end();
  }
}

/** Three fresh section sets (sockets, processes, interfaces) per snapshot, for the row-only methods. */
async function createSets(databaseUrl: string, hostId: number, count: number, week: string): Promise<Array<[bigint, bigint, bigint]>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const result = await client.query<{ id: string }>(
      `INSERT INTO "SectionSet" ("hostId", "section", "hash", "rowCount", "retainUntil")
       SELECT $1, (ARRAY['sockets', 'processes', 'interfaces']::"Section"[])[1 + (g % 3)], md5(random()::text || g::text), 0, $3::date
         FROM generate_series(0, $2 - 1) AS g ORDER BY g RETURNING "id"`,
      [hostId, count * 3, week],
    );
    const ids = result.rows.map((row) => BigInt(row.id));
    return Array.from({ length: count }, (_, index) => [ids[index * 3], ids[index * 3 + 1], ids[index * 3 + 2]] as [bigint, bigint, bigint]);
  } finally {
    await client.end();
  }
}

const socketUnnest = `
  INSERT INTO "Socket" ("setId", "retainUntil", "proto", "localAddress", "localPort", "remoteAddress", "remotePort", "state", "listening", "pid", "process", "user", "uid", "inode")
  SELECT $1::bigint, $2::date, * FROM UNNEST($3::text[], $4::text[], $5::int[], $6::text[], $7::int[], $8::text[], $9::boolean[], $10::int[], $11::text[], $12::text[], $13::bigint[], $14::bigint[])`;
const socketColumns = (rows: SocketRow[]) => [
  rows.map((row) => row.proto), rows.map((row) => row.localAddress), rows.map((row) => row.localPort), rows.map((row) => row.remoteAddress),
  rows.map((row) => row.remotePort), rows.map((row) => row.state), rows.map((row) => isListening(row)), rows.map((row) => row.pid),
  rows.map((row) => row.process), rows.map((row) => row.user), rows.map((row) => row.uid), rows.map((row) => row.inode ?? null),
];
const processUnnest = `
  INSERT INTO "Process" ("setId", "retainUntil", "pid", "ppid", "user", "uid", "command", "args", "startedAt")
  SELECT $1::bigint, $2::date, * FROM UNNEST($3::int[], $4::int[], $5::text[], $6::bigint[], $7::text[], $8::text[], $9::timestamptz[])`;
const processColumns = (rows: ProcessRow[]) => [
  rows.map((row) => row.pid), rows.map((row) => row.ppid), rows.map((row) => row.user), rows.map((row) => row.uid),
  rows.map((row) => row.command), rows.map((row) => row.args), rows.map((row) => row.startedAt),
];
const interfaceJson = `
  INSERT INTO "Interface" ("setId", "retainUntil", "name", "flags", "promiscuous", "mtu", "mac", "addresses", "rxErrors", "txErrors", "rxDropped", "txDropped")
  SELECT $1::bigint, $2::date, r->>'name', ARRAY(SELECT jsonb_array_elements_text(r->'flags')), (r->>'promiscuous')::boolean, (r->>'mtu')::int, r->>'mac',
         ARRAY(SELECT jsonb_array_elements_text(r->'addresses')), (r->>'rxErrors')::bigint, (r->>'txErrors')::bigint, (r->>'rxDropped')::bigint, (r->>'txDropped')::bigint
    FROM jsonb_array_elements($3::jsonb) AS r`;

function toBigInt(value: number | null | undefined): bigint | null {
  return value === null || value === undefined ? null : BigInt(value);
}

function csv(values: ReadonlyArray<string | number | bigint | boolean | null | undefined>): string {
  return values
    .map((value) => {
      if (value === null || value === undefined) return '';
      if (typeof value === 'boolean') return value ? 't' : 'f';
      if (typeof value === 'number' || typeof value === 'bigint') return String(value);
      return `"${value.replace(/"/g, '""')}"`;
    })
    .join(',');
}

function pgArray(values: readonly string[]): string {
  return `{${values.map((value) => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}
