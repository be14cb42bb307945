// A bench database per run, and a fleet seeded straight into it with SQL: every host enrolled with
// its own token and holding one stored snapshot (what the first real post would have written), so
// the load phases measure steady state and not 10,000 first posts. The rows are exactly what the
// ingest path would store (same hashes, same casts), so the server cannot tell the difference.
import pg from 'pg';
import { generateToken, hashToken, tokenDisplayPrefix } from '@/lib/auth/secrets';
import { defaultRetentionPolicy, retainUntilFor, toDateText } from '@/lib/retention/retention-weeks';
import { isListening, snapshotSchema, type InterfaceRow, type ProcessRow, type SocketRow } from '@/lib/schemas/snapshot';
import { hashSection } from '@/lib/snapshots/section-hash';
import { buildProfile, profileJson, type HostProfile, type ProfileJson } from './fleet';

export const baseUrl = () => process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export interface BenchDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

export async function createBenchDatabase(tag: string): Promise<BenchDatabase> {
  const base = new URL(baseUrl());
  const name = `sockscope_bench_${tag}_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: base.toString() });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(base.toString());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const client = new pg.Client({ connectionString: base.toString() });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    },
  };
}

export interface SeededHost {
  index: number;
  id: number;
  name: string;
  token: string;
  profile: number;
}

export interface Profile {
  rows: HostProfile;
  json: ProfileJson;
  hashes: { sockets: string; processes: string; interfaces: string };
  listenerCount: number;
}

/** Profiles as the server sees them: parsed by the contract schema, hashed like ingest hashes. */
export function buildProfiles(count: number): Profile[] {
  const profiles: Profile[] = [];
  for (let index = 0; index < count; index += 1) {
    const raw = buildProfile(index);
    const parsed = snapshotSchema.parse({ version: 1, host: { name: 'seed' }, collectedAt: new Date().toISOString(), idempotencyKey: 'seed-profile', ...raw });
    const rows: HostProfile = { sockets: parsed.sockets ?? [], processes: parsed.processes ?? [], interfaces: parsed.interfaces ?? [] };
    profiles.push({
      rows,
      json: profileJson(raw),
      hashes: { sockets: hashSection(rows.sockets), processes: hashSection(rows.processes), interfaces: hashSection(rows.interfaces) },
      listenerCount: rows.sockets.filter(isListening).length,
    });
  }
  return profiles;
}

export interface SeedOptions {
  /** Hosts that exist (fleet page size). */
  hosts: number;
  /** The first `withData` hosts also hold a stored snapshot and take part in the load. */
  withData: number;
  profiles: Profile[];
  namePrefix?: string;
}

export async function seedFleet(databaseUrl: string, options: SeedOptions): Promise<SeededHost[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const prefix = options.namePrefix ?? 'host';
    const names = Array.from({ length: options.hosts }, (_, index) => `${prefix}-${String(index).padStart(5, '0')}`);
    const profileOf = (index: number) => index % options.profiles.length;
    await client.query('BEGIN');
    const inserted = await client.query<{ id: number; name: string }>(
      `INSERT INTO "Host" ("name", "labels") SELECT name, ARRAY[label] FROM UNNEST($1::text[], $2::text[]) AS t(name, label) RETURNING "id", "name"`,
      [names, names.map((_, index) => (index % 10 === 0 ? 'db' : 'web'))],
    );
    const idByName = new Map(inserted.rows.map((row) => [row.name, row.id]));
    const hosts: SeededHost[] = names.map((name, index) => ({ index, id: idByName.get(name) as number, name, token: generateToken('host'), profile: profileOf(index) }));
    await client.query(
      `INSERT INTO "HostToken" ("hostId", "tokenHash", "prefix") SELECT * FROM UNNEST($1::int[], $2::text[], $3::text[])`,
      [hosts.map((host) => host.id), hosts.map((host) => hashToken(host.token)), hosts.map((host) => tokenDisplayPrefix(host.token))],
    );
    await client.query('COMMIT');
    if (options.withData > 0) await seedSnapshots(client, hosts.slice(0, options.withData), options.profiles);
    await client.query('ANALYZE');
    return hosts;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

async function seedSnapshots(rawClient: pg.Client, hosts: SeededHost[], profiles: Profile[]): Promise<void> {
  const client = timed(rawClient);
  // A host's first snapshot counts as changed: its week, as ingest would compute it (the partition exists once the database is open).
  const now = new Date();
  const week = toDateText(retainUntilFor(new Date(now.getTime() - 60_000), defaultRetentionPolicy.changedDays, now));
  await client.query('BEGIN');
  await client.query(`CREATE TEMP TABLE bench_host ("hostId" int, profile int) ON COMMIT DROP`);
  await client.query(`INSERT INTO bench_host SELECT * FROM UNNEST($1::int[], $2::int[])`, [hosts.map((host) => host.id), hosts.map((host) => host.profile)]);
  await client.query(`CREATE TEMP TABLE bench_profile (profile int, section "Section", hash text, "rowCount" int, listeners int) ON COMMIT DROP`);
  const sections = ['sockets', 'processes', 'interfaces'] as const;
  await client.query(`INSERT INTO bench_profile SELECT * FROM UNNEST($1::int[], $2::"Section"[], $3::text[], $4::int[], $5::int[])`, [
    profiles.flatMap((_, index) => sections.map(() => index)),
    profiles.flatMap(() => sections),
    profiles.flatMap((profile) => sections.map((section) => profile.hashes[section])),
    profiles.flatMap((profile) => sections.map((section) => profile.rows[section].length)),
    profiles.flatMap((profile) => sections.map(() => profile.listenerCount)),
  ]);
  await insertProfileRows(client, profiles);

  await client.query(`
    INSERT INTO "SectionSet" ("hostId", "section", "hash", "rowCount", "retainUntil")
    SELECT h."hostId", p.section, p.hash, p."rowCount", $1::date FROM bench_host h JOIN bench_profile p USING (profile) ORDER BY h."hostId", p.section`, [week]);
  // Same casts as lib/snapshots/section-rows.ts, so the stored values are byte-for-byte what ingest writes.
  await client.query(`
    INSERT INTO "Socket" ("setId", "retainUntil", "proto", "localAddress", "localPort", "remoteAddress", "remotePort", "state", "listening", "pid", "process", "user", "uid", "inode")
    SELECT s."id", s."retainUntil", t.proto, t."localAddress", t."localPort", t."remoteAddress", t."remotePort", t.state, t.listening, t.pid, t.process, t."user", t.uid, t.inode
      FROM "SectionSet" s JOIN bench_host h USING ("hostId") JOIN bench_socket t ON t.profile = h.profile
     WHERE s.section = 'sockets' ORDER BY s."id", t.ord`);
  await client.query(`
    INSERT INTO "Process" ("setId", "retainUntil", "pid", "ppid", "user", "uid", "command", "args", "startedAt")
    SELECT s."id", s."retainUntil", t.pid, t.ppid, t."user", t.uid, t.command, t.args, t."startedAt"
      FROM "SectionSet" s JOIN bench_host h USING ("hostId") JOIN bench_process t ON t.profile = h.profile
     WHERE s.section = 'processes' ORDER BY s."id", t.ord`);
  await client.query(`
    INSERT INTO "Interface" ("setId", "retainUntil", "name", "flags", "promiscuous", "mtu", "mac", "addresses", "rxErrors", "txErrors", "rxDropped", "txDropped")
    SELECT s."id", s."retainUntil", t.name, t.flags, t.promiscuous, t.mtu, t.mac, t.addresses, t."rxErrors", t."txErrors", t."rxDropped", t."txDropped"
      FROM "SectionSet" s JOIN bench_host h USING ("hostId") JOIN bench_interface t ON t.profile = h.profile
     WHERE s.section = 'interfaces' ORDER BY s."id", t.ord`);
  await client.query(`
    WITH sets AS (
      SELECT "hostId",
             max("id") FILTER (WHERE section = 'sockets') AS sockets,
             max("id") FILTER (WHERE section = 'processes') AS processes,
             max("id") FILTER (WHERE section = 'interfaces') AS interfaces
        FROM "SectionSet" WHERE "hostId" IN (SELECT "hostId" FROM bench_host) GROUP BY "hostId"
    ), stored AS (
      INSERT INTO "Snapshot" ("hostId", "collectedAt", "receivedAt", "idempotencyKey", "collectorVersion", "socketsSetId", "processesSetId", "interfacesSetId", "changedSections", "retainUntil")
      SELECT "hostId", now() - interval '60 seconds', now() - interval '60 seconds', 'seed-' || "hostId", 'bench-seed', sockets, processes, interfaces,
             ARRAY['sockets', 'processes', 'interfaces']::"Section"[], $1::date
        FROM sets ORDER BY "hostId"
      RETURNING "id", "hostId"
    )
    UPDATE "Host" h SET "lastSnapshotId" = stored."id", "firstSeenAt" = now() - interval '60 seconds', "lastSeenAt" = now() - interval '60 seconds',
           "os" = 'Linux 6.1.0-18-amd64 x86_64', "listenerCount" = p.listeners
      FROM stored JOIN bench_host b USING ("hostId") JOIN bench_profile p ON p.profile = b.profile AND p.section = 'sockets'
     WHERE h."id" = stored."hostId"`, [week]);
  await client.query('COMMIT');
}

async function insertProfileRows(client: Pick<pg.Client, 'query'>, profiles: Profile[]): Promise<void> {
  const flat = <Row>(pickRows: (profile: Profile) => Row[]) =>
    profiles.flatMap((profile, index) => pickRows(profile).map((row, ord) => ({ profile: index, ord, row })));
  const sockets = flat((profile) => profile.rows.sockets);
  const processes = flat((profile) => profile.rows.processes);
  const interfaces = flat((profile) => profile.rows.interfaces);
  const column = <Row, Value>(rows: { profile: number; ord: number; row: Row }[], pickValue: (row: Row) => Value) => rows.map((entry) => pickValue(entry.row));
  await client.query(`CREATE TEMP TABLE bench_socket ON COMMIT DROP AS
    SELECT * FROM UNNEST($1::int[], $2::int[], $3::text[], $4::text[], $5::int[], $6::text[], $7::int[], $8::text[], $9::boolean[], $10::int[], $11::text[], $12::text[], $13::bigint[], $14::bigint[])
      AS t(profile, ord, proto, "localAddress", "localPort", "remoteAddress", "remotePort", state, listening, pid, process, "user", uid, inode)`, [
    sockets.map((entry) => entry.profile), sockets.map((entry) => entry.ord),
    column(sockets, (row: SocketRow) => row.proto), column(sockets, (row: SocketRow) => row.localAddress), column(sockets, (row: SocketRow) => row.localPort),
    column(sockets, (row: SocketRow) => row.remoteAddress), column(sockets, (row: SocketRow) => row.remotePort), column(sockets, (row: SocketRow) => row.state),
    column(sockets, (row: SocketRow) => isListening(row)), column(sockets, (row: SocketRow) => row.pid), column(sockets, (row: SocketRow) => row.process),
    column(sockets, (row: SocketRow) => row.user), column(sockets, (row: SocketRow) => row.uid), column(sockets, (row: SocketRow) => row.inode ?? null),
  ]);
  await client.query(`CREATE TEMP TABLE bench_process ON COMMIT DROP AS
    SELECT t.profile, t.ord, t.pid, t.ppid, t."user", t.uid, t.command, t.args, t."startedAt"::timestamp(3) AS "startedAt"
      FROM UNNEST($1::int[], $2::int[], $3::int[], $4::int[], $5::text[], $6::bigint[], $7::text[], $8::text[], $9::timestamptz[])
      AS t(profile, ord, pid, ppid, "user", uid, command, args, "startedAt")`, [
    processes.map((entry) => entry.profile), processes.map((entry) => entry.ord),
    column(processes, (row: ProcessRow) => row.pid), column(processes, (row: ProcessRow) => row.ppid), column(processes, (row: ProcessRow) => row.user),
    column(processes, (row: ProcessRow) => row.uid), column(processes, (row: ProcessRow) => row.command), column(processes, (row: ProcessRow) => row.args),
    column(processes, (row: ProcessRow) => row.startedAt),
  ]);
  // Arrays of arrays cannot go through UNNEST; interfaces are few, so they go in as JSON.
  await client.query(`CREATE TEMP TABLE bench_interface ON COMMIT DROP AS
    SELECT (r->>'profile')::int AS profile, (r->>'ord')::int AS ord, r->>'name' AS name,
           ARRAY(SELECT jsonb_array_elements_text(r->'flags')) AS flags, (r->>'promiscuous')::boolean AS promiscuous,
           (r->>'mtu')::int AS mtu, r->>'mac' AS mac, ARRAY(SELECT jsonb_array_elements_text(r->'addresses')) AS addresses,
           (r->>'rxErrors')::bigint AS "rxErrors", (r->>'txErrors')::bigint AS "txErrors", (r->>'rxDropped')::bigint AS "rxDropped", (r->>'txDropped')::bigint AS "txDropped"
      FROM jsonb_array_elements($1::jsonb) AS r`, [JSON.stringify(interfaces.map((entry) => ({ profile: entry.profile, ord: entry.ord, ...(entry.row as InterfaceRow) })))]);
}

/** With BENCH_VERBOSE=1, prints how long each seeding statement took. */
function timed(client: pg.Client): Pick<pg.Client, 'query'> {
  if (process.env.BENCH_VERBOSE !== '1') return client;
  return {
    query: (async (text: string, values?: unknown[]) => {
      const started = performance.now();
      const result = await client.query(text, values);
      console.log(`  seed ${(performance.now() - started).toFixed(0).padStart(6)} ms  ${text.trim().split('\n')[0]?.slice(0, 70)}`);
      return result;
    }) as pg.Client['query'],
  };
}
