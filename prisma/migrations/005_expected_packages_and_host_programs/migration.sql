-- Packages expected on a host, a label's hosts or the fleet (by name glob): their installation or
-- change raises no alert (lib/alerts/package-alerts.ts). And the programs each host has run, by
-- executable and hash: what makes a program new to a host, and how common it is in the fleet.

-- CreateTable
CREATE TABLE "ExpectedPackage" (
    "id" SERIAL NOT NULL,
    "hostId" INTEGER,
    "label" TEXT,
    "pattern" TEXT NOT NULL,
    "note" TEXT,
    "createdById" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ExpectedPackage_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ExpectedPackage_hostId_idx" ON "ExpectedPackage"("hostId");

-- AddForeignKey
ALTER TABLE "ExpectedPackage" ADD CONSTRAINT "ExpectedPackage_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ExpectedPackage" ADD CONSTRAINT "ExpectedPackage_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- CreateTable
CREATE TABLE "HostProgram" (
    "hostId" INTEGER NOT NULL,
    "program" TEXT NOT NULL,
    "sha256" TEXT NOT NULL DEFAULT '',
    "firstSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "HostProgram_pkey" PRIMARY KEY ("hostId", "program", "sha256")
);

-- CreateIndex
CREATE INDEX "HostProgram_program_sha256_idx" ON "HostProgram"("program", "sha256");

-- AddForeignKey
ALTER TABLE "HostProgram" ADD CONSTRAINT "HostProgram_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "Host"("id") ON DELETE CASCADE ON UPDATE CASCADE;
