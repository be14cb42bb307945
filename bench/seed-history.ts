// A year of history for one busy host, straight in SQL, as ingest would have left it: snapshots
// numbered 1..N, and each row stored once with the range of snapshots it was present in. Rows that
// ended sit in the week partition their retention ends in (Host.rowsRetainUntil when they closed:
// every snapshot changed something, so a year after it), the rest in `_open` with their row hash.
//
// A year at 60 s is 525,600 snapshots and, at the measured churn, tens of millions of rows for one
// host: too many to seed in a bench run. So the Snapshot rows cover the whole year at the real
// interval, and the row history is at full resolution (the churn plan's rows replaced at every
// snapshot) for the last `detailedDays`, and coarser before: the same rows replaced once every
// `coarseIntervalS` (the snapshots in between share those rows). The page and the diffs a week
// apart are measured inside the detailed part.
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { ensurePartitions, OPEN_ROWS } from '@/lib/db/partitions';
import { insertColumns } from '@/lib/history/row-tables';
import { utcTimestamp } from '@/lib/db/sql-client';
import { addWeeks, defaultRetentionPolicy, mondayOnOrAfter, mondayOnOrBefore, retainUntilFor, toDateText } from '@/lib/retention/retention-weeks';
import { digestOfHashes } from '@/lib/schemas/row-hash';
import { churnParts } from './churn';
import { drawReplacements, type ChurnPlan } from './churn-model';
import { createRandom } from './fleet';
import { copyColumns, copyCommand, csvLine, runPsql } from './copy-rows';
import { benchSections, HostRows, partAt, pickDistinct, sectionOfPart, type BenchSection, type PreparedProfile, type ReplacementPool } from './host-model';
import { rowRecord } from './seed';

export interface HistoryShape {
  days: number;
  /** Seconds between the host's snapshots, the whole year. */
  snapshotIntervalS: number;
  /** The last days, where rows change at every snapshot. */
  detailedDays: number;
  /** Before them, rows change once every this many seconds. */
  coarseIntervalS: number;
}

export interface SeededHistory {
  hostId: number;
  name: string;
  shape: HistoryShape;
  snapshots: number;
  /** Snapshots at which rows changed (every one in the detailed part). */
  churnPoints: number;
  rows: Record<BenchSection, { closed: number; open: number }>;
  /** Seqs of the detailed part: [first, last]. */
  detailedSeqs: [number, number];
  /** Snapshots a week apart at this interval. */
  weekSeqs: number;
  seconds: number;
}

export async function seedHostHistory(
  databaseUrl: string,
  options: { name: string; profile: PreparedProfile; pool: ReplacementPool; plan: ChurnPlan; shape: HistoryShape; log?: (line: string) => void },
): Promise<SeededHistory> {
  const started = performance.now();
  const { shape, profile } = options;
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const now = new Date();
    const snapshots = Math.floor((shape.days * 86_400) / shape.snapshotIntervalS);
    const firstAt = now.getTime() - snapshots * shape.snapshotIntervalS * 1000;
    const collectedAt = (seq: number) => new Date(firstAt + (seq - 1) * shape.snapshotIntervalS * 1000);
    const detailedFrom = Math.max(2, snapshots - Math.floor((shape.detailedDays * 86_400) / shape.snapshotIntervalS) + 1);
    const coarseStep = Math.max(1, Math.round(shape.coarseIntervalS / shape.snapshotIntervalS));
    // Every week a row or snapshot of the year lands in, created as ingest would on demand.
    const weekOf = (seq: number) => toDateText(retainUntilFor(collectedAt(seq), defaultRetentionPolicy.changedDays, now));
    const weeks: Date[] = [];
    for (let week = mondayOnOrBefore(now); week.getTime() <= mondayOnOrAfter(new Date(now.getTime() + 366 * 86_400_000)).getTime(); week = addWeeks(week, 1))
      weeks.push(week);
    await ensurePartitions((statement) => client.query(statement), weeks);

    const [host] = (
      await client.query<{ id: number }>(
        `INSERT INTO "Host" ("name", "labels", "os", "kernel", "intervalSeconds", "firstSeenAt") VALUES ($1, ARRAY['web'], 'Linux 6.1.0-18-amd64 x86_64', '6.1.0-18-amd64', $2, $3::timestamp(3)) RETURNING "id"`,
        [options.name, shape.snapshotIntervalS, utcTimestamp(collectedAt(1))],
      )
    ).rows as [{ id: number }];

    // Rows: replay the churn plan over the host's snapshots, into one CSV file per table, then COPY.
    const rows = new HostRows(profile, options.pool, 4242);
    const openedSeq = {
      sockets: new Int32Array(profile.sections.sockets.rows.length).fill(1),
      processes: new Int32Array(profile.sections.processes.rows.length).fill(1),
      interfaces: new Int32Array(profile.sections.interfaces.rows.length).fill(1),
    };
    const directory = mkdtempSync(path.join(os.tmpdir(), 'sockscope-bench-history-'));
    const files = {
      sockets: path.join(directory, 'sockets.csv'),
      processes: path.join(directory, 'processes.csv'),
      interfaces: path.join(directory, 'interfaces.csv'),
    };
    const lines: Record<BenchSection, string[]> = { sockets: [], processes: [], interfaces: [] };
    const counts: SeededHistory['rows'] = { sockets: { closed: 0, open: 0 }, processes: { closed: 0, open: 0 }, interfaces: { closed: 0, open: 0 } };
    const flush = (section: BenchSection) => {
      if (lines[section].length === 0) return;
      appendFileSync(files[section], `${lines[section].join('\n')}\n`);
      lines[section] = [];
    };
    const write = (section: BenchSection, record: Record<string, unknown>) => {
      lines[section].push(csvLine(section, copyColumns(section), record));
      if (lines[section].length >= 20_000) flush(section);
    };
    // A row's content as CSV is the same every time it ends: made once per profile or pool row.
    const contentCsv = new Map<string, string>();
    const closedRowCsv = (section: BenchSection, position: number) => {
      const value = rows.current[section][position] as number;
      const key = value === 0 ? `profile:${section}:${position}` : `pool:${partAt(profile, section, position)}:${value}`;
      let csv = contentCsv.get(key);
      if (csv === undefined) {
        csv = csvLine(section, insertColumns(section), rowRecord(section, rows.rowAt(section, position) as never, null));
        contentCsv.set(key, csv);
      }
      return csv;
    };
    const random = createRandom(0x41570);
    let churnPoints = 0;
    try {
      for (const section of benchSections) writeFileSync(files[section], '');
      for (let seq = 2; seq <= snapshots; seq += 1) {
        if (seq < detailedFrom && seq % coarseStep !== 0) continue;
        churnPoints += 1;
        const week = weekOf(seq);
        const replacements = drawReplacements(options.plan, random);
        for (const part of churnParts) {
          const section = sectionOfPart[part];
          for (const position of pickDistinct(profile.slots[part], replacements[part], random)) {
            // The row that ends now, with the range it was present in; closed rows keep no hash, as ingest leaves them.
            lines[section].push(`${host.id},${openedSeq[section][position]},${seq},${week},${closedRowCsv(section, position)}`);
            if (lines[section].length >= 20_000) flush(section);
            counts[section].closed += 1;
            rows.replaceAt(part, position);
            openedSeq[section][position] = seq;
          }
        }
      }
      for (const section of benchSections) {
        for (let position = 0; position < rows.current[section].length; position += 1) {
          write(section, {
            hostId: host.id,
            openedSeq: openedSeq[section][position],
            closedSeq: null,
            retainUntil: OPEN_ROWS,
            ...rowRecord(section, rows.rowAt(section, position) as never, rows.hashAt(section, position)),
          });
          counts[section].open += 1;
        }
        flush(section);
      }
      const script = path.join(directory, 'copy.sql');
      writeFileSync(script, `${benchSections.map((section) => copyCommand(section, files[section])).join('\n')}\n`);
      const copyMs = runPsql(databaseUrl, script);
      options.log?.(
        `  history: ${churnPoints.toLocaleString('en')} snapshots with changes, ${benchSections.reduce((sum, section) => sum + counts[section].closed + counts[section].open, 0).toLocaleString('en')} rows copied in ${(copyMs / 1000).toFixed(1)} s`,
      );
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }

    // Snapshots: the whole year at the real interval, each changed (processes and connections change every time).
    const snapshotsStarted = performance.now();
    const thisMonday = toDateText(mondayOnOrBefore(now));
    const latestMonday = toDateText(mondayOnOrAfter(new Date(now.getTime() + defaultRetentionPolicy.changedDays * 86_400_000)));
    const summary = JSON.stringify({
      sockets: {
        added: Math.round(options.plan.rates.connections + options.plan.rates.listeners),
        removed: Math.round(options.plan.rates.connections + options.plan.rates.listeners),
        changed: 0,
      },
      processes: { added: Math.round(options.plan.rates.processes), removed: Math.round(options.plan.rates.processes), changed: 0 },
      interfaces: { added: 0, removed: 0, changed: 0 },
      traceroutes: { added: 0, removed: 0, changed: 0 },
      widened: 0,
      promiscuousOn: [],
      promiscuousOff: [],
    });
    await client.query(
      `INSERT INTO "Snapshot" ("hostId", "seq", "collectedAt", "receivedAt", "idempotencyKey", "collectorVersion", "sections", "changedSections", "diffSummary", "retainUntil")
       SELECT $1::int, g, t, t, 'history-' || g, 'bench-1', ARRAY['sockets', 'processes', 'interfaces']::"Section"[],
              CASE WHEN g = 1 THEN ARRAY['sockets', 'processes', 'interfaces'] ELSE ARRAY['sockets', 'processes'] END::"Section"[],
              CASE WHEN g = 1 THEN NULL ELSE $5::jsonb END,
              -- retainUntilFor(collectedAt, 365 days, now): the Monday on or after, within [this Monday, now + 365 days].
              LEAST(GREATEST((date_trunc('week', t + interval '${defaultRetentionPolicy.changedDays} days' - interval '1 microsecond') + interval '7 days')::date, $6::date), $7::date)
         FROM generate_series(1, $2::int) AS g, LATERAL (SELECT $3::timestamp(3) + (g - 1) * make_interval(secs => $4::int) AS t) AS times
        ORDER BY g`,
      [host.id, snapshots, utcTimestamp(collectedAt(1)), shape.snapshotIntervalS, summary, thisMonday, latestMonday],
    );
    options.log?.(`  history: ${snapshots.toLocaleString('en')} snapshots inserted in ${((performance.now() - snapshotsStarted) / 1000).toFixed(1)} s`);
    const [last] = (await client.query<{ id: string }>(`SELECT "id"::text AS "id" FROM "Snapshot" WHERE "hostId" = $1 AND "seq" = $2`, [host.id, snapshots]))
      .rows as [{ id: string }];
    const digests = benchSections.map((section) => digestOfHashes(Array.from(rows.current[section], (_, position) => rows.hashAt(section, position))));
    await client.query(
      `INSERT INTO "HostSection" ("hostId", "section", "digest", "rowCount", "snapshotId", "seq", "collectedAt")
       SELECT $1::int, s.section::"Section", s.digest::uuid, s."rowCount", $2::bigint, $3::int, $4::timestamp(3)
         FROM UNNEST($5::text[], $6::text[], $7::int[]) AS s(section, digest, "rowCount")`,
      [
        host.id,
        last.id,
        snapshots,
        utcTimestamp(collectedAt(snapshots)),
        [...benchSections],
        digests,
        benchSections.map((section) => rows.current[section].length),
      ],
    );
    await client.query(
      `UPDATE "Host" SET "lastSnapshotId" = $2::bigint, "lastSeq" = $3::int, "rowsRetainUntil" = $4::date, "lastSeenAt" = $5::timestamp(3), "listenerCount" = $6::int WHERE "id" = $1::int`,
      [host.id, last.id, snapshots, weekOf(snapshots), utcTimestamp(collectedAt(snapshots)), profile.listenerCount],
    );
    await client.query('VACUUM ANALYZE');
    return {
      hostId: host.id,
      name: options.name,
      shape,
      snapshots,
      churnPoints,
      rows: counts,
      detailedSeqs: [detailedFrom, snapshots],
      weekSeqs: Math.round((7 * 86_400) / shape.snapshotIntervalS),
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await client.end();
  }
}
