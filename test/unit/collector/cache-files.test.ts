// The cache directory holds what decides which code runs and which digest a binary is reported
// with: a file is believed only when it is whole, unchanged and nobody else could have written it.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cacheDirectory, readCacheFile, removeCacheFiles, writeCacheFile } from '@/collector/cache-files';

let directory: string;

beforeEach(() => {
  directory = path.join(mkdtempSync(path.join(os.tmpdir(), 'sockscope-cache-files-')), 'cache');
});

afterEach(() => {
  rmSync(path.dirname(directory), { recursive: true, force: true });
});

describe('cacheDirectory', () => {
  it('is SOCKSCOPE_CACHE_DIR, ~/.sockscope/cache without it, and none when it is empty', () => {
    expect(cacheDirectory({ SOCKSCOPE_CACHE_DIR: '/var/lib/sockscope/cache' })).toBe('/var/lib/sockscope/cache');
    expect(cacheDirectory({})).toBe(path.join(os.homedir(), '.sockscope', 'cache'));
    expect(cacheDirectory({ SOCKSCOPE_CACHE_DIR: '' })).toBeNull();
  });
});

describe('cache files', () => {
  it('reads back what was written, from a directory made private', () => {
    expect(readCacheFile(directory, 'kept.json')).toBeNull();
    expect(writeCacheFile(directory, 'kept.json', Buffer.from('{"a":1}'))).toBe(true);
    expect(readCacheFile(directory, 'kept.json')?.toString()).toBe('{"a":1}');
    expect(readdirSync(directory)).toEqual(['kept.json']);
  });

  it('ignores a file that was damaged or cut short', () => {
    writeCacheFile(directory, 'kept.json', Buffer.from('{"digest":"0123456789abcdef"}'));
    const file = path.join(directory, 'kept.json');
    const whole = readFileSync(file);
    const flipped = Buffer.from(whole);
    flipped[flipped.length - 3] = (flipped[flipped.length - 3] ?? 0) ^ 0x01;
    writeFileSync(file, flipped);
    expect(readCacheFile(directory, 'kept.json')).toBeNull();
    writeFileSync(file, whole.subarray(0, whole.length - 1));
    expect(readCacheFile(directory, 'kept.json')).toBeNull();
    writeFileSync(file, 'not a cache file at all');
    expect(readCacheFile(directory, 'kept.json')).toBeNull();
  });

  it('ignores a file that others may write, or that sits in a directory others may write to', () => {
    writeCacheFile(directory, 'kept.json', Buffer.from('[]'));
    chmodSync(path.join(directory, 'kept.json'), 0o666);
    expect(readCacheFile(directory, 'kept.json')).toBeNull();
    chmodSync(path.join(directory, 'kept.json'), 0o600);
    chmodSync(directory, 0o777);
    expect(readCacheFile(directory, 'kept.json')).toBeNull();
    expect(writeCacheFile(directory, 'kept.json', Buffer.from('[1]'))).toBe(false);
  });

  it('reports a directory it cannot create as unwritable, without throwing', () => {
    const blocked = path.join(path.dirname(directory), 'a-file');
    writeFileSync(blocked, '');
    expect(writeCacheFile(path.join(blocked, 'cache'), 'kept.json', Buffer.from('[]'))).toBe(false);
    expect(readCacheFile(path.join(blocked, 'cache'), 'kept.json')).toBeNull();
  });

  it('removes only the files it is told to', () => {
    mkdirSync(directory, { recursive: true });
    writeCacheFile(directory, 'code-old-snapshot.bin', Buffer.from('x'));
    writeCacheFile(directory, 'code-new-snapshot.bin', Buffer.from('y'));
    removeCacheFiles(directory, (name) => name.startsWith('code-old-'));
    expect(readdirSync(directory)).toEqual(['code-new-snapshot.bin']);
  });
});
