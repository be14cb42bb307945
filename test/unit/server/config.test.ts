// The server's configuration: one schema, a sentence naming the variable that is wrong.
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '@/lib/config';

function refusal(environment: Record<string, string>): string {
  try {
    parseConfig(environment);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
  it('gives every variable its default when the environment is empty', () => {
    const config = parseConfig({});
    expect(config).toMatchObject({
      PORT: 3000,
      NODE_ENV: 'development',
      SOCKSCOPE_LOG_LEVEL: 'info',
      SOCKSCOPE_LOCAL_COLLECTOR: true,
      SOCKSCOPE_INGEST_RATE: { limit: 20, windowMs: 1_000 },
      retention: { unchangedDays: 30, changedDays: 365 },
    });
    expect(config.dataDir).toMatch(/\/data$/);
    expect(config.SOCKSCOPE_ADMIN_PASSWORD).toBeUndefined();
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it('reads the variables that were read apart before: the first admin password, the Redis prefix, the ingest rate', () => {
    const config = parseConfig({ SOCKSCOPE_ADMIN_PASSWORD: 'preset-password-1', SOCKSCOPE_REDIS_PREFIX: 'node-a', SOCKSCOPE_INGEST_RATE: '0' });
    expect(config.SOCKSCOPE_ADMIN_PASSWORD).toBe('preset-password-1');
    expect(config.SOCKSCOPE_REDIS_PREFIX).toBe('node-a');
    expect(config.SOCKSCOPE_INGEST_RATE).toBeNull();
  });

  it('takes a set but empty variable for an unset one', () => {
    const config = parseConfig({ DATABASE_URL: '', SOCKSCOPE_ADMIN_PASSWORD: '', SOCKSCOPE_REDIS_PREFIX: '' });
    expect([config.DATABASE_URL, config.SOCKSCOPE_ADMIN_PASSWORD, config.SOCKSCOPE_REDIS_PREFIX]).toEqual([undefined, undefined, undefined]);
  });

  it('refuses a malformed variable with one sentence that names it', () => {
    expect(refusal({ SOCKSCOPE_INGEST_RATE: 'fast' })).toBe(
      'Environment variable SOCKSCOPE_INGEST_RATE must look like 120/min, 5/s or 3000/h (0 turns the limit off).',
    );
    expect(refusal({ DATABASE_URL: 'mysql://db' })).toBe('Environment variable DATABASE_URL must be a postgres:// or postgresql:// URL.');
    expect(refusal({ SOCKSCOPE_LOG_LEVEL: 'loud' })).toMatch(/^Environment variable SOCKSCOPE_LOG_LEVEL /);
    expect(refusal({ PORT: '70000' })).toMatch(/^Environment variable PORT /);
    // A target traceroute would read as an option is no target.
    expect(refusal({ SOCKSCOPE_LOCAL_TRACEROUTE_TARGETS: '192.0.2.1,-f1' })).toBe(
      'Environment variable SOCKSCOPE_LOCAL_TRACEROUTE_TARGETS must be host names or IP addresses, comma-separated (at most 64).',
    );
  });

  it("reads the built-in collector's traceroute targets as a list, none by default", () => {
    expect(parseConfig({}).SOCKSCOPE_LOCAL_TRACEROUTE_TARGETS).toEqual([]);
    expect(parseConfig({ SOCKSCOPE_LOCAL_TRACEROUTE_TARGETS: ' 192.0.2.1, gw.example.org ,' }).SOCKSCOPE_LOCAL_TRACEROUTE_TARGETS).toEqual([
      '192.0.2.1',
      'gw.example.org',
    ]);
  });
});
