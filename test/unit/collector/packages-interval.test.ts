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

describe('packagesInterval setting', () => {
  it('is hourly by default, like the OSPatrol recipe', () => {
    expect(loadConfig({ env: {} }).config.packagesIntervalSeconds).toBe(3600);
  });

  it('comes from the config file, SOCKSCOPE_PACKAGES_INTERVAL or --packages-interval, flags first; 0 turns it off', () => {
    const file = path.join(dir, 'collector.json');
    writeFileSync(file, JSON.stringify({ packagesInterval: 600 }), { mode: 0o600 });
    expect(loadConfig({ flags: { config: file }, env: {} }).config.packagesIntervalSeconds).toBe(600);
    expect(loadConfig({ flags: { config: file }, env: { SOCKSCOPE_PACKAGES_INTERVAL: '0' } }).config.packagesIntervalSeconds).toBe(0);
    const flags = { config: file, packagesInterval: '7200' };
    expect(loadConfig({ flags, env: { SOCKSCOPE_PACKAGES_INTERVAL: '0' } }).config.packagesIntervalSeconds).toBe(7200);
  });

  it('names the setting when the value is not a number of seconds', () => {
    expect(() => loadConfig({ env: { SOCKSCOPE_PACKAGES_INTERVAL: 'hourly' } })).toThrow(
      'bad config: SOCKSCOPE_PACKAGES_INTERVAL must be a number of seconds from 0 (off) to 86400',
    );
    expect(() => loadConfig({ flags: { packagesInterval: '90000' }, env: {} })).toThrow(/--packages-interval must be/);
  });
});
