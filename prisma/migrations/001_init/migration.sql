-- CreateEnum
CREATE TYPE "Role" AS ENUM ('admin', 'analyst', 'viewer');

-- CreateEnum
CREATE TYPE "AlertState" AS ENUM ('open', 'acknowledged', 'closed');

-- CreateEnum
CREATE TYPE "Section" AS ENUM ('sockets', 'processes', 'interfaces', 'traceroutes');

-- CreateTable
CREATE TABLE "Host" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "os" TEXT,
    "kernel" TEXT,
    "labels" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "intervalSeconds" INTEGER NOT NULL DEFAULT 60,
    "firstSeenAt" TIMESTAMP(3),
    "lastSeenAt" TIMESTAMP(3),
    "lastSnapshotId" BIGINT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "listenerCount" INTEGER NOT NULL DEFAULT 0,
    "promiscuousCount" INTEGER NOT NULL DEFAULT 0,
    "openAlertCount" INTEGER NOT NULL DEFAULT 0,
    "silentAlertedAt" TIMESTAMP(3),

    CONSTRAINT "Host_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HostToken" (
    "id" SERIAL NOT NULL,
    "hostId" INTEGER NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMP(3),
    "lastUsedAt" TIMESTAMP(3),

    CONSTRAINT "HostToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Snapshot" (
    "id" BIGSERIAL NOT NULL,
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

    CONSTRAINT "Snapshot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SectionSet" (
    "id" BIGSERIAL NOT NULL,
    "hostId" INTEGER NOT NULL,
    "section" "Section" NOT NULL,
    "hash" TEXT NOT NULL,
    "rowCount" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SectionSet_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Socket" (
    "id" BIGSERIAL NOT NULL,
    "setId" BIGINT NOT NULL,
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
    "inode" BIGINT,

    CONSTRAINT "Socket_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Process" (
    "id" BIGSERIAL NOT NULL,
    "setId" BIGINT NOT NULL,
    "pid" INTEGER NOT NULL,
    "ppid" INTEGER,
    "user" TEXT,
    "uid" BIGINT,
    "command" TEXT NOT NULL,
    "args" TEXT,
    "startedAt" TIMESTAMP(3),

    CONSTRAINT "Process_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Interface" (
    "id" BIGSERIAL NOT NULL,
    "setId" BIGINT NOT NULL,
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

    CONSTRAINT "Interface_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TracerouteRun" (
    "id" BIGSERIAL NOT NULL,
    "setId" BIGINT NOT NULL,
    "target" TEXT NOT NULL,
    "targetAddress" TEXT,
    "startedAt" TIMESTAMP(3),

    CONSTRAINT "TracerouteRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TracerouteHop" (
    "id" BIGSERIAL NOT NULL,
    "runId" BIGINT NOT NULL,
    "hop" INTEGER NOT NULL,
    "probes" JSONB NOT NULL,

    CONSTRAINT "TracerouteHop_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Alert" (
    "id" SERIAL NOT NULL,
    "hostId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "level" INTEGER NOT NULL,
    "dedupeKey" TEXT NOT NULL,
    "liveKey" TEXT,
    "message" TEXT NOT NULL,
    "subject" JSONB NOT NULL,
    "state" "AlertState" NOT NULL DEFAULT 'open',
    "occurrences" INTEGER NOT NULL DEFAULT 1,
    "firstSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "snapshotId" BIGINT,
    "acknowledgedById" INTEGER,
    "acknowledgedAt" TIMESTAMP(3),
    "note" TEXT,

    CONSTRAINT "Alert_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Baseline" (
    "id" SERIAL NOT NULL,
    "hostId" INTEGER,
    "label" TEXT,
    "proto" TEXT,
    "port" INTEGER NOT NULL,
    "localAddress" TEXT,
    "process" TEXT,
    "note" TEXT,
    "createdById" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Baseline_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PromiscuousRule" (
    "id" SERIAL NOT NULL,
    "pattern" TEXT NOT NULL,
    "note" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PromiscuousRule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "User" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "passwordHash" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "disabledAt" TIMESTAMP(3),

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL,
    "userId" INTEGER NOT NULL,
    "csrfToken" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiToken" (
    "id" SERIAL NOT NULL,
    "userId" INTEGER NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMP(3),
    "lastUsedAt" TIMESTAMP(3),

    CONSTRAINT "ApiToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditLog" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorId" INTEGER,
    "actorName" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "detail" JSONB,

    CONSTRAINT "AuditLog_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Host_name_key" ON "Host"("name");
CREATE INDEX "Host_lastSeenAt_idx" ON "Host"("lastSeenAt");
CREATE UNIQUE INDEX "HostToken_tokenHash_key" ON "HostToken"("tokenHash");
CREATE INDEX "HostToken_hostId_idx" ON "HostToken"("hostId");
CREATE UNIQUE INDEX "Snapshot_hostId_idempotencyKey_key" ON "Snapshot"("hostId", "idempotencyKey");
CREATE INDEX "Snapshot_hostId_collectedAt_idx" ON "Snapshot"("hostId", "collectedAt");
CREATE INDEX "Snapshot_receivedAt_idx" ON "Snapshot"("receivedAt");
CREATE UNIQUE INDEX "SectionSet_hostId_section_hash_key" ON "SectionSet"("hostId", "section", "hash");
CREATE INDEX "Socket_setId_idx" ON "Socket"("setId");
CREATE INDEX "Socket_localPort_listening_idx" ON "Socket"("localPort", "listening");
CREATE INDEX "Process_setId_idx" ON "Process"("setId");
CREATE INDEX "Process_command_idx" ON "Process"("command");
CREATE INDEX "Interface_setId_idx" ON "Interface"("setId");
CREATE INDEX "TracerouteRun_setId_idx" ON "TracerouteRun"("setId");
CREATE INDEX "TracerouteRun_target_idx" ON "TracerouteRun"("target");
CREATE INDEX "TracerouteHop_runId_idx" ON "TracerouteHop"("runId");
CREATE UNIQUE INDEX "Alert_liveKey_key" ON "Alert"("liveKey");
CREATE INDEX "Alert_hostId_state_idx" ON "Alert"("hostId", "state");
CREATE INDEX "Alert_state_level_idx" ON "Alert"("state", "level");
CREATE INDEX "Alert_lastSeenAt_idx" ON "Alert"("lastSeenAt");
CREATE INDEX "Baseline_hostId_idx" ON "Baseline"("hostId");
CREATE UNIQUE INDEX "PromiscuousRule_pattern_key" ON "PromiscuousRule"("pattern");
CREATE UNIQUE INDEX "User_name_key" ON "User"("name");
CREATE INDEX "Session_userId_idx" ON "Session"("userId");
CREATE INDEX "Session_expiresAt_idx" ON "Session"("expiresAt");
CREATE UNIQUE INDEX "ApiToken_tokenHash_key" ON "ApiToken"("tokenHash");
CREATE INDEX "ApiToken_userId_idx" ON "ApiToken"("userId");
CREATE INDEX "AuditLog_at_idx" ON "AuditLog"("at");
CREATE INDEX "AuditLog_target_idx" ON "AuditLog"("target");

-- AddForeignKey
ALTER TABLE "HostToken" ADD CONSTRAINT "HostToken_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Snapshot" ADD CONSTRAINT "Snapshot_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Snapshot" ADD CONSTRAINT "Snapshot_socketsSetId_fkey" FOREIGN KEY ("socketsSetId") REFERENCES "SectionSet"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "Snapshot" ADD CONSTRAINT "Snapshot_processesSetId_fkey" FOREIGN KEY ("processesSetId") REFERENCES "SectionSet"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "Snapshot" ADD CONSTRAINT "Snapshot_interfacesSetId_fkey" FOREIGN KEY ("interfacesSetId") REFERENCES "SectionSet"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "Snapshot" ADD CONSTRAINT "Snapshot_traceroutesSetId_fkey" FOREIGN KEY ("traceroutesSetId") REFERENCES "SectionSet"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "SectionSet" ADD CONSTRAINT "SectionSet_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Socket" ADD CONSTRAINT "Socket_setId_fkey" FOREIGN KEY ("setId") REFERENCES "SectionSet"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Process" ADD CONSTRAINT "Process_setId_fkey" FOREIGN KEY ("setId") REFERENCES "SectionSet"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Interface" ADD CONSTRAINT "Interface_setId_fkey" FOREIGN KEY ("setId") REFERENCES "SectionSet"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "TracerouteRun" ADD CONSTRAINT "TracerouteRun_setId_fkey" FOREIGN KEY ("setId") REFERENCES "SectionSet"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "TracerouteHop" ADD CONSTRAINT "TracerouteHop_runId_fkey" FOREIGN KEY ("runId") REFERENCES "TracerouteRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Alert" ADD CONSTRAINT "Alert_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Alert" ADD CONSTRAINT "Alert_acknowledgedById_fkey" FOREIGN KEY ("acknowledgedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "Baseline" ADD CONSTRAINT "Baseline_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Baseline" ADD CONSTRAINT "Baseline_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "Session" ADD CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ApiToken" ADD CONSTRAINT "ApiToken_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "AuditLog" ADD CONSTRAINT "AuditLog_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
