// What each API route answers on success, as zod schemas. The routes build these bodies from
// Prisma rows and TypeScript interfaces; nothing parses them on the way out, so these schemas
// describe them for the OpenAPI document, and the API test checks real answers against them.
// Strict objects throughout: a field added to an answer must be added here too.
import { z } from 'zod';
import {
  containerSchema,
  interfaceSchema,
  packageSchema,
  packageSources,
  port,
  processSchema,
  runSchema,
  snapshotSections,
  socketProtocol,
  socketSchema,
  tracerouteSchema,
} from '@/lib/schemas/snapshot';
import { roleSchema } from '@/lib/users/users';

const count = z.number().int().min(0);
const rowId = z.number().int().positive();
/** The instants the server writes, with Date.prototype.toISOString: always UTC, `Z`. */
const instant = z.iso.datetime().describe('An instant in UTC, as `2026-11-21T10:00:00.000Z`.');
/** Snapshot and audit ids are 64-bit: JSON numbers cannot hold all of them, so they travel as text. */
const decimalId = z
  .string()
  .regex(/^[1-9][0-9]*$/)
  .describe('A 64-bit id, as decimal digits in a string.');
const sectionName = z.enum(snapshotSections);

// ── Alerts ──────────────────────────────────────────────────────────────────────────────────────

const alertStates = ['open', 'acknowledged', 'closed'] as const;

const alertSchema = z.strictObject({
  id: rowId,
  host: z.string(),
  kind: z.string().describe('`listener.opened`, `interface.promiscuous_on`, `host.silent`, …'),
  level: z.number().int().min(0),
  message: z.string(),
  state: z.enum(alertStates),
  occurrences: z.number().int().min(1).describe('How often the same subject was seen while the alert was live.'),
  subject: z.record(z.string(), z.unknown()).describe('What the alert is about; its fields depend on the kind.'),
  firstSeenAt: instant,
  lastSeenAt: instant,
  snapshotId: decimalId.nullable().describe('The snapshot that raised (or last repeated) it; null for `host.silent`.'),
  acknowledgedBy: z.string().nullable(),
  acknowledgedAt: instant.nullable(),
  note: z.string().nullable(),
});

export const alertListAnswer = z.strictObject({ alerts: z.array(alertSchema).describe('Newest first.') });
export const alertAnswer = z.strictObject({ alert: alertSchema });

const auditEntrySchema = z.strictObject({
  id: decimalId,
  at: instant,
  actorId: rowId.nullable().describe('null for the server itself and the admin CLI, or a deleted user.'),
  actorName: z.string(),
  action: z.string().describe('`user.create`, `host.enroll`, `alert.acknowledge`, …'),
  target: z.string().describe('`user:NAME`, `host:NAME`, `alert:ID`, …'),
  detail: z.unknown().describe('What changed, by action; null when nothing more is to be said.'),
});
export const auditLogAnswer = z.strictObject({ entries: z.array(auditEntrySchema).describe('Newest first.') });

// ── Baselines, expected packages, promiscuous rules ───────────────────────────────────────────

const ruleScope = {
  host: z.string().nullable().describe('The host it applies to; null with `label` null: every host.'),
  label: z.string().nullable().describe('Every host with this label.'),
};
const createdBy = z.string().nullable().describe('The account that created it; null once that account is gone.');

/** A baseline, as created and as listed. */
const baselineSchema = z.strictObject({
  id: rowId,
  ...ruleScope,
  proto: socketProtocol.nullable(),
  port,
  localAddress: z.string().nullable(),
  process: z.string().nullable(),
  note: z.string().nullable(),
  createdBy,
  createdAt: instant,
});
export const baselineListAnswer = z.strictObject({ baselines: z.array(baselineSchema) });
export const baselineCreatedAnswer = z.strictObject({ baseline: baselineSchema });

/** An expected package, as created and as listed. */
const expectedPackageSchema = z.strictObject({
  id: rowId,
  ...ruleScope,
  pattern: z.string(),
  note: z.string().nullable(),
  createdBy,
  createdAt: instant,
});
export const expectedPackageListAnswer = z.strictObject({ expectedPackages: z.array(expectedPackageSchema) });
export const expectedPackageCreatedAnswer = z.strictObject({ expectedPackage: expectedPackageSchema });

const promiscuousRuleSchema = z.strictObject({ id: rowId, pattern: z.string(), note: z.string().nullable(), createdAt: instant });
export const promiscuousRuleListAnswer = z.strictObject({ rules: z.array(promiscuousRuleSchema).describe('By pattern.') });
export const promiscuousRuleCreatedAnswer = z.strictObject({ rule: promiscuousRuleSchema });

export const deletedAnswer = z.strictObject({ deleted: z.literal(true) });

// ── Hosts and their tokens ─────────────────────────────────────────────────────────────────────

const hostSummarySchema = z.strictObject({
  name: z.string(),
  os: z.string().nullable(),
  labels: z.array(z.string()),
  intervalSeconds: z.number().int().positive().describe('The collector’s interval as learnt from its snapshots.'),
  lastSeenAt: instant.nullable(),
  listenerCount: count,
  promiscuousCount: count,
  openAlertCount: count,
});
export const hostPageAnswer = z.strictObject({
  hosts: z.array(hostSummarySchema).describe('Most open alerts first, then by name.'),
  total: count.describe('Hosts matching, in all pages.'),
  page: z.number().int().min(1),
  pageSize: z.number().int().min(1),
});

export const hostDetailAnswer = z.strictObject({
  name: z.string(),
  os: z.string().nullable(),
  kernel: z.string().nullable(),
  labels: z.array(z.string()),
  intervalSeconds: z.number().int().positive(),
  firstSeenAt: instant.nullable(),
  lastSeenAt: instant.nullable(),
  learningUntil: instant.nullable().describe('Until when the host learns its normal programs.'),
  snapshotId: decimalId.nullable().describe('Its latest snapshot; null before the first.'),
  collectedAt: instant.nullable(),
  listeningSockets: z.array(socketSchema).describe('By port.'),
  establishedSockets: z.array(socketSchema),
  processes: z.array(processSchema).nullable().describe('null: never collected.'),
  interfaces: z.array(interfaceSchema).nullable(),
  packages: z.array(packageSchema).nullable(),
});

/** A collector token: shown in this answer and never again. */
export const issuedHostTokenAnswer = z.strictObject({ name: z.string(), token: z.string().regex(/^ssh_[A-Za-z0-9_-]{43}$/) });

export const hostTokenListAnswer = z.strictObject({
  tokens: z.array(
    z.strictObject({ prefix: z.string().describe('The first characters only; never the token.'), createdAt: instant, revokedAt: instant.nullable() }),
  ),
});
export const revokedAnswer = z.strictObject({ revoked: count.describe('How many live tokens were revoked.') });

// ── Snapshots, diffs, latency ──────────────────────────────────────────────────────────────────

export const acceptedSnapshotAnswer = z.strictObject({
  id: decimalId,
  changed: z.partialRecord(sectionName, z.boolean()).describe('Per section the snapshot collected: does it differ from the host’s previous state?'),
  replayed: z.literal(false),
});
export const replayedSnapshotAnswer = acceptedSnapshotAnswer.extend({
  replayed: z.literal(true).describe('This idempotency key was stored before: nothing new was written, `id` is the first one.'),
});

const sectionCounts = z.strictObject({ added: count, removed: count, changed: count });

const diffSummarySchema = z.strictObject({
  sockets: sectionCounts,
  processes: sectionCounts,
  interfaces: sectionCounts,
  traceroutes: sectionCounts,
  packages: sectionCounts,
  widened: count.describe('Changed sockets whose bind address widened.'),
  promiscuousOn: z.array(z.string()).describe('Interfaces that entered promiscuous mode.'),
  promiscuousOff: z.array(z.string()),
});

export const snapshotListAnswer = z.strictObject({
  snapshots: z
    .array(
      z.strictObject({
        id: decimalId,
        collectedAt: instant,
        receivedAt: instant,
        changedSections: z.array(sectionName),
        diffSummary: diffSummarySchema.nullable().describe('Against the previous snapshot; null for a host’s first.'),
        collectorVersion: z.string().nullable(),
      }),
    )
    .describe('Newest first.'),
});

export const storedSnapshotAnswer = z.strictObject({
  id: decimalId,
  host: z.strictObject({ name: z.string(), os: z.string().nullable(), kernel: z.string().nullable() }),
  collectedAt: instant,
  receivedAt: instant,
  idempotencyKey: z.string(),
  collectorVersion: z.string().nullable(),
  run: runSchema.nullable(),
  changedSections: z.array(sectionName),
  // Absent: the snapshot did not collect that section (never "empty").
  sockets: z.array(socketSchema).optional(),
  processes: z.array(processSchema).optional(),
  interfaces: z.array(interfaceSchema).optional(),
  traceroutes: z.array(tracerouteSchema).optional(),
  packages: z.array(packageSchema).optional(),
});

function sectionDiff<Row extends z.ZodType, Changed extends z.ZodType>(row: Row, changed: Changed) {
  return z.strictObject({
    collected: z.boolean().describe('false when either snapshot lacks the section: every list is then empty.'),
    added: z.array(row),
    removed: z.array(row),
    changed: z.array(changed),
  });
}

function changedRow<Row extends z.ZodType>(row: Row, changes: readonly [string, ...string[]]) {
  return { before: row, after: row, changes: z.array(z.enum(changes)).describe('The fields that differ.') };
}

export const snapshotDiffAnswer = z.strictObject({
  host: z.string(),
  from: z.strictObject({ id: decimalId, collectedAt: instant }),
  to: z.strictObject({ id: decimalId, collectedAt: instant }),
  summary: diffSummarySchema,
  sockets: sectionDiff(
    socketSchema,
    z.strictObject({
      ...changedRow(socketSchema, ['localAddress', 'state', 'pid', 'process', 'user', 'uid']),
      widened: z.boolean().describe('The listener now binds a wider scope (loopback → address → any).'),
    }),
  ),
  processes: sectionDiff(processSchema, z.strictObject(changedRow(processSchema, ['ppid', 'user', 'uid', 'args', 'startedAt']))),
  interfaces: sectionDiff(interfaceSchema, z.strictObject(changedRow(interfaceSchema, ['flags', 'promiscuous', 'mtu', 'mac', 'addresses']))),
  traceroutes: sectionDiff(tracerouteSchema, z.strictObject(changedRow(tracerouteSchema, ['targetAddress', 'hopCount', 'path', 'annotations']))),
  packages: sectionDiff(
    packageSchema,
    z.strictObject({
      ...changedRow(packageSchema, ['version']),
      direction: z.enum(['upgraded', 'downgraded', 'reinstalled']).describe('By the package manager’s own version order.'),
    }),
  ),
});

const milliseconds = z.number().min(0);

export const latencySeriesAnswer = z.strictObject({
  host: z.string(),
  since: instant,
  targets: z.array(z.string()).describe('Every target traced in the window.'),
  target: z.string().nullable().describe('The target these runs are of: the one asked for, else the first.'),
  targetAddress: z.string().nullable(),
  runs: z
    .array(
      z.strictObject({
        snapshotId: decimalId,
        at: instant,
        targetAddress: z.string().nullable(),
        hops: z.array(
          z.strictObject({
            hop: z.number().int().min(1),
            minMs: milliseconds.nullable(),
            medianMs: milliseconds.nullable(),
            maxMs: milliseconds.nullable(),
            loss: z.number().min(0).max(1).nullable().describe('Share of probes without an answer; null when none was sent.'),
            sent: count,
            received: count,
            lastMs: milliseconds.nullable(),
            annotations: z.array(z.string()),
            addresses: z.array(z.string()),
            names: z.array(z.string()),
          }),
        ),
      }),
    )
    .describe('Oldest first.'),
  truncated: z.boolean().describe('More runs exist in the window than were returned (the newest are kept).'),
  hopTable: z.array(
    z.strictObject({
      hop: z.number().int().min(1),
      addresses: z.array(z.string()),
      names: z.array(z.string()),
      sent: count,
      lossPercent: z.number().min(0).max(100).nullable(),
      lastMs: milliseconds.nullable(),
      avgMs: milliseconds.nullable(),
      bestMs: milliseconds.nullable(),
      worstMs: milliseconds.nullable(),
      stdevMs: milliseconds.nullable(),
      annotations: z.array(z.string()),
    }),
  ),
  latencyJumps: z.array(
    z.strictObject({
      alertId: rowId,
      at: instant,
      firstSeenAt: instant,
      hop: z.number().int().nullable(),
      state: z.enum(alertStates),
      message: z.string(),
    }),
  ),
  inventoryChanges: z.array(
    z.strictObject({
      snapshotId: decimalId,
      at: instant,
      sections: z.array(z.enum(['sockets', 'processes', 'interfaces'])),
      summary: z.partialRecord(z.enum(['sockets', 'processes', 'interfaces']), sectionCounts),
    }),
  ),
});

// ── Fleet search ───────────────────────────────────────────────────────────────────────────────

function resultPage<Row extends z.ZodType>(row: Row) {
  return z.strictObject({
    rows: z.array(row),
    total: count.describe('Matching rows in all pages.'),
    hostCount: count.describe('Distinct hosts among all matching rows.'),
    page: z.number().int().min(1),
    pageSize: z.number().int().min(1),
  });
}

export const exposedListenerPage = resultPage(
  z.strictObject({
    alertId: rowId,
    host: z.string(),
    kind: z.enum(['listener.opened', 'listener.widened']),
    level: z.number().int().min(0),
    state: z.enum(alertStates),
    message: z.string(),
    proto: z.string().nullable(),
    localAddress: z.string().nullable(),
    previousLocalAddress: z.string().nullable().describe('For a widened listener: the address it bound before.'),
    localPort: z.number().int().nullable(),
    process: z.string().nullable(),
    pid: z.number().int().nullable(),
    user: z.string().nullable(),
    firstSeenAt: instant,
    lastSeenAt: instant,
  }),
);

export const listenerMatchPage = resultPage(
  z.strictObject({
    host: z.string(),
    hostLastSeenAt: instant.nullable(),
    proto: socketProtocol,
    localAddress: z.string(),
    localPort: port,
    pid: z.number().int().nullable(),
    process: z.string().nullable(),
    user: z.string().nullable(),
    netns: z.number().int().min(0).nullable().describe('The network namespace (its inode) when not the host’s own.'),
    container: containerSchema.nullable(),
  }),
);

export const processMatchPage = resultPage(
  z.strictObject({
    host: z.string(),
    hostLastSeenAt: instant.nullable(),
    pid: z.number().int().min(0),
    ppid: z.number().int().nullable(),
    user: z.string().nullable(),
    command: z.string(),
    args: z.string().max(300).nullable().describe('The first 300 characters of the arguments.'),
  }),
);

export const packageMatchPage = resultPage(
  z.strictObject({
    host: z.string(),
    name: z.string(),
    version: z.string(),
    arch: z.string().nullable(),
    source: z.enum(packageSources),
    appearedAt: instant.nullable().describe('When the snapshot that first had it (at this version) was collected.'),
    installed: z.boolean().describe('false: it appeared within the window and has gone since.'),
  }),
);

// ── Session and accounts ───────────────────────────────────────────────────────────────────────

export const signedInAnswer = z.strictObject({
  name: z.string(),
  role: roleSchema,
  csrfToken: z.string().min(1).describe('Send it as `x-csrf-token` with every state-changing request of this session.'),
});
export const signedOutAnswer = z.strictObject({ signedOut: z.literal(true) });

const userSchema = z.strictObject({
  name: z.string(),
  role: roleSchema,
  createdAt: instant,
  disabledAt: instant.nullable(),
  hasPassword: z.boolean().describe('false for accounts that only hold API tokens.'),
  liveApiTokens: count,
});
export const userListAnswer = z.strictObject({ users: z.array(userSchema).describe('By name.') });
export const userAnswer = z.strictObject({ user: userSchema });
export const createdUserAnswer = z.strictObject({
  name: z.string(),
  role: roleSchema,
  password: z.string().optional().describe('Only when the server generated it: shown in this answer and nowhere else.'),
});
export const passwordChangedAnswer = z.strictObject({
  changed: z.literal(true),
  sessionsEnded: count.describe('The account’s other sessions, ended; the one that made the change stays.'),
});
export const passwordResetAnswer = z.strictObject({
  name: z.string(),
  password: z.string().describe('Generated: shown in this answer and nowhere else.'),
  sessionsEnded: count.describe('The account’s sessions, all ended.'),
});
export const issuedApiTokenAnswer = z.strictObject({ name: z.string(), token: z.string().regex(/^ssa_[A-Za-z0-9_-]{43}$/) });

// ── Health, metrics, this document ─────────────────────────────────────────────────────────────

export const healthAnswer = z.strictObject({ status: z.literal('ok') });

export const metricsText = z
  .string()
  .regex(/^# HELP /)
  .describe('Prometheus text format 0.0.4: aggregate numbers only.');

export const socketsCsvText = z
  .string()
  .regex(/^login\|uid\|command\|ppid\|pid\|type\|protocol\|state\|src_ip\|src_port\|dst_ip\|dst_port\n/)
  .describe('The WebJob recipe’s pipe-delimited socket table: this header, then one line per socket.');

export const openApiDocumentAnswer = z.looseObject({
  openapi: z.literal('3.1.0'),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.unknown()),
  components: z.record(z.string(), z.unknown()),
});
