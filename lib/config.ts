// Server configuration from the environment, checked once at start-up: a malformed variable stops
// the process with a sentence that names it.
import path from 'node:path';
import { z } from 'zod';
import type { RetentionPolicy } from '@/lib/retention/retention-weeks';

const booleanFlag = z
  .enum(['0', '1', 'true', 'false', 'yes', 'no', 'on', 'off'])
  .transform((value) => ['1', 'true', 'yes', 'on'].includes(value));

const retentionFields = {
  SOCKSCOPE_RETENTION_UNCHANGED_DAYS: z.coerce.number().min(0.001).max(36_500).default(30),
  SOCKSCOPE_RETENTION_CHANGED_DAYS: z.coerce.number().min(0.001).max(36_500).default(365),
};
const retentionSchema = z.object(retentionFields);

const environmentSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  DATA_DIR: z.string().min(1).default('./data'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOSTNAME: z.string().min(1).default('0.0.0.0'),
  SOCKSCOPE_LOCAL_COLLECTOR: booleanFlag.default(true),
  SOCKSCOPE_LOCAL_INTERVAL: z.coerce.number().min(1).max(86_400).default(10),
  SOCKSCOPE_MAX_SNAPSHOT_BYTES: z.coerce.number().int().min(1024).max(512 * 1024 * 1024).default(16 * 1024 * 1024),
  SOCKSCOPE_SILENT_AFTER_INTERVALS: z.coerce.number().int().min(1).max(1000).default(3),
  ...retentionFields,
  SOCKSCOPE_WEBHOOK_URL: z.url().optional(),
  SOCKSCOPE_SYSLOG: z.string().regex(/^(udp|tcp):\/\/[^:]+:\d+$/, 'must look like udp://host:514').optional(),
  SOCKSCOPE_INGEST_RATE: z.string().optional(),
  /** Snapshots being ingested at once; past it collectors get 503 + Retry-After and keep theirs spooled. 0 = no limit. */
  SOCKSCOPE_INGEST_CONCURRENCY: z.coerce.number().int().min(0).max(100_000).default(32),
  /** Ingest threads with PostgreSQL (0: ingest on the main thread); default: the cores, at most 4. */
  SOCKSCOPE_INGEST_WORKERS: z.coerce.number().int().min(0).max(64).optional(),
  /** Bytes of snapshot bodies being received at once, across hosts; past it 503 + Retry-After. */
  SOCKSCOPE_INGEST_RECEIVING_BYTES: z.coerce.number().int().min(1024).max(16 * 1024 * 1024 * 1024).default(256 * 1024 * 1024),
  /** Behind a reverse proxy: take the client address from X-Forwarded-For (otherwise anyone could set it). */
  SOCKSCOPE_TRUST_PROXY: booleanFlag.default(false),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL').optional(),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
});

export type ServerConfig = z.infer<typeof environmentSchema> & { dataDir: string };

export class ConfigError extends Error {}

export function readConfig(environment: NodeJS.ProcessEnv = process.env): ServerConfig {
  const parsed = parseEnvironment(environmentSchema, environment);
  return { ...parsed, dataDir: path.resolve(parsed.DATA_DIR) };
}

/**
 * The retention policy alone, for code that runs outside server.ts's configuration (ingest in
 * route handlers, opening the database): the same variables and checks as readConfig.
 */
export function readRetentionPolicy(environment: NodeJS.ProcessEnv = process.env): RetentionPolicy {
  const parsed = parseEnvironment(retentionSchema, environment);
  return { unchangedDays: parsed.SOCKSCOPE_RETENTION_UNCHANGED_DAYS, changedDays: parsed.SOCKSCOPE_RETENTION_CHANGED_DAYS };
}

function parseEnvironment<Schema extends z.ZodType>(schema: Schema, environment: NodeJS.ProcessEnv): z.infer<Schema> {
  const parsed = schema.safeParse(environment);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? 'environment');
    throw new ConfigError(`Environment variable ${name} ${issue?.message ?? 'is invalid'}.`);
  }
  return parsed.data;
}
