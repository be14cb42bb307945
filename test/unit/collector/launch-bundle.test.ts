// The bundle's code cache is a shortcut only: the second run takes it, and a damaged, stale or
// unwritable one changes nothing but the time the run takes.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pathToFileURL } from 'node:url';
import { codeCacheName, compileBundle, launchBundle, readBundleSource, type CodeCacheLocation } from '@/collector/launch-bundle';

const require = createRequire(import.meta.url);

type Answer = (exports: object, require: NodeRequire, module: { exports: { answer?: number } }) => void;

const SOURCE = `(function (exports, require, module, __filename, __dirname) {
  function sum(values) { return values.reduce((total, value) => total + value, 0); }
  module.exports.answer = sum([20, 22]);
})`;

let directory: string;
let run = 0;

beforeEach(() => {
  directory = mkdtempSync(path.join(os.tmpdir(), 'sockscope-launch-'));
});

afterEach(() => {
  rmSync(directory, { recursive: true, force: true });
});

/** Compiles and runs SOURCE under a name V8 has not seen in this process (no in-memory compilation cache). */
function compileAndRun(cache: CodeCacheLocation | null) {
  run += 1;
  const compiled = compileBundle(SOURCE, path.join(directory, `collector-${run}.mjs`), cache);
  const bundleModule: { exports: { answer?: number } } = { exports: {} };
  (compiled.script.runInThisContext() as Answer)(bundleModule.exports, require, bundleModule);
  return { compiled, answer: bundleModule.exports.answer };
}

function location(overrides: Partial<CodeCacheLocation> = {}): CodeCacheLocation {
  return { directory: path.join(directory, 'cache'), name: codeCacheName('0123456789abcdef', 'snapshot'), fileIdentity: '1234:1700000000000', ...overrides };
}

describe('compileBundle', () => {
  it('compiles without a cache, saves one, and takes it the next time', () => {
    const first = compileAndRun(location());
    expect(first.answer).toBe(42);
    expect(first.compiled.isCacheUsed).toBe(false);
    expect(first.compiled.saveCache()).toBe(true);
    const second = compileAndRun(location());
    expect(second.answer).toBe(42);
    expect(second.compiled.isCacheUsed).toBe(true);
  });

  it('ignores a cache whose bytes were damaged (V8 itself would run them)', () => {
    compileAndRun(location()).compiled.saveCache();
    const file = path.join(location().directory, location().name);
    const damaged = readFileSync(file);
    for (let index = damaged.length - 64; index < damaged.length; index += 8) damaged[index] = (damaged[index] ?? 0) ^ 0xff;
    writeFileSync(file, damaged);
    const next = compileAndRun(location());
    expect(next.compiled.isCacheUsed).toBe(false);
    expect(next.answer).toBe(42);
  });

  it('ignores a cache made before the launcher file was edited', () => {
    compileAndRun(location()).compiled.saveCache();
    const edited = compileAndRun(location({ fileIdentity: '1234:1700000000001' }));
    expect(edited.compiled.isCacheUsed).toBe(false);
    expect(edited.answer).toBe(42);
  });

  it('runs all the same when the cache directory cannot be written', () => {
    writeFileSync(path.join(directory, 'not-a-directory'), '');
    const blocked = location({ directory: path.join(directory, 'not-a-directory', 'cache') });
    const first = compileAndRun(blocked);
    expect(first.compiled.saveCache()).toBe(false);
    const second = compileAndRun(blocked);
    expect(second.compiled.isCacheUsed).toBe(false);
    expect(second.answer).toBe(42);
  });

  it('keeps builds, commands and V8 versions apart', () => {
    const names = new Set([
      codeCacheName('0123456789abcdef', 'snapshot'),
      codeCacheName('fedcba9876543210', 'snapshot'),
      codeCacheName('0123456789abcdef', 'run'),
    ]);
    expect(names.size).toBe(3);
    expect(codeCacheName('0123456789abcdef', 'snapshot')).toContain(process.versions.v8);
  });
});

/** A launcher file laid out as scripts/build-collector.mjs lays it out. */
function launcherText(snapshotSource: string, collectorSource: string): string {
  return [
    '#!/usr/bin/env node',
    'launchBundle(import.meta.url, "0123456789abcdef");',
    '// sockscope-collector-bundle: snapshot',
    ...snapshotSource.split('\n').map((line) => `//${line}`),
    '// sockscope-collector-bundle: collector',
    ...collectorSource.split('\n').map((line) => `//${line}`),
    '',
  ].join('\n');
}

describe('readBundleSource', () => {
  const snapshotSource = '(function (exports, require, module, __filename, __dirname) {\n// a comment of the bundle itself\nsnapshot();\n})';
  const collectorSource = '(function (exports, require, module, __filename, __dirname) {\ncollector();\n})';

  it('takes the bare snapshot and the whole collector without their comment marks', () => {
    const file = Buffer.from(launcherText(snapshotSource, collectorSource));
    expect(readBundleSource(file, 'snapshot')).toBe(snapshotSource);
    expect(readBundleSource(file, 'collector')).toBe(collectorSource);
  });

  it('finds nothing in a file without the bundle', () => {
    expect(readBundleSource(Buffer.from('#!/usr/bin/env node\nconsole.log(1);\n'), 'snapshot')).toBeNull();
  });
});

describe('launchBundle', () => {
  const launched = globalThis as { launchedPart?: string; launchedWith?: string };
  const source = (name: string) =>
    [
      '(function (exports, require, module, __filename, __dirname) {',
      `globalThis.launchedPart = ${JSON.stringify(name)};`,
      'globalThis.launchedWith = require("node:path").basename(__filename);',
      '})',
    ].join('\n');

  it('runs the bare snapshot alone for `snapshot`, and the whole collector otherwise, with require and __filename', () => {
    const file = path.join(directory, 'collector.mjs');
    writeFileSync(file, launcherText(source('snapshot'), source('collector')));
    const previous = process.env.SOCKSCOPE_CACHE_DIR;
    process.env.SOCKSCOPE_CACHE_DIR = '';
    try {
      launchBundle(pathToFileURL(file).href, '0123456789abcdef', ['node', file, 'snapshot']);
      expect(launched).toMatchObject({ launchedPart: 'snapshot', launchedWith: 'collector.mjs' });
      launchBundle(pathToFileURL(file).href, '0123456789abcdef', ['node', file, 'snapshot', '--time-wait']);
      expect(launched.launchedPart).toBe('collector');
    } finally {
      if (previous === undefined) delete process.env.SOCKSCOPE_CACHE_DIR;
      else process.env.SOCKSCOPE_CACHE_DIR = previous;
      delete launched.launchedPart;
      delete launched.launchedWith;
    }
  });
});
