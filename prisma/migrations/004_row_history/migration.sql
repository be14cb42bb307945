-- Row history (docs/storage.md): each socket, process, interface and package row is stored once,
-- with the range of its host's snapshots it was present in ("openedSeq" up to, not including,
-- "closedSeq"; null while present), instead of a whole section set per distinct content.
-- Snapshots are numbered per host ("seq"); "HostSection" keeps each host's current digest per
-- section. Open rows live in each row table's `_open` partition (retainUntil = infinity); a row
-- that closes moves to the week its retention ends. Traceroute runs belong to the snapshot that
-- carried them, hops folded into the run.
--
-- A populated database is converted in this one transaction. Each section set becomes rows whose
-- range is the stretch of the host's snapshots that used it; migrated rows get no row hash (the
-- next full snapshot of each host replaces its open rows once, by content no change) and each
-- host's digests are unknown (its collector's next delta gets 409 and it sends a full snapshot).

CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE SCHEMA "sockscope_before_004";

-- Move the old tables aside, so the new ones can take their names; their week partitions stay
-- attached (the copy below reads through them) under new names, and go with them at the end.
DO $rename_aside$
DECLARE
  old record;
BEGIN
  FOR old IN
    SELECT c.relname AS "partition" FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'sockscope_partitions' AND c.relkind = 'r'
  LOOP
    EXECUTE format('ALTER TABLE "sockscope_partitions".%I RENAME TO %I', old."partition", old."partition" || '_before_004');
  END LOOP;
END
$rename_aside$;

ALTER SEQUENCE "Snapshot_id_seq" OWNED BY NONE;
ALTER SEQUENCE "Socket_id_seq" OWNED BY NONE;
ALTER SEQUENCE "Process_id_seq" OWNED BY NONE;
ALTER SEQUENCE "Interface_id_seq" OWNED BY NONE;
ALTER SEQUENCE "TracerouteRun_id_seq" OWNED BY NONE;

ALTER TABLE "Snapshot" SET SCHEMA "sockscope_before_004";
ALTER TABLE "Socket" SET SCHEMA "sockscope_before_004";
ALTER TABLE "Process" SET SCHEMA "sockscope_before_004";
ALTER TABLE "Interface" SET SCHEMA "sockscope_before_004";
ALTER TABLE "TracerouteRun" SET SCHEMA "sockscope_before_004";
ALTER TABLE "TracerouteHop" SET SCHEMA "sockscope_before_004";
ALTER TABLE "SectionSet" SET SCHEMA "sockscope_before_004";

ALTER TYPE "Section" ADD VALUE IF NOT EXISTS 'packages';

ALTER TABLE "Host" ADD COLUMN "lastSeq" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "Host" ADD COLUMN "rowsRetainUntil" DATE;

-- CreateTable
CREATE TABLE "Snapshot" (
    "id" BIGINT NOT NULL DEFAULT nextval('"Snapshot_id_seq"'::regclass),
    "hostId" INTEGER NOT NULL,
    "seq" INTEGER NOT NULL,
    "collectedAt" TIMESTAMP(3) NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "collectorVersion" TEXT,
    "idempotencyKey" TEXT NOT NULL,
    "run" JSONB,
    "sections" "Section"[] DEFAULT ARRAY[]::"Section"[],
    "changedSections" "Section"[] DEFAULT ARRAY[]::"Section"[],
    "diffSummary" JSONB,
    "retainUntil" DATE NOT NULL,
    CONSTRAINT "Snapshot_pkey" PRIMARY KEY ("id", "retainUntil")
) PARTITION BY RANGE ("retainUntil");

-- CreateTable
CREATE TABLE "HostSection" (
    "hostId" INTEGER NOT NULL,
    "section" "Section" NOT NULL,
    "digest" UUID,
    "rowCount" INTEGER NOT NULL,
    "snapshotId" BIGINT NOT NULL,
    "seq" INTEGER NOT NULL,
    "collectedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "HostSection_pkey" PRIMARY KEY ("hostId", "section")
);

-- CreateTable
CREATE TABLE "Socket" (
    "id" BIGINT NOT NULL DEFAULT nextval('"Socket_id_seq"'::regclass),
    "hostId" INTEGER NOT NULL,
    "openedSeq" INTEGER NOT NULL,
    "closedSeq" INTEGER,
    "retainUntil" DATE NOT NULL,
    "rowHash" UUID,
    "proto" TEXT NOT NULL,
    "localAddress" TEXT NOT NULL,
    "localAddressKind" TEXT,
    "localPort" INTEGER,
    "remoteAddress" TEXT,
    "remoteAddressKind" TEXT,
    "remotePort" INTEGER,
    "localService" TEXT,
    "remoteService" TEXT,
    "state" TEXT,
    "listening" BOOLEAN NOT NULL,
    "pid" INTEGER,
    "process" TEXT,
    "user" TEXT,
    "uid" BIGINT,
    "inode" BIGINT,
    "netns" BIGINT,
    "container" JSONB,
    CONSTRAINT "Socket_pkey" PRIMARY KEY ("id", "retainUntil")
) PARTITION BY RANGE ("retainUntil");

-- CreateTable
CREATE TABLE "Process" (
    "id" BIGINT NOT NULL DEFAULT nextval('"Process_id_seq"'::regclass),
    "hostId" INTEGER NOT NULL,
    "openedSeq" INTEGER NOT NULL,
    "closedSeq" INTEGER,
    "retainUntil" DATE NOT NULL,
    "rowHash" UUID,
    "pid" INTEGER NOT NULL,
    "ppid" INTEGER,
    "user" TEXT,
    "uid" BIGINT,
    "command" TEXT NOT NULL,
    "args" TEXT,
    "startedAt" TIMESTAMP(3),
    "exe" TEXT,
    "exeDeleted" BOOLEAN,
    "exeSha256" TEXT,
    "netns" BIGINT,
    "container" JSONB,
    CONSTRAINT "Process_pkey" PRIMARY KEY ("id", "retainUntil")
) PARTITION BY RANGE ("retainUntil");

-- CreateTable
CREATE TABLE "Interface" (
    "id" BIGINT NOT NULL DEFAULT nextval('"Interface_id_seq"'::regclass),
    "hostId" INTEGER NOT NULL,
    "openedSeq" INTEGER NOT NULL,
    "closedSeq" INTEGER,
    "retainUntil" DATE NOT NULL,
    "rowHash" UUID,
    "name" TEXT NOT NULL,
    "flags" TEXT[],
    "promiscuous" BOOLEAN NOT NULL,
    "mtu" INTEGER,
    "mac" TEXT,
    "addresses" TEXT[],
    "rxErrors" BIGINT,
    "txErrors" BIGINT,
    "rxDropped" BIGINT,
    "txDropped" BIGINT,
    "netns" BIGINT,
    "container" JSONB,
    CONSTRAINT "Interface_pkey" PRIMARY KEY ("id", "retainUntil")
) PARTITION BY RANGE ("retainUntil");

-- CreateTable
CREATE TABLE "Package" (
    "id" BIGSERIAL NOT NULL,
    "hostId" INTEGER NOT NULL,
    "openedSeq" INTEGER NOT NULL,
    "closedSeq" INTEGER,
    "retainUntil" DATE NOT NULL,
    "rowHash" UUID,
    "name" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "arch" TEXT,
    "source" TEXT NOT NULL,
    "installedAt" TIMESTAMP(3),
    CONSTRAINT "Package_pkey" PRIMARY KEY ("id", "retainUntil")
) PARTITION BY RANGE ("retainUntil");

-- CreateTable
CREATE TABLE "TracerouteRun" (
    "id" BIGINT NOT NULL DEFAULT nextval('"TracerouteRun_id_seq"'::regclass),
    "hostId" INTEGER NOT NULL,
    "seq" INTEGER NOT NULL,
    "retainUntil" DATE NOT NULL,
    "target" TEXT NOT NULL,
    "targetAddress" TEXT,
    "startedAt" TIMESTAMP(3),
    "hops" JSONB NOT NULL,
    CONSTRAINT "TracerouteRun_pkey" PRIMARY KEY ("id", "retainUntil")
) PARTITION BY RANGE ("retainUntil");

ALTER SEQUENCE "Snapshot_id_seq" OWNED BY "Snapshot"."id";
ALTER SEQUENCE "Socket_id_seq" OWNED BY "Socket"."id";
ALTER SEQUENCE "Process_id_seq" OWNED BY "Process"."id";
ALTER SEQUENCE "Interface_id_seq" OWNED BY "Interface"."id";
ALTER SEQUENCE "TracerouteRun_id_seq" OWNED BY "TracerouteRun"."id";

-- One week partition of every partitioned table, with the indexes Prisma cannot declare: on the
-- row tables, a GiST index on (hostId, openedSeq, closedSeq), so that the rows present at any
-- snapshot, or changed between any two, are found without scanning the host's history.
-- lib/db/partitions.ts calls this; nothing here comes from a request.
CREATE FUNCTION "sockscope_partitions"."create_week_partitions"(week date) RETURNS void
LANGUAGE plpgsql AS $create_week$
DECLARE
  parent text;
  partition text;
BEGIN
  FOREACH parent IN ARRAY ARRAY['Snapshot', 'Socket', 'Process', 'Interface', 'Package', 'TracerouteRun'] LOOP
    partition := parent || '_' || to_char(week, 'YYYYMMDD');
    IF to_regclass(format('"sockscope_partitions".%I', partition)) IS NULL THEN
      EXECUTE format('CREATE TABLE "sockscope_partitions".%I PARTITION OF "public".%I FOR VALUES FROM (%L) TO (%L)',
                     partition, parent, week, week + 7);
      IF parent IN ('Socket', 'Process', 'Interface', 'Package') THEN
        EXECUTE format('CREATE INDEX %I ON "sockscope_partitions".%I USING gist ("hostId", "openedSeq", "closedSeq")',
                       partition || '_presence_idx', partition);
      END IF;
    END IF;
  END LOOP;
END
$create_week$;

-- The open partitions: the rows present in each host's latest state, with the indexes that read
-- them (by host and hash for ingest, by host and first snapshot for reads and diffs, and the
-- fleet searches: who listens on a port, who runs a command, which hosts have a package).
CREATE TABLE "sockscope_partitions"."Socket_open" PARTITION OF "Socket" FOR VALUES FROM ('infinity') TO (MAXVALUE);
CREATE TABLE "sockscope_partitions"."Process_open" PARTITION OF "Process" FOR VALUES FROM ('infinity') TO (MAXVALUE);
CREATE TABLE "sockscope_partitions"."Interface_open" PARTITION OF "Interface" FOR VALUES FROM ('infinity') TO (MAXVALUE);
CREATE TABLE "sockscope_partitions"."Package_open" PARTITION OF "Package" FOR VALUES FROM ('infinity') TO (MAXVALUE);

-- Each snapshot's number among its host's snapshots.
CREATE TEMPORARY TABLE "migration_004_seq" ON COMMIT DROP AS
SELECT o."id", o."hostId", o."retainUntil", o."collectedAt",
       row_number() OVER (PARTITION BY o."hostId" ORDER BY o."id")::int AS "seq",
       o."socketsSetId", o."processesSetId", o."interfacesSetId", o."traceroutesSetId"
  FROM "sockscope_before_004"."Snapshot" o;
CREATE INDEX ON "migration_004_seq" ("hostId", "seq");

-- The weeks the copied rows need.
DO $partitions$
DECLARE
  week date;
BEGIN
  FOR week IN SELECT DISTINCT "retainUntil" FROM "sockscope_before_004"."SectionSet" UNION SELECT DISTINCT "retainUntil" FROM "migration_004_seq" LOOP
    PERFORM "sockscope_partitions"."create_week_partitions"(week);
  END LOOP;
END
$partitions$;

INSERT INTO "Snapshot" ("id", "hostId", "seq", "collectedAt", "receivedAt", "collectorVersion", "idempotencyKey", "run",
                        "sections", "changedSections", "diffSummary", "retainUntil")
SELECT o."id", o."hostId", s."seq", o."collectedAt", o."receivedAt", o."collectorVersion", o."idempotencyKey", o."run",
       array_remove(ARRAY[
         CASE WHEN o."socketsSetId" IS NOT NULL THEN 'sockets'::"Section" END,
         CASE WHEN o."processesSetId" IS NOT NULL THEN 'processes'::"Section" END,
         CASE WHEN o."interfacesSetId" IS NOT NULL THEN 'interfaces'::"Section" END,
         CASE WHEN o."traceroutesSetId" IS NOT NULL THEN 'traceroutes'::"Section" END
       ], NULL),
       o."changedSections", o."diffSummary", o."retainUntil"
  FROM "sockscope_before_004"."Snapshot" o JOIN "migration_004_seq" s ON s."id" = o."id";

UPDATE "Host" h
   SET "lastSeq" = latest."seq", "rowsRetainUntil" = latest."retainUntil"
  FROM (SELECT "hostId", max("seq") AS "seq", max("retainUntil") AS "retainUntil" FROM "migration_004_seq" GROUP BY "hostId") latest
 WHERE h."id" = latest."hostId";

-- Stretches of each host's snapshots that collected a section with one set: the set's rows are
-- present from the stretch's first snapshot until the next snapshot that collected the section.
CREATE TEMPORARY TABLE "migration_004_stretch" ON COMMIT DROP AS
WITH collected AS (
  SELECT s."hostId", s."seq", s."retainUntil", u."section", u."setId",
         row_number() OVER (PARTITION BY s."hostId", u."section" ORDER BY s."seq") AS "ordinal"
    FROM "migration_004_seq" s
   CROSS JOIN LATERAL (VALUES ('sockets', s."socketsSetId"), ('processes', s."processesSetId"), ('interfaces', s."interfacesSetId")) u("section", "setId")
   WHERE u."setId" IS NOT NULL
), changes AS (
  SELECT c.*, CASE WHEN lag(c."setId") OVER w = c."setId" THEN 0 ELSE 1 END AS "isStart",
         lead(c."seq") OVER w AS "nextSeq"
    FROM collected c
  WINDOW w AS (PARTITION BY c."hostId", c."section" ORDER BY c."ordinal")
), numbered AS (
  SELECT c.*, sum(c."isStart") OVER (PARTITION BY c."hostId", c."section" ORDER BY c."ordinal") AS "stretch" FROM changes c
)
SELECT "hostId", "section", "setId", min("seq") AS "openedSeq",
       (array_agg("nextSeq" ORDER BY "ordinal" DESC))[1] AS "closedSeq",
       max("retainUntil") AS "retainUntil"
  FROM numbered
 GROUP BY "hostId", "section", "setId", "stretch";

INSERT INTO "Socket" ("hostId", "openedSeq", "closedSeq", "retainUntil", "proto", "localAddress", "localPort", "remoteAddress",
                      "remotePort", "state", "listening", "pid", "process", "user", "uid", "inode")
SELECT st."hostId", st."openedSeq", st."closedSeq",
       CASE WHEN st."closedSeq" IS NULL THEN 'infinity'::date ELSE GREATEST(st."retainUntil", closing."retainUntil") END,
       o."proto", o."localAddress", o."localPort", o."remoteAddress", o."remotePort", o."state", o."listening", o."pid", o."process",
       o."user", o."uid", o."inode"
  FROM "migration_004_stretch" st
  JOIN "sockscope_before_004"."Socket" o ON o."setId" = st."setId"
  LEFT JOIN "migration_004_seq" closing ON closing."hostId" = st."hostId" AND closing."seq" = st."closedSeq"
 WHERE st."section" = 'sockets'
 ORDER BY o."id";

INSERT INTO "Process" ("hostId", "openedSeq", "closedSeq", "retainUntil", "pid", "ppid", "user", "uid", "command", "args", "startedAt")
SELECT st."hostId", st."openedSeq", st."closedSeq",
       CASE WHEN st."closedSeq" IS NULL THEN 'infinity'::date ELSE GREATEST(st."retainUntil", closing."retainUntil") END,
       o."pid", o."ppid", o."user", o."uid", o."command", o."args", o."startedAt"
  FROM "migration_004_stretch" st
  JOIN "sockscope_before_004"."Process" o ON o."setId" = st."setId"
  LEFT JOIN "migration_004_seq" closing ON closing."hostId" = st."hostId" AND closing."seq" = st."closedSeq"
 WHERE st."section" = 'processes'
 ORDER BY o."id";

INSERT INTO "Interface" ("hostId", "openedSeq", "closedSeq", "retainUntil", "name", "flags", "promiscuous", "mtu", "mac", "addresses",
                         "rxErrors", "txErrors", "rxDropped", "txDropped")
SELECT st."hostId", st."openedSeq", st."closedSeq",
       CASE WHEN st."closedSeq" IS NULL THEN 'infinity'::date ELSE GREATEST(st."retainUntil", closing."retainUntil") END,
       o."name", o."flags", o."promiscuous", o."mtu", o."mac", o."addresses", o."rxErrors", o."txErrors", o."rxDropped", o."txDropped"
  FROM "migration_004_stretch" st
  JOIN "sockscope_before_004"."Interface" o ON o."setId" = st."setId"
  LEFT JOIN "migration_004_seq" closing ON closing."hostId" = st."hostId" AND closing."seq" = st."closedSeq"
 WHERE st."section" = 'interfaces'
 ORDER BY o."id";

-- Each host's current state per section: digest unknown until its next full snapshot.
INSERT INTO "HostSection" ("hostId", "section", "digest", "rowCount", "snapshotId", "seq", "collectedAt")
SELECT latest."hostId", latest."section"::"Section", NULL, latest."rowCount", latest."id", latest."seq", latest."collectedAt"
  FROM (
    SELECT DISTINCT ON (s."hostId", u."section") s."hostId", u."section", s."id", s."seq", s."collectedAt", st."rowCount"
      FROM "migration_004_seq" s
     CROSS JOIN LATERAL (VALUES ('sockets', s."socketsSetId"), ('processes', s."processesSetId"), ('interfaces', s."interfacesSetId")) u("section", "setId")
      JOIN "sockscope_before_004"."SectionSet" st ON st."id" = u."setId"
     ORDER BY s."hostId", u."section", s."seq" DESC
  ) latest;

-- A traceroute set's runs belong to the first snapshot that carried the set.
INSERT INTO "TracerouteRun" ("id", "hostId", "seq", "retainUntil", "target", "targetAddress", "startedAt", "hops")
SELECT r."id", first."hostId", first."seq", first."retainUntil", r."target", r."targetAddress", r."startedAt",
       coalesce((SELECT jsonb_agg(jsonb_build_object('hop', h."hop", 'probes', h."probes") ORDER BY h."hop", h."id")
                   FROM "sockscope_before_004"."TracerouteHop" h WHERE h."runId" = r."id"), '[]'::jsonb)
  FROM "sockscope_before_004"."TracerouteRun" r
  JOIN (
    SELECT DISTINCT ON ("traceroutesSetId") "traceroutesSetId", "hostId", "seq", "retainUntil"
      FROM "migration_004_seq" WHERE "traceroutesSetId" IS NOT NULL
     ORDER BY "traceroutesSetId", "seq"
  ) first ON first."traceroutesSetId" = r."setId";

DROP SCHEMA "sockscope_before_004" CASCADE;

CREATE INDEX "Socket_open_host_hash_idx" ON "sockscope_partitions"."Socket_open" ("hostId", "rowHash");
CREATE INDEX "Socket_open_host_opened_idx" ON "sockscope_partitions"."Socket_open" ("hostId", "openedSeq");
CREATE INDEX "Socket_open_listening_port_idx" ON "sockscope_partitions"."Socket_open" ("localPort") WHERE "listening";
CREATE INDEX "Process_open_host_hash_idx" ON "sockscope_partitions"."Process_open" ("hostId", "rowHash");
CREATE INDEX "Process_open_host_opened_idx" ON "sockscope_partitions"."Process_open" ("hostId", "openedSeq");
CREATE INDEX "Process_open_command_idx" ON "sockscope_partitions"."Process_open" ("command");
CREATE INDEX "Interface_open_host_hash_idx" ON "sockscope_partitions"."Interface_open" ("hostId", "rowHash");
CREATE INDEX "Interface_open_host_opened_idx" ON "sockscope_partitions"."Interface_open" ("hostId", "openedSeq");
CREATE INDEX "Package_open_host_hash_idx" ON "sockscope_partitions"."Package_open" ("hostId", "rowHash");
CREATE INDEX "Package_open_host_opened_idx" ON "sockscope_partitions"."Package_open" ("hostId", "openedSeq");
CREATE INDEX "Package_open_name_version_idx" ON "sockscope_partitions"."Package_open" ("name", "version");

-- CreateIndex
CREATE UNIQUE INDEX "Snapshot_hostId_idempotencyKey_retainUntil_key" ON "Snapshot"("hostId", "idempotencyKey", "retainUntil");
CREATE INDEX "Snapshot_hostId_collectedAt_idx" ON "Snapshot"("hostId", "collectedAt");
CREATE INDEX "Snapshot_hostId_seq_idx" ON "Snapshot"("hostId", "seq");
CREATE INDEX "Snapshot_receivedAt_idx" ON "Snapshot"("receivedAt");
CREATE INDEX "TracerouteRun_hostId_seq_idx" ON "TracerouteRun"("hostId", "seq");
CREATE INDEX "TracerouteRun_hostId_target_startedAt_idx" ON "TracerouteRun"("hostId", "target", "startedAt");

-- AddForeignKey
ALTER TABLE "Snapshot" ADD CONSTRAINT "Snapshot_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "HostSection" ADD CONSTRAINT "HostSection_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Socket" ADD CONSTRAINT "Socket_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Process" ADD CONSTRAINT "Process_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Interface" ADD CONSTRAINT "Interface_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Package" ADD CONSTRAINT "Package_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "TracerouteRun" ADD CONSTRAINT "TracerouteRun_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host"("id") ON DELETE CASCADE ON UPDATE CASCADE;
