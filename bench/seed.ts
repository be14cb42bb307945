// A bench database per run, and a fleet seeded straight into it with SQL in the row-history model
// (prisma/migrations/004_row_history): every host enrolled with its own token and holding what its
// first post would have stored — a Snapshot with seq 1, its rows open in the `_open` partitions
// (openedSeq 1, the real row hash), each section's digest in HostSection (the real hashRows sum), the
// programs its processes ran in HostProgram, and Host.lastSeq/lastSnapshotId — so the load phases measure steady state and not 10,000 first posts.
// Rows go in with the columns and casts of lib/history/row-tables.ts, as ingest writes them; the
// run checks a few seeded hosts by posting their content whole and expecting "unchanged".
import pg from 'pg';
import { generateToken, hashToken, tokenDisplayPrefix } from '@/lib/auth/secrets';
import { OPEN_ROWS } from '@/lib/db/partitions';
import { insertColumns, rowTableSpecs, tableOf } from '@/lib/history/row-tables';
import { utcTimestamp } from '@/lib/db/sql-client';
import { defaultRetentionPolicy, retainUntilFor, toDateText } from '@/lib/retention/retention-weeks';
import type { RowOf } from '@/lib/schemas/row-hash';
import { benchSections, type BenchSection, type PreparedProfile } from './host-model';
import type { VirtualHost } from './load-generator';
import { createScratchDatabase } from '@/test/helpers/test-database';

const baseUrl = () => process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export interface BenchDatabase {
  url: string;
  name: string;
  drop: () => Promise<void>;
}

export const createBenchDatabase = (tag: string): Promise<BenchDatabase> => createScratchDatabase(baseUrl(), `sockscope_bench_${tag}`);

export interface SeededHost extends VirtualHost {
  id: number;
}

export interface SeedOptions {
  /** Hosts that exist (fleet page size). */
  hosts: number;
  /** The first `withData` hosts also hold a stored snapshot and take part in the load. */
  withData: number;
  profiles: readonly PreparedProfile[];
  namePrefix?: string;
  log?: (line: string) => void;
}

/** The typed column list json_to_recordset reads for a row table, plus the range columns. */
function rowRecordColumns(section: BenchSection, extra: readonly string[] = []): string {
  const derived = section === 'sockets' ? [`"listening" boolean`] : [];
  return [...extra, `"rowHash" uuid`, ...derived, ...rowTableSpecs[section].columns.map((column) => `"${column.name}" ${column.sqlType}`)].join(', ');
}

/** A row as ingest's json_to_recordset record (lib/history/row-tables.ts toRecord), hash null for closed rows. */
export function rowRecord<S extends BenchSection>(section: S, row: RowOf[S], hash: string | null): Record<string, unknown> {
  return (rowTableSpecs[section].toRecord as (row: RowOf[S], hash: string | null) => Record<string, unknown>)(row, hash);
}

const SEED_HOST_CHUNK = 2000;

export async function seedFleet(databaseUrl: string, options: SeedOptions): Promise<SeededHost[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const prefix = options.namePrefix ?? 'host';
    const names = Array.from({ length: options.hosts }, (_, index) => `${prefix}-${String(index).padStart(5, '0')}`);
    await client.query('BEGIN');
    const inserted = await client.query<{ id: number; name: string }>(
      `INSERT INTO "Host" ("name", "labels") SELECT name, ARRAY[label] FROM UNNEST($1::text[], $2::text[]) AS t(name, label) RETURNING "id", "name"`,
      [names, names.map((_, index) => (index % 10 === 0 ? 'db' : 'web'))],
    );
    const idByName = new Map(inserted.rows.map((row) => [row.name, row.id]));
    const hosts: SeededHost[] = names.map((name, index) => ({
      index,
      id: idByName.get(name) as number,
      name,
      token: generateToken('host'),
      profile: index % options.profiles.length,
      snapshotId: null,
    }));
    await client.query(`INSERT INTO "HostToken" ("hostId", "tokenHash", "prefix") SELECT * FROM UNNEST($1::int[], $2::text[], $3::text[])`, [
      hosts.map((host) => host.id),
      hosts.map((host) => hashToken(host.token)),
      hosts.map((host) => tokenDisplayPrefix(host.token)),
    ]);
    await client.query('COMMIT');
    const withData = hosts.slice(0, options.withData);
    if (withData.length > 0) {
      await createProfileTables(client, options.profiles);
      for (let start = 0; start < withData.length; start += SEED_HOST_CHUNK) {
        const chunk = withData.slice(start, start + SEED_HOST_CHUNK);
        const ids = await seedFirstSnapshots(client, chunk);
        for (const host of chunk) host.snapshotId = ids.get(host.id) ?? null;
        options.log?.(
          `  seeded ${Math.min(start + SEED_HOST_CHUNK, withData.length).toLocaleString('en')} of ${withData.length.toLocaleString('en')} hosts with data`,
        );
      }
    }
    // As a database past its first vacuum: statistics for the planner, and pages marked all-visible
    // (later VACUUMs, as the storage phase's, then only visit what changed).
    await client.query('VACUUM ANALYZE');
    return hosts;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

/** Session tables of every profile's rows (as records ingest inserts) and digests, joined with hosts below. */
async function createProfileTables(client: pg.Client, profiles: readonly PreparedProfile[]): Promise<void> {
  for (const section of benchSections) {
    const records = profiles.flatMap((profile) =>
      profile.sections[section].rows.map((row, ord) => ({
        profile: profile.index,
        ord,
        ...rowRecord(section, row as never, profile.sections[section].hashes[ord] as string),
      })),
    );
    await client.query(`DROP TABLE IF EXISTS bench_profile_${section}`);
    await client.query(
      `CREATE TEMP TABLE bench_profile_${section} AS SELECT * FROM json_to_recordset($1::json) AS r(${rowRecordColumns(section, ['"profile" int', '"ord" int'])})`,
      [JSON.stringify(records)],
    );
  }
  await client.query(`DROP TABLE IF EXISTS bench_profile_section`);
  await client.query(`CREATE TEMP TABLE bench_profile_section (profile int, section text, digest uuid, "rowCount" int, listeners int)`);
  await client.query(`INSERT INTO bench_profile_section SELECT * FROM UNNEST($1::int[], $2::text[], $3::uuid[], $4::int[], $5::int[])`, [
    profiles.flatMap((profile) => benchSections.map(() => profile.index)),
    profiles.flatMap(() => [...benchSections]),
    profiles.flatMap((profile) => benchSections.map((section) => profile.sections[section].digest)),
    profiles.flatMap((profile) => benchSections.map((section) => profile.sections[section].rows.length)),
    profiles.flatMap((profile) => benchSections.map(() => profile.listenerCount)),
  ]);
}

/** Seq 1 of each host, in one transaction per chunk of hosts; returns each host's snapshot id. */
async function seedFirstSnapshots(client: pg.Client, hosts: readonly SeededHost[]): Promise<Map<number, string>> {
  const now = new Date();
  const collectedAt = new Date(now.getTime() - 60_000);
  // A host's first snapshot counts as changed: its week, as ingest computes it (the partition exists once the database is open).
  const week = toDateText(retainUntilFor(collectedAt, defaultRetentionPolicy.changedDays, now));
  await client.query('BEGIN');
  await client.query(`DROP TABLE IF EXISTS bench_host`);
  await client.query(`CREATE TEMP TABLE bench_host ("hostId" int, profile int)`);
  await client.query(`INSERT INTO bench_host SELECT * FROM UNNEST($1::int[], $2::int[])`, [hosts.map((host) => host.id), hosts.map((host) => host.profile)]);
  for (const section of benchSections) {
    const columns = insertColumns(section)
      .map((name) => `"${name}"`)
      .join(', ');
    await client.query(
      `INSERT INTO "${tableOf(section)}" ("hostId", "openedSeq", "retainUntil", ${columns})
       SELECT h."hostId", 1, '${OPEN_ROWS}'::date, ${insertColumns(section)
         .map((name) => `p."${name}"`)
         .join(', ')}
         FROM bench_host h JOIN bench_profile_${section} p USING (profile) ORDER BY h."hostId", p.ord`,
    );
  }
  // The programs its processes ran, as ingest records them at a host's first look (lib/ingest/known-programs.ts).
  await client.query(
    `INSERT INTO "HostProgram" ("hostId", "program", "sha256", "firstSeenAt")
     SELECT DISTINCT h."hostId", COALESCE(p."exe", '[' || p."command" || ']'), COALESCE(p."exeSha256", ''), $1::timestamp(3)
       FROM bench_host h JOIN bench_profile_processes p USING (profile)
     ON CONFLICT DO NOTHING`,
    [utcTimestamp(collectedAt)],
  );
  const stored = await client.query<{ id: string; hostId: number }>(
    `WITH stored AS (
       INSERT INTO "Snapshot" ("hostId", "seq", "collectedAt", "receivedAt", "idempotencyKey", "collectorVersion", "sections", "changedSections", "retainUntil")
       SELECT "hostId", 1, $1::timestamp(3), $1::timestamp(3), 'seed-' || "hostId", 'bench-seed',
              ARRAY['sockets', 'processes', 'interfaces']::"Section"[], ARRAY['sockets', 'processes', 'interfaces']::"Section"[], $2::date
         FROM bench_host ORDER BY "hostId"
       RETURNING "id", "hostId"
     ), sections AS (
       INSERT INTO "HostSection" ("hostId", "section", "digest", "rowCount", "snapshotId", "seq", "collectedAt")
       SELECT s."hostId", p.section::"Section", p.digest, p."rowCount", s."id", 1, $1::timestamp(3)
         FROM stored s JOIN bench_host b USING ("hostId") JOIN bench_profile_section p ON p.profile = b.profile
     ), hosts AS (
       UPDATE "Host" h SET "lastSnapshotId" = s."id", "lastSeq" = 1, "rowsRetainUntil" = $2::date, "intervalSeconds" = 60,
              "firstSeenAt" = $1::timestamp(3), "lastSeenAt" = $1::timestamp(3), "os" = 'Linux 6.1.0-18-amd64 x86_64', "kernel" = '6.1.0-18-amd64',
              "listenerCount" = p.listeners
         FROM stored s JOIN bench_host b USING ("hostId") JOIN bench_profile_section p ON p.profile = b.profile AND p.section = 'sockets'
        WHERE h."id" = s."hostId"
     )
     SELECT "id"::text AS "id", "hostId" FROM stored`,
    [utcTimestamp(collectedAt), week],
  );
  await client.query('COMMIT');
  return new Map(stored.rows.map((row) => [row.hostId, row.id]));
}
