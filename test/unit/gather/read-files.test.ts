import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isOnSysfs, readBytes, readKernelText, readText, readUntrustedAttribute } from '../../../collector/gather/linux/read-files';

const directory = mkdtempSync(join(tmpdir(), 'sockscope-read-files-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('readText', () => {
  it('reads a file larger than its buffer completely', () => {
    const path = join(directory, 'large.txt');
    const content = 'x'.repeat(3 * 1024 * 1024 + 7);
    writeFileSync(path, content);
    expect(readText(path)).toBe(content);
    expect(readKernelText(path)).toBe(content);
  });

  it('decodes UTF-8 by default and latin1 on request', () => {
    const path = join(directory, 'utf8.txt');
    writeFileSync(path, 'läst ü');
    expect(readText(path)).toBe('läst ü');
    expect(readText(path, 'latin1')).toBe('lÃ¤st Ã¼');
  });

  it('returns null for a file that is gone or a path through a file', () => {
    expect(readText(join(directory, 'missing'))).toBeNull();
    const file = join(directory, 'plain');
    writeFileSync(file, '');
    expect(readText(join(file, 'below'))).toBeNull();
  });

  it('returns an empty string for an empty file', () => {
    const path = join(directory, 'empty');
    writeFileSync(path, '');
    expect(readText(path)).toBe('');
  });

  it('throws on errors that are not part of a normal scan', () => {
    expect(() => readText(directory)).toThrow(/EISDIR/);
  });
});

describe('readBytes', () => {
  it('returns a copy that later reads do not overwrite', () => {
    const first = join(directory, 'first.bin');
    const second = join(directory, 'second.bin');
    writeFileSync(first, Buffer.from([1, 2, 3]));
    writeFileSync(second, Buffer.from([9, 9, 9]));
    const bytes = readBytes(first);
    readBytes(second);
    expect([...(bytes ?? [])]).toEqual([1, 2, 3]);
  });
});

describe('readUntrustedAttribute', () => {
  it('reads the first page of a regular file', () => {
    const path = join(directory, 'flags');
    writeFileSync(path, `0x1003\n${'x'.repeat(10_000)}`);
    const text = readUntrustedAttribute(path);
    expect(text?.startsWith('0x1003\n')).toBe(true);
    expect(text).toHaveLength(4096);
  });

  it('refuses a symbolic link, a directory and a FIFO, without blocking on the FIFO', () => {
    const target = join(directory, 'secret');
    writeFileSync(target, 'not for the snapshot');
    symlinkSync(target, join(directory, 'link'));
    mkdirSync(join(directory, 'a-directory'));
    execFileSync('mkfifo', [join(directory, 'fifo')]);
    expect(readUntrustedAttribute(join(directory, 'link'))).toBeNull();
    expect(readUntrustedAttribute(join(directory, 'a-directory'))).toBeNull();
    expect(readUntrustedAttribute(join(directory, 'fifo'))).toBeNull();
    expect(readUntrustedAttribute(join(directory, 'missing'))).toBeNull();
  });
});

describe('isOnSysfs', () => {
  it('tells sysfs from other file systems', () => {
    expect(isOnSysfs('/sys/class/net/lo')).toBe(true);
    expect(isOnSysfs(directory)).toBe(false);
    expect(isOnSysfs(join(directory, 'missing'))).toBe(false);
  });
});
