// Which programs a host has run before, and how common a program is in the fleet, for
// `process.new_binary` (lib/alerts/rules/process-alerts.ts). A program is its executable's path and
// SHA-256 — a `sshd` run from /tmp/.x/ is not the sshd in /usr/sbin — or, when the collector cannot
// see the executable (an import of `ps` output, a process of another user), its command name. Each
// host's programs are recorded once (HostProgram), when first seen.
import { programId, programKeyOf, type NewProgram, type ProgramKey } from '@/lib/alerts/rules/programs';
import type { ProcessRow } from '@/lib/schemas/snapshot';
import { utcTimestamp, type SqlRunner } from '@/lib/db/sql-client';

export interface SeenPrograms {
  /** The programs new to the host, with their prevalence, by programId. */
  newPrograms: Map<string, NewProgram>;
  /** Processes owning a listening socket after this snapshot's writes. */
  listeningPids: Set<number>;
}

/**
 * For the processes a snapshot opened: the programs new to the host (recorded from now on), with
 * their prevalence among hosts sharing a label and in the fleet, and which processes listen now.
 */
export async function readNewPrograms(tx: SqlRunner, host: { id: number; labels: readonly string[] }, opened: readonly ProcessRow[]): Promise<SeenPrograms> {
  const keys = new Map<string, ProgramKey>();
  for (const row of opened) keys.set(programId(programKeyOf(row)), programKeyOf(row));
  if (keys.size === 0) return { newPrograms: new Map(), listeningPids: new Set() };
  const programs = [...keys.values()];
  // Inserted first: what already existed is what the host ran before. Of the rest, two are not news
  // either: a hash filled in for an executable seen before without one (the collector hashes within
  // a time budget, so a busy snapshot leaves some for the next), and a process seen by its command
  // name only (it exited before its executable could be read) whose executable the host already ran
  // under that name — the kernel's name for a task is at most 15 characters.
  const [recorded] = await tx.query<{ inserted: { program: string; sha256: string }[] | null; listeningPids: number[] | null }>(
    `WITH inserted AS (
       INSERT INTO "HostProgram" ("hostId", "program", "sha256", "firstSeenAt")
       SELECT $1::int, k."program", k."sha256", $4::timestamp(3) FROM unnest($2::text[], $3::text[]) AS k("program", "sha256")
       ON CONFLICT DO NOTHING
       RETURNING "program", "sha256"
     ),
     known AS (SELECT "program", "sha256" FROM "HostProgram" WHERE "hostId" = $1::int),
     news AS (
       SELECT i.* FROM inserted i
        WHERE NOT (i."sha256" = '' AND EXISTS (SELECT 1 FROM known p WHERE p."program" = i."program"))
          AND NOT (i."sha256" <> '' AND EXISTS (SELECT 1 FROM known p WHERE p."program" = i."program" AND p."sha256" = '')
                                    AND NOT EXISTS (SELECT 1 FROM known p WHERE p."program" = i."program" AND p."sha256" <> ''))
          AND NOT (i."program" LIKE '[%]' AND EXISTS (
                SELECT 1 FROM known p, LATERAL (SELECT regexp_replace(p."program", '^.*/', '') AS "base", substr(i."program", 2, length(i."program") - 2) AS "name") n
                 WHERE p."program" NOT LIKE '[%]' AND (n."base" = n."name" OR (length(n."name") = 15 AND starts_with(n."base", n."name")))))
     )
     SELECT (SELECT json_agg(json_build_object('program', "program", 'sha256', "sha256")) FROM news) AS "inserted",
            (SELECT array_agg(DISTINCT s."pid") FROM "Socket" s
              WHERE s."hostId" = $1::int AND s."retainUntil" = 'infinity'::date AND s."listening" AND s."pid" IS NOT NULL) AS "listeningPids"`,
    [host.id, programs.map((key) => key.program), programs.map((key) => key.sha256), utcTimestamp(new Date())],
    { statementName: 'sockscope_record_programs' },
  );
  const inserted = recorded?.inserted ?? [];
  const listeningPids = new Set(recorded?.listeningPids ?? []);
  if (inserted.length === 0) return { newPrograms: new Map(), listeningPids };
  const prevalence = await tx.query<{
    program: string;
    sha256: string;
    labelHosts: number;
    fleetHosts: number;
    labelHostCount: number;
    fleetHostCount: number;
  }>(
    `SELECT k."program", k."sha256",
            (SELECT count(DISTINCT p."hostId")::int FROM "HostProgram" p JOIN "Host" h ON h."id" = p."hostId"
              WHERE p."program" = k."program" AND p."sha256" = k."sha256" AND p."hostId" <> $1::int AND h."labels" && $4::text[]) AS "labelHosts",
            (SELECT count(DISTINCT p."hostId")::int FROM "HostProgram" p
              WHERE p."program" = k."program" AND p."sha256" = k."sha256" AND p."hostId" <> $1::int) AS "fleetHosts",
            c."labelHostCount", c."fleetHostCount"
       FROM unnest($2::text[], $3::text[]) AS k("program", "sha256"),
            -- Both counts in one pass over Host: it is most of this query's time in a large fleet.
            (SELECT count(*) FILTER (WHERE h."labels" && $4::text[])::int AS "labelHostCount", count(*)::int AS "fleetHostCount"
               FROM "Host" h WHERE h."id" <> $1::int) AS c`,
    [host.id, inserted.map((row) => row.program), inserted.map((row) => row.sha256), host.labels],
  );
  const newPrograms = new Map(
    prevalence.map(
      (row) =>
        [
          programId(row),
          { labelHosts: row.labelHosts, labelHostCount: row.labelHostCount, fleetHosts: row.fleetHosts, fleetHostCount: row.fleetHostCount },
        ] as const,
    ),
  );
  return { newPrograms, listeningPids };
}
