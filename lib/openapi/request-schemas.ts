// Request shapes the document needs that no lib module exports: Next.js lets a route file export
// its handlers only, so the few schemas declared inside app/api/**/route.ts are restated here, and
// the snapshot upload is restated in a form JSON Schema can express. The API test sends bodies
// valid by these schemas to the real routes, so a route that grows a stricter rule fails it.
import { z } from 'zod';
import { smallDatabaseId } from '@/lib/http/query-fields';
import { hostName, snapshotSchema } from '@/lib/schemas/snapshot';
import { interfaceChangesSchema, packageChangesSchema, processChangesSchema, snapshotUploadSchema, socketChangesSchema } from '@/lib/schemas/snapshot-upload';
import { passwordSchema, roleSchema, userNameSchema } from '@/lib/users/users';

// ── Path parameters ────────────────────────────────────────────────────────────────────────────

/** Alerts, baselines, expected packages and promiscuous rules are numbered by a 32-bit serial. */
const rowIdParameter = smallDatabaseId;
/** Snapshot ids are 64-bit (app/api/v1/hosts/[name]/snapshots/[id]/route.ts). */
const snapshotIdParameter = z.coerce.bigint().positive();

export const hostPathParameters = z.object({ name: hostName });
export const hostSnapshotPathParameters = z.object({ name: hostName, id: snapshotIdParameter });
export const rowIdPathParameters = z.object({ id: rowIdParameter });
export const userPathParameters = z.object({ name: userNameSchema });

// ── Query strings declared in route files ──────────────────────────────────────────────────────

/** app/api/v1/hosts/[name]/diff/route.ts */
export const diffQuerySchema = z.object({ from: z.coerce.bigint().positive(), to: z.coerce.bigint().positive() });
/** app/api/v1/hosts/[name]/sockets.csv/route.ts: without `snapshot`, the host's latest. */
export const socketsCsvQuerySchema = z.object({ snapshot: z.coerce.bigint().positive().optional() });

// ── Bodies declared in route files ─────────────────────────────────────────────────────────────

/** app/api/v1/hosts/route.ts; the name is checked as a host name by enrollHost (400 otherwise). */
export const hostEnrolmentSchema = z.strictObject({ name: hostName, labels: z.array(z.string().min(1).max(64)).max(32).default([]) });

/** app/api/v1/session/route.ts */
export const credentialsSchema = z.strictObject({ name: z.string().min(1).max(64), password: z.string().min(1).max(1024) });

/** app/api/v1/users/route.ts; without a password the server generates one and answers it once. */
export const newUserSchema = z.strictObject({ name: userNameSchema, role: roleSchema, password: passwordSchema.optional() });

/** app/api/v1/users/[name]/route.ts: at least one of the two. */
export const accountChangeSchema = z
  .strictObject({ disabled: z.boolean().optional(), role: roleSchema.optional() })
  .refine((change) => change.disabled !== undefined || change.role !== undefined, 'name disabled or role')
  .meta({ minProperties: 1 });

// ── The snapshot upload ────────────────────────────────────────────────────────────────────────

// The real schema reads each row section with a transform (array → whole, object → changes) so
// that its refusals name the real field; JSON Schema cannot show a transform, so the document
// states the same choice as a union of the two shapes.
const wholeOrChanges = <Whole extends z.ZodType, Changes extends z.ZodType>(whole: Whole, changes: Changes) => z.union([whole, changes]).optional();
const sections = snapshotSchema.shape;

export const snapshotUploadDocumentSchema = snapshotSchema
  .extend({
    base: snapshotUploadSchema.shape.base,
    sockets: wholeOrChanges(sections.sockets.unwrap(), socketChangesSchema),
    processes: wholeOrChanges(sections.processes.unwrap(), processChangesSchema),
    interfaces: wholeOrChanges(sections.interfaces.unwrap(), interfaceChangesSchema),
    packages: wholeOrChanges(sections.packages.unwrap(), packageChangesSchema),
  })
  .describe(
    'A snapshot (JSON version 1), or a delta: with `base` (the id of the host’s latest snapshot as the server acknowledged it), any of ' +
      '`sockets`, `processes`, `interfaces`, `packages` may be sent as its changes — rows added, hashes of rows removed, and the digest of ' +
      'the section after them. A delta whose base or digests do not match the server’s state is refused with 409: send the snapshot whole. ' +
      'An absent section means "not collected", never "empty".',
  );
