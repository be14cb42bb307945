-- Packages expected on a host, a label's hosts or the fleet (by name glob): their installation or
-- change raises no alert (lib/alerts/package-alerts.ts).

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
