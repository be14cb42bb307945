import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '@/collector/config';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'sockscope-config-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function writeConfig(content: unknown): string {
  const file = path.join(dir, 'collector.json');
  writeFileSync(file, JSON.stringify(content), { mode: 0o600 });
  return file;
}

describe('collectTimeWait setting', () => {
  it('is off by default: TIME_WAIT entries are connections already closed', () => {
    expect(loadConfig({ env: {} }).config.collectTimeWait).toBe(false);
  });

  it('comes from the config file, SOCKSCOPE_COLLECT_TIME_WAIT or --time-wait / --no-time-wait, flags first', () => {
    const file = writeConfig({ collectTimeWait: true });
    expect(loadConfig({ flags: { config: file }, env: {} }).config.collectTimeWait).toBe(true);
    expect(loadConfig({ flags: { config: file }, env: { SOCKSCOPE_COLLECT_TIME_WAIT: 'false' } }).config.collectTimeWait).toBe(false);
    expect(loadConfig({ flags: { timeWait: true }, env: { SOCKSCOPE_COLLECT_TIME_WAIT: '0' } }).config.collectTimeWait).toBe(true);
    expect(loadConfig({ flags: { config: file, timeWait: false }, env: { SOCKSCOPE_COLLECT_TIME_WAIT: 'yes' } }).config.collectTimeWait).toBe(false);
  });

  it('reads true, false, 1, 0, yes and no from the environment, in any case', () => {
    const fromEnv = (value: string) => loadConfig({ env: { SOCKSCOPE_COLLECT_TIME_WAIT: value } }).config.collectTimeWait;
    expect(['true', 'TRUE', '1', 'yes', ' Yes '].map(fromEnv)).toEqual([true, true, true, true, true]);
    expect(['false', 'False', '0', 'no'].map(fromEnv)).toEqual([false, false, false, false]);
  });

  it('names the setting when the value is not a yes or no', () => {
    expect(() => loadConfig({ env: { SOCKSCOPE_COLLECT_TIME_WAIT: 'sometimes' } })).toThrow(
      'bad config: SOCKSCOPE_COLLECT_TIME_WAIT must be true or false (1 or 0, yes or no in the environment)',
    );
    const file = writeConfig({ collectTimeWait: 'true' });
    expect(() => loadConfig({ flags: { config: file }, env: {} })).toThrow(/"collectTimeWait" in .*collector\.json must be true or false/);
  });
});
