// What a collector POSTs: a snapshot (JSON version 1, lib/schemas/snapshot.ts) or a delta against the last
// snapshot the server acknowledged. In a delta, a row section may be sent as its changes only —
// rows that appeared, hashes of rows that went (lib/schemas/row-hash.ts), and the digest of the
// section's full state after them — so an unchanged host sends a few hundred bytes. The server
// applies a delta only to the state it was made against: `base` must be the host's latest
// snapshot and the digests must match, otherwise it answers 409 and the collector sends the
// snapshot whole (docs/storage.md).
import { z } from 'zod';
import type { RowSection } from './row-hash';
import {
  interfaceSchema,
  MAX_INTERFACES,
  MAX_PACKAGES,
  MAX_PROCESSES,
  MAX_SOCKETS,
  packageSchema,
  processSchema,
  snapshotSchema,
  socketSchema,
  type InterfaceRow,
  type PackageRow,
  type ProcessRow,
  type Snapshot,
  type SocketRow,
} from './snapshot';

// 128 bits in UUID form, any bits (not an RFC 9562 UUID: z.uuid() would check its version).
const rowHashText = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'must be a row hash');

function sectionChanges<Row extends z.ZodType>(row: Row, max: number, name: string) {
  return z.strictObject({
    added: z.array(row).max(max, `at most ${max} ${name} per snapshot`),
    removed: z.array(rowHashText).max(max, `at most ${max} ${name} per snapshot`),
    /** Digest of the section's full state after these changes. */
    digest: rowHashText,
  });
}

export const socketChangesSchema = sectionChanges(socketSchema, MAX_SOCKETS, 'sockets');
export const processChangesSchema = sectionChanges(processSchema, MAX_PROCESSES, 'processes');
export const interfaceChangesSchema = sectionChanges(interfaceSchema, MAX_INTERFACES, 'interfaces');
export const packageChangesSchema = sectionChanges(packageSchema, MAX_PACKAGES, 'packages');

const fullSections = snapshotSchema.shape;

/** A section as its rows (an array) or as changes (an object), validated by whichever it is, so refusals name the real field. */
function wholeOrChanges<Whole extends z.ZodType, Changes extends z.ZodType>(whole: Whole, changes: Changes) {
  return z.unknown().transform((value, context): z.output<Whole> | z.output<Changes> => {
    const parsed = (Array.isArray(value) ? whole : changes).safeParse(value);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) context.addIssue({ code: 'custom', message: issue.message, path: issue.path });
    return z.NEVER;
  });
}

/** A snapshot, or a delta: `base` given and any row section as its changes. */
export const snapshotUploadSchema = snapshotSchema
  .extend({
    /** The id of the host's snapshot the changes are against (its latest, as the server acknowledged it). */
    base: z
      .string()
      .regex(/^[1-9]\d{0,18}$/, 'must be a snapshot id')
      .optional(),
    sockets: wholeOrChanges(fullSections.sockets.unwrap(), socketChangesSchema).optional(),
    processes: wholeOrChanges(fullSections.processes.unwrap(), processChangesSchema).optional(),
    interfaces: wholeOrChanges(fullSections.interfaces.unwrap(), interfaceChangesSchema).optional(),
    packages: wholeOrChanges(fullSections.packages.unwrap(), packageChangesSchema).optional(),
  })
  .superRefine((upload, context) => {
    if (upload.base !== undefined) return;
    for (const section of ['sockets', 'processes', 'interfaces', 'packages'] as const) {
      const value = upload[section];
      if (value !== undefined && !Array.isArray(value)) {
        context.addIssue({ code: 'custom', path: ['base'], message: `is required when ${section} is sent as changes` });
        return;
      }
    }
  });

export type SnapshotUpload = z.infer<typeof snapshotUploadSchema>;

interface SectionChanges<Row> {
  added: Row[];
  removed: string[];
  digest: string;
}

export interface ChangesOf {
  sockets: SectionChanges<SocketRow>;
  processes: SectionChanges<ProcessRow>;
  interfaces: SectionChanges<InterfaceRow>;
  packages: SectionChanges<PackageRow>;
}

export function isSectionChanges<S extends RowSection>(value: Snapshot[S] | ChangesOf[S] | undefined): value is ChangesOf[S] {
  return value !== undefined && !Array.isArray(value);
}
