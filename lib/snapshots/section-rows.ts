// Writes and reads the rows of section sets: one round trip for all of a snapshot's new sets.
// Rows travel as one JSON text (json_to_recordset on the way in, json_agg on the way out): Prisma
// turns array parameters into per-element values, which cost ~15 ms of CPU per 600-row snapshot with
// UNNEST arrays, against ~2 ms for one JSON string (bench/README.md). The columns, casts and
// row order are the same as before, so stored and returned values are unchanged.
//
// Rows live in the week partition of their set (`retainUntil`, lib/retention/retention-weeks.ts):
// they are written with it, and read by set with the set's week, so only one partition is searched.
import { Prisma } from '@/lib/generated/prisma/client';
import { toDateText } from '@/lib/retention/retention-weeks';
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

/** One row table: its INSERT column list (set and week first), the matching select list over `r`, and the JSON recordset `r`. */
interface RowTable<Row> {
  insertInto: Prisma.Sql;
  select: Prisma.Sql;
  toJson(rows: readonly Row[]): string;
  recordset(json: string): Prisma.Sql;
}

const socketTable: RowTable<SocketRow> = {
  insertInto: Prisma.sql`INSERT INTO "Socket" ("setId", "retainUntil", "proto", "localAddress", "localPort", "remoteAddress", "remotePort", "state",
                                               "listening", "pid", "process", "user", "uid", "inode")`,
  select: Prisma.sql`r."proto", r."localAddress", r."localPort", r."remoteAddress", r."remotePort", r."state",
                     r."listening", r."pid", r."process", r."user", r."uid", r."inode"`,
  // `listening` is derived here, as before, so the SQL never re-implements isListening.
  toJson: (rows) => `[${rows.map((row) => `${JSON.stringify(row).slice(0, -1)},"listening":${isListening(row)}}`).join(',')}]`,
  recordset: (json) => Prisma.sql`json_to_recordset(${toWellFormedJson(json)}::json) AS r(
    "proto" text, "localAddress" text, "localPort" int, "remoteAddress" text, "remotePort" int, "state" text,
    "listening" boolean, "pid" int, "process" text, "user" text, "uid" bigint, "inode" bigint)`,
};

const processTable: RowTable<ProcessRow> = {
  insertInto: Prisma.sql`INSERT INTO "Process" ("setId", "retainUntil", "pid", "ppid", "user", "uid", "command", "args", "startedAt")`,
  select: Prisma.sql`r."pid", r."ppid", r."user", r."uid", r."command", r."args", r."startedAt"`,
  toJson: (rows) => JSON.stringify(rows),
  recordset: (json) => Prisma.sql`json_to_recordset(${toWellFormedJson(json)}::json) AS r(
    "pid" int, "ppid" int, "user" text, "uid" bigint, "command" text, "args" text, "startedAt" timestamptz)`,
};

// JSON arrays become text[] (flags, addresses); absent counters become NULL, as toBigInt(undefined) did.
const interfaceTable: RowTable<InterfaceRow> = {
  insertInto: Prisma.sql`INSERT INTO "Interface" ("setId", "retainUntil", "name", "flags", "promiscuous", "mtu", "mac", "addresses",
                                                  "rxErrors", "txErrors", "rxDropped", "txDropped")`,
  select: Prisma.sql`r."name", r."flags", r."promiscuous", r."mtu", r."mac", r."addresses",
                     r."rxErrors", r."txErrors", r."rxDropped", r."txDropped"`,
  toJson: (rows) => JSON.stringify(rows),
  recordset: (json) => Prisma.sql`json_to_recordset(${toWellFormedJson(json)}::json) AS r(
    "name" text, "flags" text[], "promiscuous" boolean, "mtu" int, "mac" text, "addresses" text[],
    "rxErrors" bigint, "txErrors" bigint, "rxDropped" bigint, "txDropped" bigint)`,
};

/** A set's identity as its rows carry it: its id and its week. */
export interface SetPlacement {
  setId: bigint;
  retainUntil: Date;
}

const week = (retainUntil: Date) => Prisma.sql`${toDateText(retainUntil)}::date`;

async function insertRows<Row>(tx: Tx, table: RowTable<Row>, set: SetPlacement, rows: readonly Row[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.$executeRaw`${table.insertInto} SELECT ${set.setId}::bigint, ${week(set.retainUntil)}, ${table.select} FROM ${table.recordset(table.toJson(rows))}`;
}

export const insertSocketRows = (tx: Tx, set: SetPlacement, rows: readonly SocketRow[]) => insertRows(tx, socketTable, set, rows);
export const insertProcessRows = (tx: Tx, set: SetPlacement, rows: readonly ProcessRow[]) => insertRows(tx, processTable, set, rows);
export const insertInterfaceRows = (tx: Tx, set: SetPlacement, rows: readonly InterfaceRow[]) => insertRows(tx, interfaceTable, set, rows);

export type TabularSection = 'sockets' | 'processes' | 'interfaces';

export type NewSections = Partial<{
  sockets: { hash: string; rows: readonly SocketRow[] };
  processes: { hash: string; rows: readonly ProcessRow[] };
  interfaces: { hash: string; rows: readonly InterfaceRow[] };
}>;

/**
 * The sets of a host's changed sections in one statement: each content's existing set (a host
 * flapping back) or a new set with its rows, in week `retainUntil`. One round trip instead of two
 * per section.
 */
export async function storeSectionSets(tx: Tx, hostId: number, sections: NewSections, retainUntil: Date): Promise<Partial<Record<TabularSection, bigint>>> {
  const parts: Prisma.Sql[] = [];
  const results: Prisma.Sql[] = [];
  const add = <Row>(section: TabularSection, table: RowTable<Row>, content: { hash: string; rows: readonly Row[] } | undefined) => {
    if (!content) return;
    const existing = Prisma.raw(`${section}_existing`);
    const created = Prisma.raw(`${section}_created`);
    parts.push(Prisma.sql`
      ${existing} AS (
        SELECT "id" FROM "SectionSet" WHERE "hostId" = ${hostId} AND "section" = ${section}::"Section" AND "hash" = ${content.hash}
      ), ${created} AS (
        INSERT INTO "SectionSet" ("hostId", "section", "hash", "rowCount", "retainUntil")
        SELECT ${hostId}, ${section}::"Section", ${content.hash}, ${content.rows.length}, ${week(retainUntil)} WHERE NOT EXISTS (SELECT 1 FROM ${existing})
        RETURNING "id", "retainUntil"
      ), ${Prisma.raw(`${section}_rows`)} AS (
        ${table.insertInto} SELECT c."id", c."retainUntil", ${table.select} FROM ${created} c CROSS JOIN ${table.recordset(table.toJson(content.rows))}
      )`);
    results.push(Prisma.sql`(SELECT "id" FROM ${created} UNION ALL SELECT "id" FROM ${existing} LIMIT 1) AS ${Prisma.raw(`"${section}"`)}`);
  };
  add('sockets', socketTable, sections.sockets);
  add('processes', processTable, sections.processes);
  add('interfaces', interfaceTable, sections.interfaces);
  if (parts.length === 0) return {};
  const [row] = await tx.$queryRaw<Partial<Record<TabularSection, bigint>>[]>`WITH ${Prisma.join(parts, ',')} SELECT ${Prisma.join(results, ', ')}`;
  if (!row) throw new Error('storing section sets returned no row');
  return row;
}

/**
 * JSON.stringify escapes a lone UTF-16 surrogate as \udXXX, which PostgreSQL's JSON parser refuses;
 * the driver used to send such a string as UTF-8 with U+FFFD in its place, so do the same. Only
 * lone surrogates are ever escaped this way, and an escaped backslash before "ud..." is skipped.
 */
function toWellFormedJson(json: string): string {
  if (!/\\ud[89a-f]/.test(json)) return json;
  return json.replace(/(?<!\\)((?:\\\\)*)\\ud[89a-f][0-9a-f]{2}/g, '$1\\ufffd');
}

export async function insertTracerouteRows(tx: Tx, setId: bigint, retainUntil: Date, runs: readonly TracerouteRun[]): Promise<void> {
  for (const run of runs) {
    // The hops take the run's week from their relation.
    await tx.tracerouteRun.create({
      data: {
        setId,
        retainUntil,
        target: run.target,
        targetAddress: run.targetAddress,
        startedAt: run.startedAt ? new Date(run.startedAt) : null,
        hops: { create: run.hops.map((hop) => ({ hop: hop.hop, probes: hop.probes as unknown as Prisma.InputJsonValue })) },
      },
    });
  }
}

type Reader = Pick<Tx, '$queryRaw' | 'tracerouteRun'>;

/** One JSON text per set: Prisma maps each row of a findMany, which costs more than the query itself. */
async function readJsonRows<Row>(db: Reader, query: Prisma.Sql): Promise<Row[]> {
  const [result] = await db.$queryRaw<{ rows: string }[]>(query);
  return JSON.parse(result?.rows ?? '[]') as Row[];
}

/** The rows of one set: with its week as a parameter, the query is planned for one partition, not all of them. */
const ofSet = (set: SetPlacement) => Prisma.sql`"setId" = ${set.setId} AND "retainUntil" = ${week(set.retainUntil)}`;

// timestamp(3) columns hold UTC; this is Date.prototype.toISOString's format, as Prisma's Date gave.
const isoTimestamp = (column: Prisma.Sql) => Prisma.sql`to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

export async function readSocketRows(db: Reader, set: SetPlacement): Promise<SocketRow[]> {
  return readJsonRows<SocketRow>(db, Prisma.sql`
    SELECT coalesce(json_agg(json_build_object(
             'proto', "proto", 'localAddress', "localAddress", 'localPort', "localPort", 'remoteAddress', "remoteAddress",
             'remotePort', "remotePort", 'state', "state", 'pid', "pid", 'process', "process", 'user', "user",
             'uid', "uid", 'inode', "inode") ORDER BY "id"), '[]')::text AS "rows"
      FROM "Socket" WHERE ${ofSet(set)}`);
}

export async function readProcessRows(db: Reader, set: SetPlacement): Promise<ProcessRow[]> {
  return readJsonRows<ProcessRow>(db, Prisma.sql`
    SELECT coalesce(json_agg(json_build_object(
             'pid', "pid", 'ppid', "ppid", 'user', "user", 'uid', "uid", 'command', "command", 'args', "args",
             'startedAt', ${isoTimestamp(Prisma.sql`"startedAt"`)}) ORDER BY "id"), '[]')::text AS "rows"
      FROM "Process" WHERE ${ofSet(set)}`);
}

export async function readInterfaceRows(db: Reader, set: SetPlacement): Promise<InterfaceRow[]> {
  return readJsonRows<InterfaceRow>(db, Prisma.sql`
    SELECT coalesce(json_agg(json_build_object(
             'name', "name", 'flags', "flags", 'promiscuous', "promiscuous", 'mtu', "mtu", 'mac', "mac",
             'addresses', "addresses", 'rxErrors', "rxErrors", 'txErrors', "txErrors", 'rxDropped', "rxDropped",
             'txDropped', "txDropped") ORDER BY "id"), '[]')::text AS "rows"
      FROM "Interface" WHERE ${ofSet(set)}`);
}

export async function readTracerouteRows(db: Reader, set: SetPlacement): Promise<TracerouteRun[]> {
  const runs = await db.tracerouteRun.findMany({
    where: { setId: set.setId, retainUntil: set.retainUntil },
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
