// Server configuration: every environment variable the server reads, in one zod schema, parsed once
// at start (server.ts, the admin CLI) and then taken from the process's state by route handlers and
// the ingest. A malformed variable stops the process with a sentence that names it. The collector
// has its own configuration (collector/config.ts).
import path from 'node:path';
import { z } from 'zod';
import { getProcessState, setProcessState } from '@/lib/process-state';
import type { RetentionPolicy } from '@/lib/retention/retention-weeks';
import { tracerouteTarget } from '@/lib/schemas/snapshot';

export class ConfigError extends Error {}

export interface IngestRate {
  limit: number;
  windowMs: number;
}

const DEFAULT_INGEST_RATE = '20/s';
const TRACEROUTE_TARGETS_PROBLEM = 'must be host names or IP addresses, comma-separated (at most 64)';
const INGEST_RATE_PROBLEM = 'must look like 120/min, 5/s or 3000/h (0 turns the limit off)';
const windowMsByUnit: Record<string, number> = { s: 1_000, sec: 1_000, min: 60_000, h: 3_600_000 };

/** "120/min", "5/s", "3000/h" or a bare number (per minute); "0" turns the limit off (null); undefined when malformed. */
function readIngestRate(value: string | undefined): IngestRate | null | undefined {
  const text = value?.trim() || DEFAULT_INGEST_RATE;
  const match = /^(\d{1,9})(?:\/(s|sec|min|h))?$/.exec(text);
  if (!match) return undefined;
  const limit = Number(match[1]);
  if (limit === 0) return null;
  return { limit, windowMs: windowMsByUnit[match[2] ?? 'min'] ?? 60_000 };
}

/** SOCKSCOPE_INGEST_RATE on its own, as the schema reads it. */
export function parseIngestRate(value: string | undefined): IngestRate | null {
  const rate = readIngestRate(value);
  if (rate === undefined) throw new ConfigError(`Environment variable SOCKSCOPE_INGEST_RATE ${INGEST_RATE_PROBLEM}.`);
  return rate;
}

const booleanFlag = z.enum(['0', '1', 'true', 'false', 'yes', 'no', 'on', 'off']).transform((value) => ['1', 'true', 'yes', 'on'].includes(value));

/** Set but empty is the same as unset. */
const optionalText = <Schema extends z.ZodType<string, string>>(schema: Schema) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

const configSchema = z.object({
  DATABASE_URL: optionalText(z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')),
  DATA_DIR: z.string().min(1).default('./data'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOSTNAME: z.string().min(1).default('0.0.0.0'),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** Logs at this level and above (pino's levels). */
  SOCKSCOPE_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** The first admin's password on an empty database; unset: one is generated and printed once. */
  SOCKSCOPE_ADMIN_PASSWORD: optionalText(z.string()),
  /** Where `next build` put the dashboard (read by next.config.ts too). */
  SOCKSCOPE_DIST_DIR: z.string().min(1).default('.next'),
  SOCKSCOPE_LOCAL_COLLECTOR: booleanFlag.default(true),
  SOCKSCOPE_LOCAL_INTERVAL: z.coerce.number().min(1).max(86_400).default(10),
  /** Targets the built-in collector traces (comma-separated host names or addresses); none by default. */
  SOCKSCOPE_LOCAL_TRACEROUTE_TARGETS: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((target) => target.trim())
        .filter((target) => target !== ''),
    )
    .refine((targets) => targets.length <= 64 && targets.every((target) => tracerouteTarget.safeParse(target).success), TRACEROUTE_TARGETS_PROBLEM),
  SOCKSCOPE_LOCAL_TRACEROUTE_INTERVAL: z.coerce.number().int().min(10).max(86_400).default(300),
  SOCKSCOPE_MAX_SNAPSHOT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(512 * 1024 * 1024)
    .default(16 * 1024 * 1024),
  SOCKSCOPE_SILENT_AFTER_INTERVALS: z.coerce.number().int().min(1).max(1000).default(3),
  SOCKSCOPE_RETENTION_UNCHANGED_DAYS: z.coerce.number().min(0.001).max(36_500).default(30),
  SOCKSCOPE_RETENTION_CHANGED_DAYS: z.coerce.number().min(0.001).max(36_500).default(365),
  /** Hours a new host learns its normal programs before new ones raise alerts (0: none). */
  SOCKSCOPE_LEARNING_HOURS: z.coerce
    .number()
    .min(0)
    .max(24 * 365)
    .default(24),
  SOCKSCOPE_WEBHOOK_URL: z.url().optional(),
  SOCKSCOPE_SYSLOG: z
    .string()
    .regex(/^(udp|tcp):\/\/[^:]+:\d+$/, 'must look like udp://host:514')
    .optional(),
  /** Snapshots per host and node; null: no limit. */
  SOCKSCOPE_INGEST_RATE: z
    .string()
    .optional()
    .transform((value, context) => {
      const rate = readIngestRate(value);
      if (rate === undefined) context.addIssue({ code: 'custom', message: INGEST_RATE_PROBLEM });
      return rate ?? null;
    }),
  /** Snapshots being ingested at once; past it collectors get 503 + Retry-After and keep theirs spooled. 0 = no limit. */
  SOCKSCOPE_INGEST_CONCURRENCY: z.coerce.number().int().min(0).max(100_000).default(32),
  /** Ingest threads with PostgreSQL (0: ingest on the main thread); default: the cores, at most 4. */
  SOCKSCOPE_INGEST_WORKERS: z.coerce.number().int().min(0).max(64).optional(),
  /** Bytes of snapshot bodies being received at once, across hosts; past it 503 + Retry-After. */
  SOCKSCOPE_INGEST_RECEIVING_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(16 * 1024 * 1024 * 1024)
    .default(256 * 1024 * 1024),
  /** Behind a reverse proxy: take the client address from X-Forwarded-For (otherwise anyone could set it). */
  SOCKSCOPE_TRUST_PROXY: booleanFlag.default(false),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// URL')
    .optional(),
  /** Prefix of the Redis keys, so several deployments (or tests) can share one Redis. */
  SOCKSCOPE_REDIS_PREFIX: optionalText(z.string()),
});

export type ServerConfig = z.infer<typeof configSchema> & {
  /** DATA_DIR, absolute. */
  dataDir: string;
  retention: RetentionPolicy;
};

/** Reads the configuration from `environment`; throws ConfigError naming the first bad variable. */
export function parseConfig(environment: Record<string, string | undefined> = process.env): ServerConfig {
  const parsed = configSchema.safeParse(environment);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? 'environment');
    throw new ConfigError(`Environment variable ${name} ${issue?.message ?? 'is invalid'}.`);
  }
  const config = parsed.data;
  return {
    ...config,
    dataDir: path.resolve(config.DATA_DIR),
    retention: { unchangedDays: config.SOCKSCOPE_RETENTION_UNCHANGED_DAYS, changedDays: config.SOCKSCOPE_RETENTION_CHANGED_DAYS },
  };
}

/**
 * The process's configuration: parsed from the environment on the first call (server.ts makes that
 * call at start, so a bad variable stops it there) and the same object everywhere after, in route
 * handlers too. Each ingest worker thread parses the same environment with the same schema.
 */
export function getConfig(): ServerConfig {
  const registered = getProcessState('config');
  if (registered) return registered;
  const config = parseConfig();
  setProcessState('config', config);
  return config;
}
