import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '@/collector/config';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'sockscope-config-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function writeConfig(content: unknown): string {
  const file = path.join(dir, 'collector.json');
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content), { mode: 0o600 });
  return file;
}

function configError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig precedence', () => {
  it('uses defaults when nothing is set', () => {
    const { config } = loadConfig({ env: {} });
    expect(config.intervalSeconds).toBe(60);
    expect(config.timeoutSeconds).toBe(15);
    expect(config.spoolMaxBytes).toBe(50 * 1024 * 1024);
    expect(config.spoolDir).toBe(path.join(os.homedir(), '.sockscope', 'spool'));
    expect(config.tracerouteTargets).toEqual([]);
  });

  it('lets flags override the environment, which overrides the file', () => {
    const file = writeConfig({ server: 'http://file.example', token: 'file-token', interval: 10, spoolDir: '/file/spool' });
    const env = { SOCKSCOPE_SERVER: 'http://env.example', SOCKSCOPE_INTERVAL: '20', SOCKSCOPE_SPOOL_DIR: '/env/spool' };
    const { config } = loadConfig({ flags: { config: file, interval: '30' }, env });
    expect(config.server).toBe('http://env.example');
    expect(config.token).toBe('file-token');
    expect(config.intervalSeconds).toBe(30);
    expect(config.spoolDir).toBe('/env/spool');
  });

  it('finds the config file through SOCKSCOPE_CONFIG too', () => {
    const file = writeConfig({ token: 'from-file' });
    expect(loadConfig({ env: { SOCKSCOPE_CONFIG: file } }).config.token).toBe('from-file');
  });

  it('splits comma-separated traceroute targets and accepts repeated flags', () => {
    const env = { SOCKSCOPE_TRACEROUTE_TARGETS: '127.0.0.1, ::1,,example.org' };
    expect(loadConfig({ env }).config.tracerouteTargets).toEqual(['127.0.0.1', '::1', 'example.org']);
    const flags = { traceroute: ['127.0.0.1', '::1,localhost'] };
    expect(loadConfig({ flags, env }).config.tracerouteTargets).toEqual(['127.0.0.1', '::1', 'localhost']);
  });

  it('treats an empty environment variable as unset', () => {
    const file = writeConfig({ interval: 5 });
    expect(loadConfig({ flags: { config: file }, env: { SOCKSCOPE_INTERVAL: '' } }).config.intervalSeconds).toBe(5);
  });

  it('expands ~ in the spool directory', () => {
    const { config } = loadConfig({ env: { SOCKSCOPE_SPOOL_DIR: '~/spool-here' } });
    expect(config.spoolDir).toBe(path.join(os.homedir(), 'spool-here'));
  });
});

describe('loadConfig validation', () => {
  it('names the environment variable that is wrong', () => {
    expect(configError(() => loadConfig({ env: { SOCKSCOPE_INTERVAL: 'soon' } }))).toMatch(/SOCKSCOPE_INTERVAL must be a number/);
    expect(configError(() => loadConfig({ env: { SOCKSCOPE_INTERVAL: '-5' } }))).toMatch(/SOCKSCOPE_INTERVAL/);
    expect(configError(() => loadConfig({ env: { SOCKSCOPE_SERVER: 'ftp://x' } }))).toMatch(/SOCKSCOPE_SERVER must be an http/);
  });

  it('names the flag that is wrong', () => {
    expect(configError(() => loadConfig({ flags: { interval: '0' }, env: {} }))).toMatch(/--interval must be/);
    expect(configError(() => loadConfig({ flags: { traceroute: ['-f'] }, env: {} }))).toMatch(/--traceroute must be/);
  });

  it('names the file key that is wrong, and unknown keys', () => {
    const badType = writeConfig({ interval: '60' });
    expect(configError(() => loadConfig({ flags: { config: badType }, env: {} }))).toMatch(/"interval" in .*collector\.json must be/);
    const typo = writeConfig({ intervall: 60 });
    expect(configError(() => loadConfig({ flags: { config: typo }, env: {} }))).toMatch(/unknown setting "intervall"/);
  });

  it('explains an unreadable or malformed config file', () => {
    expect(configError(() => loadConfig({ flags: { config: path.join(dir, 'missing.json') }, env: {} }))).toMatch(/missing\.json: no such file/);
    const broken = writeConfig('{ "server": ');
    expect(configError(() => loadConfig({ flags: { config: broken }, env: {} }))).toMatch(/not valid JSON/);
    const list = writeConfig([1, 2]);
    expect(configError(() => loadConfig({ flags: { config: list }, env: {} }))).toMatch(/one JSON object/);
  });

  it('says how to give a required setting that is missing', () => {
    const message = configError(() => loadConfig({ env: { SOCKSCOPE_SERVER: 'http://x' }, required: ['server', 'token'] }));
    expect(message).toBe('bad config: token is missing: pass --token, set SOCKSCOPE_TOKEN or "token" in the config file');
  });

  it('never echoes a bad token value', () => {
    const message = configError(() => loadConfig({ flags: { token: 'secret with spaces' }, env: {} }));
    expect(message).toMatch(/--token must be/);
    expect(message).not.toContain('secret');
  });

  it('warns when a config file holding the token is readable by others', () => {
    const file = writeConfig({ token: 'abcd1234' });
    chmodSync(file, 0o644);
    expect(loadConfig({ flags: { config: file }, env: {} }).warnings.join('\n')).toMatch(/chmod 600/);
    chmodSync(file, 0o600);
    expect(loadConfig({ flags: { config: file }, env: {} }).warnings).toEqual([]);
  });
});
