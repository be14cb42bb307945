// Where an expectation applies: one host, every host with a label, or (neither) the whole fleet.
// Shared by expected listeners and expected packages, which are scoped alike.
import { z } from 'zod';
import type { Prisma, PrismaClient } from '@/lib/generated/prisma/client';
import { actorOf, recordAudit } from '@/lib/auth/audit';
import type { Principal } from '@/lib/auth/principal';
import { AppError } from '@/lib/errors';
import { hostName } from '@/lib/schemas/snapshot';

export const scopeFields = {
  host: hostName.optional(),
  label: z.string().min(1).max(64).optional(),
};

/** The refinement every scoped input schema carries: `.refine(hasOneScope, oneScopeIssue)`. */
export const hasOneScope = (value: { host?: string | undefined; label?: string | undefined }) => !(value.host && value.label);
export const oneScopeIssue = { message: 'give a host or a label, not both', path: ['label'] };

/** The host's id for a host-scoped expectation, null otherwise; an unknown host is a 404 on the `host` field. */
export async function findScopeHostId(tx: Prisma.TransactionClient, host: string | undefined): Promise<number | null> {
  if (!host) return null;
  const found = await tx.host.findUnique({ where: { name: host }, select: { id: true } });
  if (!found) throw new AppError('not_found', `No host named ${host}.`, [{ path: 'host', message: 'no such host' }]);
  return found.id;
}

/** A row as the API shows it, created or listed: its host and author by name, not by their ids. */
export function withNames<Row extends { hostId: number | null; createdById: number | null; host: { name: string } | null; createdBy: { name: string } | null }>(
  row: Row,
) {
  const { hostId: _hostId, createdById: _createdById, ...rest } = row;
  return { ...rest, host: row.host?.name ?? null, createdBy: row.createdBy?.name ?? null };
}

export const withNamesInclude = { host: { select: { name: true } }, createdBy: { select: { name: true } } } as const;

/** Deletes one expectation and audits it as `<kind>.delete`; an unknown id is a 404 naming it. */
export async function deleteExpectation(
  prisma: PrismaClient,
  principal: Principal,
  expectation: { id: number; kind: string; noun: string; remove: (tx: Prisma.TransactionClient) => Promise<{ count: number }> },
): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const deleted = await expectation.remove(tx);
    if (deleted.count === 0) throw new AppError('not_found', `No ${expectation.noun} ${expectation.id}.`);
    await recordAudit(tx, actorOf(principal), `${expectation.kind}.delete`, `${expectation.kind}:${expectation.id}`);
  });
}
