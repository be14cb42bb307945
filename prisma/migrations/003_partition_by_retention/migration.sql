-- Expiry-week partitioning (lib/retention/retention-weeks.ts): Snapshot and the section row tables
-- become partitioned BY RANGE ("retainUntil"), the Monday (UTC) their retention ends, one partition
-- per week in schema "sockscope_partitions" (lib/db/partitions.ts creates them ahead). Retention
-- drops whole weeks instead of deleting rows.
--
-- A populated database is converted in this one transaction: the old tables move aside, the new
-- ones are filled with the retainUntil the default policy (30 days unchanged, 365 days changed) gives
-- each row, and the old ones are dropped. The id sequences are kept, so ids continue.

CREATE SCHEMA "sockscope_partitions";
CREATE SCHEMA "sockscope_before_003";

-- Detach the sequences first: an owned sequence would move with its table.
ALTER SEQUENCE "Snapshot_id_seq" OWNED BY NONE;
ALTER SEQUENCE "Socket_id_seq" OWNED BY NONE;
ALTER SEQUENCE "Process_id_seq" OWNED BY NONE;
ALTER SEQUENCE "Interface_id_seq" OWNED BY NONE;
ALTER SEQUENCE "TracerouteRun_id_seq" OWNED BY NONE;
ALTER SEQUENCE "TracerouteHop_id_seq" OWNED BY NONE;

-- Their indexes and constraints go with them, so the new tables can take the same names.
ALTER TABLE "Snapshot" SET SCHEMA "sockscope_before_003";
ALTER TABLE "Socket" SET SCHEMA "sockscope_before_003";
ALTER TABLE "Process" SET SCHEMA "sockscope_before_003";
ALTER TABLE "Interface" SET SCHEMA "sockscope_before_003";
ALTER TABLE "TracerouteRun" SET SCHEMA "sockscope_before_003";
ALTER TABLE "TracerouteHop" SET SCHEMA "sockscope_before_003";

-- Each snapshot's week, as ingest computes it: collectedAt + the policy's days, rounded up to a
-- Monday, no earlier than this week and no later than now + days.
CREATE TEMPORARY TABLE "migration_003_snapshot_week" ON COMMIT DROP AS
SELECT s."id", s."hostId", s."isChanged",
       GREATEST(LEAST(
         (date_trunc('week', s."expiresAt") + CASE WHEN s."expiresAt" = date_trunc('week', s."expiresAt") THEN interval '0' ELSE interval '7 days' END)::date,
         (date_trunc('week', s."latest") + CASE WHEN s."latest" = date_trunc('week', s."latest") THEN interval '0' ELSE interval '7 days' END)::date
       ), date_trunc('week', s."now")::date) AS "retainUntil"
  FROM (
    SELECT o."id", o."hostId", cardinality(o."changedSections") > 0 AS "isChanged",
           o."collectedAt" + d."days" AS "expiresAt",
           (now() AT TIME ZONE 'UTC') + d."days" AS "latest",
           (now() AT TIME ZONE 'UTC') AS "now"
      FROM "sockscope_before_003"."Snapshot" o
      CROSS JOIN LATERAL (
        SELECT CASE WHEN cardinality(o."changedSections") > 0 THEN interval '365 days' ELSE interval '30 days' END AS "days"
      ) d
  ) s;

-- The previous snapshot of a changed one is kept as long as it (its diff needs it).
UPDATE "migration_003_snapshot_week" previous
   SET "retainUntil" = later."retainUntil"
  FROM (
    SELECT "retainUntil", "isChanged", lag("id") OVER (PARTITION BY "hostId" ORDER BY "id") AS "previousId"
      FROM "migration_003_snapshot_week"
  ) later
 WHERE later."isChanged" AND previous."id" = later."previousId" AND previous."retainUntil" < later."retainUntil";

-- A set lives as long as the longest-kept snapshot that uses it; one no snapshot uses is due now.
ALTER TABLE "SectionSet" ADD COLUMN "retainUntil" DATE;
UPDATE "SectionSet" st
   SET "retainUntil" = used."retainUntil"
  FROM (
    SELECT u."setId", max(w."retainUntil") AS "retainUntil"
      FROM "sockscope_before_003"."Snapshot" o
      JOIN "migration_003_snapshot_week" w ON w."id" = o."id"
      CROSS JOIN LATERAL (VALUES (o."socketsSetId"), (o."processesSetId"), (o."interfacesSetId"), (o."traceroutesSetId")) u("setId")
     WHERE u."setId" IS NOT NULL
     GROUP BY u."setId"
  ) used
 WHERE st."id" = used."setId";
UPDATE "SectionSet" SET "retainUntil" = date_trunc('week', now() AT TIME ZONE 'UTC')::date WHERE "retainUntil" IS NULL;
ALTER TABLE "SectionSet" ALTER COLUMN "retainUntil" SET NOT NULL;

-- The snapshots' set ids keep no foreign keys (with them every purged set would scan every
-- snapshot partition); the section rows reference (set, week), so a set's rows move with it.
ALTER TABLE "sockscope_before_003"."Snapshot" DROP CONSTRAINT "Snapshot_socketsSetId_fkey";
ALTER TABLE "sockscope_before_003"."Snapshot" DROP CONSTRAINT "Snapshot_processesSetId_fkey";
ALTER TABLE "sockscope_before_003"."Snapshot" DROP CONSTRAINT "Snapshot_interfacesSetId_fkey";
ALTER TABLE "sockscope_before_003"."Snapshot" DROP CONSTRAINT "Snapshot_traceroutesSetId_fkey";

-- CreateTable
CREATE TABLE "Snapshot" (
    "id" BIGINT NOT NULL DEFAULT nextval('"Snapshot_id_seq"'::regclass),
    "hostId" INTEGER NOT NULL,
    "collectedAt" TIMESTAMP(3) NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "collectorVersion" TEXT,
    "idempotencyKey" TEXT NOT NULL,
    "run" JSONB,
    "socketsSetId" BIGINT,
    "processesSetId" BIGINT,
    "interfacesSetId" BIGINT,
    "traceroutesSetId" BIGINT,
    "changedSections" "Section"[] DEFAULT ARRAY[]::"Section"[],
    "diffSummary" JSONB,
    "retainUntil" DATE NOT NULL
) PARTITION BY RANGE ("retainUntil");

-- CreateTable
CREATE TABLE "Socket" (
    "id" BIGINT NOT NULL DEFAULT nextval('"Socket_id_seq"'::regclass),
    "setId" BIGINT NOT NULL,
    "retainUntil" DATE NOT NULL,
    "proto" TEXT NOT NULL,
    "localAddress" TEXT NOT NULL,
    "localPort" INTEGER,
    "remoteAddress" TEXT,
    "remotePort" INTEGER,
    "state" TEXT,
    "listening" BOOLEAN NOT NULL,
    "pid" INTEGER,
    "process" TEXT,
    "user" TEXT,
    "uid" BIGINT,
    "inode" BIGINT
) PARTITION BY RANGE ("retainUntil");

-- CreateTable
CREATE TABLE "Process" (
    "id" BIGINT NOT NULL DEFAULT nextval('"Process_id_seq"'::regclass),
    "setId" BIGINT NOT NULL,
    "retainUntil" DATE NOT NULL,
    "pid" INTEGER NOT NULL,
    "ppid" INTEGER,
    "user" TEXT,
    "uid" BIGINT,
    "command" TEXT NOT NULL,
    "args" TEXT,
    "startedAt" TIMESTAMP(3)
) PARTITION BY RANGE ("retainUntil");

-- CreateTable
CREATE TABLE "Interface" (
    "id" BIGINT NOT NULL DEFAULT nextval('"Interface_id_seq"'::regclass),
    "setId" BIGINT NOT NULL,
    "retainUntil" DATE NOT NULL,
    "name" TEXT NOT NULL,
    "flags" TEXT[],
    "promiscuous" BOOLEAN NOT NULL,
    "mtu" INTEGER,
    "mac" TEXT,
    "addresses" TEXT[],
    "rxErrors" BIGINT,
    "txErrors" BIGINT,
    "rxDropped" BIGINT,
    "txDropped" BIGINT
) PARTITION BY RANGE ("retainUntil");

-- CreateTable
CREATE TABLE "TracerouteRun" (
    "id" BIGINT NOT NULL DEFAULT nextval('"TracerouteRun_id_seq"'::regclass),
    "setId" BIGINT NOT NULL,
    "retainUntil" DATE NOT NULL,
    "target" TEXT NOT NULL,
    "targetAddress" TEXT,
    "startedAt" TIMESTAMP(3)
) PARTITION BY RANGE ("retainUntil");

-- CreateTable
CREATE TABLE "TracerouteHop" (
    "id" BIGINT NOT NULL DEFAULT nextval('"TracerouteHop_id_seq"'::regclass),
    "runId" BIGINT NOT NULL,
    "retainUntil" DATE NOT NULL,
    "hop" INTEGER NOT NULL,
    "probes" JSONB NOT NULL
) PARTITION BY RANGE ("retainUntil");

ALTER SEQUENCE "Snapshot_id_seq" OWNED BY "Snapshot"."id";
ALTER SEQUENCE "Socket_id_seq" OWNED BY "Socket"."id";
ALTER SEQUENCE "Process_id_seq" OWNED BY "Process"."id";
ALTER SEQUENCE "Interface_id_seq" OWNED BY "Interface"."id";
ALTER SEQUENCE "TracerouteRun_id_seq" OWNED BY "TracerouteRun"."id";
ALTER SEQUENCE "TracerouteHop_id_seq" OWNED BY "TracerouteHop"."id";

-- The week partitions the copied rows need (lib/db/partitions.ts names them the same way).
DO $partitions$
DECLARE
  week date;
  parent text;
BEGIN
  FOR week IN
    SELECT "retainUntil" FROM "migration_003_snapshot_week" UNION SELECT "retainUntil" FROM "SectionSet"
  LOOP
    FOREACH parent IN ARRAY ARRAY['Snapshot', 'Socket', 'Process', 'Interface', 'TracerouteRun', 'TracerouteHop'] LOOP
      EXECUTE format('CREATE TABLE "sockscope_partitions".%I PARTITION OF "public".%I FOR VALUES FROM (%L) TO (%L)',
                     parent || '_' || to_char(week, 'YYYYMMDD'), parent, week, week + 7);
    END LOOP;
  END LOOP;
END
$partitions$;

-- Copy, then index (one build per partition is cheaper than growing the indexes row by row).
INSERT INTO "Snapshot" ("id", "hostId", "collectedAt", "receivedAt", "collectorVersion", "idempotencyKey", "run",
                        "socketsSetId", "processesSetId", "interfacesSetId", "traceroutesSetId", "changedSections", "diffSummary", "retainUntil")
SELECT o."id", o."hostId", o."collectedAt", o."receivedAt", o."collectorVersion", o."idempotencyKey", o."run",
       o."socketsSetId", o."processesSetId", o."interfacesSetId", o."traceroutesSetId", o."changedSections",
       -- A snapshot that changed nothing has an all-zero summary: stored as NULL from now on (most of its row).
       CASE WHEN cardinality(o."changedSections") = 0 THEN NULL ELSE o."diffSummary" END,
       w."retainUntil"
  FROM "sockscope_before_003"."Snapshot" o JOIN "migration_003_snapshot_week" w ON w."id" = o."id";

INSERT INTO "Socket" ("id", "setId", "retainUntil", "proto", "localAddress", "localPort", "remoteAddress", "remotePort", "state",
                      "listening", "pid", "process", "user", "uid", "inode")
SELECT o."id", o."setId", st."retainUntil", o."proto", o."localAddress", o."localPort", o."remoteAddress", o."remotePort", o."state",
       o."listening", o."pid", o."process", o."user", o."uid", o."inode"
  FROM "sockscope_before_003"."Socket" o JOIN "SectionSet" st ON st."id" = o."setId";

INSERT INTO "Process" ("id", "setId", "retainUntil", "pid", "ppid", "user", "uid", "command", "args", "startedAt")
SELECT o."id", o."setId", st."retainUntil", o."pid", o."ppid", o."user", o."uid", o."command", o."args", o."startedAt"
  FROM "sockscope_before_003"."Process" o JOIN "SectionSet" st ON st."id" = o."setId";

INSERT INTO "Interface" ("id", "setId", "retainUntil", "name", "flags", "promiscuous", "mtu", "mac", "addresses",
                         "rxErrors", "txErrors", "rxDropped", "txDropped")
SELECT o."id", o."setId", st."retainUntil", o."name", o."flags", o."promiscuous", o."mtu", o."mac", o."addresses",
       o."rxErrors", o."txErrors", o."rxDropped", o."txDropped"
  FROM "sockscope_before_003"."Interface" o JOIN "SectionSet" st ON st."id" = o."setId";

INSERT INTO "TracerouteRun" ("id", "setId", "retainUntil", "target", "targetAddress", "startedAt")
SELECT o."id", o."setId", st."retainUntil", o."target", o."targetAddress", o."startedAt"
  FROM "sockscope_before_003"."TracerouteRun" o JOIN "SectionSet" st ON st."id" = o."setId";

INSERT INTO "TracerouteHop" ("id", "runId", "retainUntil", "hop", "probes")
SELECT o."id", o."runId", st."retainUntil", o."hop", o."probes"
  FROM "sockscope_before_003"."TracerouteHop" o
  JOIN "sockscope_before_003"."TracerouteRun" r ON r."id" = o."runId"
  JOIN "SectionSet" st ON st."id" = r."setId";

DROP SCHEMA "sockscope_before_003" CASCADE;

-- AddPrimaryKey
ALTER TABLE "Snapshot" ADD CONSTRAINT "Snapshot_pkey" PRIMARY KEY ("id", "retainUntil");
ALTER TABLE "Socket" ADD CONSTRAINT "Socket_pkey" PRIMARY KEY ("id", "retainUntil");
ALTER TABLE "Process" ADD CONSTRAINT "Process_pkey" PRIMARY KEY ("id", "retainUntil");
ALTER TABLE "Interface" ADD CONSTRAINT "Interface_pkey" PRIMARY KEY ("id", "retainUntil");
ALTER TABLE "TracerouteRun" ADD CONSTRAINT "TracerouteRun_pkey" PRIMARY KEY ("id", "retainUntil");
ALTER TABLE "TracerouteHop" ADD CONSTRAINT "TracerouteHop_pkey" PRIMARY KEY ("id", "retainUntil");

-- CreateIndex
CREATE UNIQUE INDEX "Snapshot_hostId_idempotencyKey_retainUntil_key" ON "Snapshot"("hostId", "idempotencyKey", "retainUntil");
CREATE INDEX "Snapshot_hostId_collectedAt_idx" ON "Snapshot"("hostId", "collectedAt");
CREATE INDEX "Snapshot_receivedAt_idx" ON "Snapshot"("receivedAt");
CREATE UNIQUE INDEX "SectionSet_id_retainUntil_key" ON "SectionSet"("id", "retainUntil");
CREATE INDEX "SectionSet_retainUntil_idx" ON "SectionSet"("retainUntil");
CREATE INDEX "Socket_setId_idx" ON "Socket"("setId");
CREATE INDEX "Socket_localPort_listening_idx" ON "Socket"("localPort", "listening");
CREATE INDEX "Process_setId_idx" ON "Process"("setId");
CREATE INDEX "Process_command_idx" ON "Process"("command");
CREATE INDEX "Interface_setId_idx" ON "Interface"("setId");
CREATE INDEX "TracerouteRun_setId_idx" ON "TracerouteRun"("setId");
CREATE INDEX "TracerouteRun_target_idx" ON "TracerouteRun"("target");
CREATE INDEX "TracerouteHop_runId_idx" ON "TracerouteHop"("runId");

-- AddForeignKey
ALTER TABLE "Snapshot" ADD CONSTRAINT "Snapshot_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Socket" ADD CONSTRAINT "Socket_setId_retainUntil_fkey" FOREIGN KEY ("setId", "retainUntil") REFERENCES "SectionSet"("id", "retainUntil") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Process" ADD CONSTRAINT "Process_setId_retainUntil_fkey" FOREIGN KEY ("setId", "retainUntil") REFERENCES "SectionSet"("id", "retainUntil") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Interface" ADD CONSTRAINT "Interface_setId_retainUntil_fkey" FOREIGN KEY ("setId", "retainUntil") REFERENCES "SectionSet"("id", "retainUntil") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "TracerouteRun" ADD CONSTRAINT "TracerouteRun_setId_retainUntil_fkey" FOREIGN KEY ("setId", "retainUntil") REFERENCES "SectionSet"("id", "retainUntil") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "TracerouteHop" ADD CONSTRAINT "TracerouteHop_runId_retainUntil_fkey" FOREIGN KEY ("runId", "retainUntil") REFERENCES "TracerouteRun"("id", "retainUntil") ON DELETE CASCADE ON UPDATE CASCADE;
