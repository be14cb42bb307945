// Collector settings from three places, flags over environment over config file, each checked with
// zod at start-up so a mistake stops the collector with one sentence naming the setting.
import { readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { tracerouteTarget } from '../lib/schemas/snapshot';
import { BadInputError } from './exit-codes';
import { DEFAULT_PACKAGES_INTERVAL_SECONDS } from './gather/packages/package-schedule';
import { describeReadError } from './read-error';
import { DEFAULT_SPOOL_MAX_BYTES, DEFAULT_SPOOL_MAX_FILES } from './spool';

export interface CollectorConfig {
  server: string;
  token: string;
  intervalSeconds: number;
  timeoutSeconds: number;
  spoolDir: string;
  spoolMaxBytes: number;
  spoolMaxFiles: number;
  tracerouteTargets: string[];
  tracerouteIntervalSeconds: number;
  /** How often snapshots carry the installed packages; 0: never. */
  packagesIntervalSeconds: number;
  /** Whether TCP TIME_WAIT entries (connections already closed) are reported. */
  collectTimeWait: boolean;
}

/** What commander hands over: text (or a list of texts) from argv, still unchecked; on/off flags as booleans. */
export interface ConfigFlags {
  config?: string;
  server?: string;
  token?: string;
  interval?: string;
  timeout?: string;
  spoolDir?: string;
  spoolMaxBytes?: string;
  spoolMaxFiles?: string;
  traceroute?: string[];
  tracerouteInterval?: string;
  packagesInterval?: string;
  timeWait?: boolean;
}

export class ConfigError extends BadInputError {}

type FieldName = keyof CollectorConfig;

interface FieldSpec {
  flag: string;
  env: string;
  fileKey: string;
  kind: 'string' | 'number' | 'list' | 'boolean';
  schema: z.ZodType;
  /** Said after the setting's name when its value is wrong. */
  expectation: string;
}

const seconds = (max: number) => z.number().positive().max(max);
// A leading dash would reach traceroute as an option, not a target.

const fields: Record<FieldName, FieldSpec> = {
  server: {
    flag: '--server',
    env: 'SOCKSCOPE_SERVER',
    fileKey: 'server',
    kind: 'string',
    schema: z.url({ protocol: /^https?$/ }),
    expectation: 'must be an http:// or https:// URL such as https://sockscope.example.org',
  },
  token: {
    flag: '--token',
    env: 'SOCKSCOPE_TOKEN',
    fileKey: 'token',
    kind: 'string',
    schema: z
      .string()
      .min(1)
      .max(4096)
      .regex(/^[\x21-\x7e]+$/),
    expectation: 'must be the host token (printable characters, no spaces)',
  },
  intervalSeconds: {
    flag: '--interval',
    env: 'SOCKSCOPE_INTERVAL',
    fileKey: 'interval',
    kind: 'number',
    schema: seconds(86_400),
    expectation: 'must be a number of seconds above 0 and at most 86400',
  },
  timeoutSeconds: {
    flag: '--timeout',
    env: 'SOCKSCOPE_TIMEOUT',
    fileKey: 'timeout',
    kind: 'number',
    schema: seconds(3_600),
    expectation: 'must be a number of seconds above 0 and at most 3600',
  },
  spoolDir: {
    flag: '--spool-dir',
    env: 'SOCKSCOPE_SPOOL_DIR',
    fileKey: 'spoolDir',
    kind: 'string',
    schema: z.string().min(1).max(4096),
    expectation: 'must be a directory path',
  },
  spoolMaxBytes: {
    flag: '--spool-max-bytes',
    env: 'SOCKSCOPE_SPOOL_MAX_BYTES',
    fileKey: 'spoolMaxBytes',
    kind: 'number',
    schema: z.number().int().min(1024),
    expectation: 'must be a whole number of bytes, at least 1024',
  },
  spoolMaxFiles: {
    flag: '--spool-max-files',
    env: 'SOCKSCOPE_SPOOL_MAX_FILES',
    fileKey: 'spoolMaxFiles',
    kind: 'number',
    schema: z.number().int().min(1),
    expectation: 'must be a whole number of files, at least 1',
  },
  tracerouteTargets: {
    flag: '--traceroute',
    env: 'SOCKSCOPE_TRACEROUTE_TARGETS',
    fileKey: 'tracerouteTargets',
    kind: 'list',
    schema: z.array(tracerouteTarget).max(64),
    expectation: 'must be up to 64 host names or IP addresses (comma-separated in the environment)',
  },
  tracerouteIntervalSeconds: {
    flag: '--traceroute-interval',
    env: 'SOCKSCOPE_TRACEROUTE_INTERVAL',
    fileKey: 'tracerouteInterval',
    kind: 'number',
    schema: seconds(86_400),
    expectation: 'must be a number of seconds above 0 and at most 86400',
  },
  packagesIntervalSeconds: {
    flag: '--packages-interval',
    env: 'SOCKSCOPE_PACKAGES_INTERVAL',
    fileKey: 'packagesInterval',
    kind: 'number',
    schema: z.number().min(0).max(86_400),
    expectation: 'must be a number of seconds from 0 (off) to 86400',
  },
  collectTimeWait: {
    flag: '--time-wait',
    env: 'SOCKSCOPE_COLLECT_TIME_WAIT',
    fileKey: 'collectTimeWait',
    kind: 'boolean',
    schema: z.boolean(),
    expectation: 'must be true or false (1 or 0, yes or no in the environment)',
  },
};

const fieldNames = Object.keys(fields) as FieldName[];

const CONFIG_ENV = 'SOCKSCOPE_CONFIG';

function defaultSpoolDir(): string {
  return path.join(os.homedir(), '.sockscope', 'spool');
}

function defaults(): Omit<CollectorConfig, 'server' | 'token'> {
  return {
    intervalSeconds: 60,
    timeoutSeconds: 15,
    spoolDir: defaultSpoolDir(),
    spoolMaxBytes: DEFAULT_SPOOL_MAX_BYTES,
    spoolMaxFiles: DEFAULT_SPOOL_MAX_FILES,
    tracerouteTargets: [],
    tracerouteIntervalSeconds: 300,
    packagesIntervalSeconds: DEFAULT_PACKAGES_INTERVAL_SECONDS,
    collectTimeWait: false,
  };
}

export interface LoadConfigInput {
  flags?: ConfigFlags;
  env?: Readonly<Record<string, string | undefined>>;
  /** Settings the command cannot work without (`run` and `import` need server and token). */
  required?: readonly FieldName[];
}

export interface LoadedConfig {
  config: CollectorConfig;
  /** Things worth a log line that do not stop the collector (a world-readable token file). */
  warnings: string[];
}

export function loadConfig({ flags = {}, env = process.env, required = [] }: LoadConfigInput): LoadedConfig {
  const warnings: string[] = [];
  const configPath = flags.config ?? nonEmpty(env[CONFIG_ENV]);
  const fromFile = configPath ? readConfigFile(configPath, warnings) : {};
  const fromEnv = readSource(
    (field) => nonEmpty(env[fields[field].env]),
    (field) => fields[field].env,
  );
  const fromFlags = readSource(
    (field) => flagValue(flags, field),
    (field) => fields[field].flag,
  );
  const merged: Partial<CollectorConfig> = { ...defaults(), ...fromFile, ...fromEnv, ...fromFlags };
  for (const field of required) {
    if (merged[field] !== undefined) continue;
    const spec = fields[field];
    throw new ConfigError(`bad config: ${spec.fileKey} is missing: pass ${spec.flag}, set ${spec.env} or "${spec.fileKey}" in the config file`);
  }
  const config = { server: '', token: '', ...merged } as CollectorConfig;
  config.spoolDir = expandHome(config.spoolDir);
  return { config, warnings };
}

function readSource(rawValue: (field: FieldName) => string | string[] | boolean | undefined, nameOf: (field: FieldName) => string): Partial<CollectorConfig> {
  const values: Record<string, unknown> = {};
  for (const field of fieldNames) {
    const raw = rawValue(field);
    if (raw === undefined) continue;
    values[field] = checkField(field, fromText(fields[field].kind, raw), nameOf(field));
  }
  return values;
}

function readConfigFile(configPath: string, warnings: string[]): Partial<CollectorConfig> {
  let text: string;
  try {
    text = readFileSync(configPath, 'utf8');
  } catch (error) {
    throw new ConfigError(`bad config: config file ${configPath}: ${describeReadError(error)}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`bad config: config file ${configPath}: not valid JSON (${(error as Error).message})`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError(`bad config: config file ${configPath}: must hold one JSON object`);
  }
  const byFileKey = new Map(fieldNames.map((field) => [fields[field].fileKey, field]));
  const values: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parsed)) {
    const field = byFileKey.get(key);
    if (!field) {
      const known = [...byFileKey.keys()].join(', ');
      throw new ConfigError(`bad config: config file ${configPath}: unknown setting "${key}" (known: ${known})`);
    }
    values[field] = checkField(field, value, `"${key}" in ${configPath}`);
  }
  if (values.token !== undefined && isReadableByOthers(configPath)) {
    warnings.push(`config file ${configPath} holds the token and is readable by other users: chmod 600 it`);
  }
  return values;
}

function checkField(field: FieldName, value: unknown, name: string): unknown {
  const spec = fields[field];
  const result = spec.schema.safeParse(value);
  // The value itself is never echoed: it may be the token.
  if (!result.success) throw new ConfigError(`bad config: ${name} ${spec.expectation}`);
  return result.data;
}

const BOOLEAN_WORDS: ReadonlyMap<string, boolean> = new Map([
  ['true', true],
  ['false', false],
  ['1', true],
  ['0', false],
  ['yes', true],
  ['no', false],
]);

function fromText(kind: FieldSpec['kind'], raw: string | string[] | boolean): unknown {
  if (typeof raw === 'boolean') return raw;
  const items = (Array.isArray(raw) ? raw : [raw]).map((item) => item.trim());
  if (kind === 'list')
    return items
      .flatMap((item) => item.split(','))
      .map((item) => item.trim())
      .filter(Boolean);
  const text = items.join(',');
  if (kind === 'number') return /^[+]?(\d+(\.\d*)?|\.\d+)$/.test(text) ? Number(text) : Number.NaN;
  if (kind === 'boolean') return BOOLEAN_WORDS.get(text.toLowerCase()) ?? text;
  return text;
}

function flagValue(flags: ConfigFlags, field: FieldName): string | string[] | boolean | undefined {
  const keyOf: Record<FieldName, keyof ConfigFlags> = {
    server: 'server',
    token: 'token',
    intervalSeconds: 'interval',
    timeoutSeconds: 'timeout',
    spoolDir: 'spoolDir',
    spoolMaxBytes: 'spoolMaxBytes',
    spoolMaxFiles: 'spoolMaxFiles',
    tracerouteTargets: 'traceroute',
    tracerouteIntervalSeconds: 'tracerouteInterval',
    packagesIntervalSeconds: 'packagesInterval',
    collectTimeWait: 'timeWait',
  };
  return flags[keyOf[field]];
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

function expandHome(dir: string): string {
  return dir === '~' || dir.startsWith('~/') ? path.join(os.homedir(), dir.slice(1)) : dir;
}

function isReadableByOthers(filePath: string): boolean {
  try {
    return (statSync(filePath).mode & 0o044) !== 0;
  } catch {
    return false;
  }
}
