// How dist/collector.mjs starts (scripts/build-collector.mjs). The collector itself follows in the
// same file, as CommonJS in `//` comments, which cost the module parser little: compiled as code
// the same text costs a one-shot `snapshot` ~30 ms, scanned as a string literal ~8 ms. It comes
// twice, one comment line per source line: a bare `snapshot` (bare-snapshot.ts) alone, then the
// whole collector, as readable as any script an admin installs. Either part is compiled with a V8 code cache: the functions as they were at the end of the
// previous run of the same command. The cache is only a shortcut: a missing, damaged, foreign or
// stale one (another build, an edited file, another node) is ignored and written anew, and an
// unwritable cache directory only means compiling every time.
import { closeSync, fstatSync, openSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import { isBareSnapshot } from './bare-snapshot';
import { cacheDirectory, readCacheFile, readWhole, removeCacheFiles, writeCacheFile } from './cache-files';

/** Starts the line before each part; scripts/build-collector.mjs writes the same. */
const PART_MARKER = '// sockscope-collector-bundle:';
const LINE_PREFIX = '//';

/** The bare `snapshot` alone, and everything. */
export type BundlePart = 'snapshot' | 'collector';

type BundleFunction = (exports: object, require: NodeJS.Require, module: { exports: object }, filename: string, dirname: string) => void;

/** Each command compiles different functions, so each has its cache; help and mistakes have none. */
const CACHED_COMMANDS = new Set(['snapshot', 'run', 'parse', 'import']);
const CODE_CACHE_PREFIX = 'code-';

/** One part's source from the launcher file's bytes (ASCII only); null when the file holds no such part. */
export function readBundleSource(file: Buffer, part: BundlePart): string | null {
  const header = `\n${PART_MARKER} ${part}\n${LINE_PREFIX}`;
  const start = file.indexOf(header, 0, 'latin1');
  if (start < 0) return null;
  const next = file.indexOf(`\n${PART_MARKER} `, start + header.length, 'latin1');
  // Only this part is decoded, not the whole file.
  // The last part ends with the file's final newline, which is not part of the source.
  const end = next >= 0 ? next : file[file.length - 1] === 0x0a ? file.length - 1 : file.length;
  const text = file.toString('latin1', start + header.length, end);
  return text.replaceAll(`\n${LINE_PREFIX}`, '\n');
}

/** One cache file per build, command, architecture and V8 version (V8 refuses code cached by another version). */
export function codeCacheName(buildId: string, command: string): string {
  return `${CODE_CACHE_PREFIX}${buildId}-${command}-${process.arch}-v8-${process.versions.v8}.bin`;
}

export interface CodeCacheLocation {
  directory: string;
  name: string;
  /** The launcher file as it is now (size, mtime): code cached from it before it was edited is not used. */
  fileIdentity: string;
}

export interface CompiledBundle {
  script: Script;
  /** V8 took the cached code. */
  isCacheUsed: boolean;
  /** Writes the code compiled so far as the cache; false when it cannot be written. */
  saveCache: () => boolean;
}

function readCachedCode(cache: CodeCacheLocation): Buffer | undefined {
  const content = readCacheFile(cache.directory, cache.name);
  const identity = Buffer.from(`${cache.fileIdentity}\n`);
  return content !== null && content.subarray(0, identity.length).equals(identity) ? content.subarray(identity.length) : undefined;
}

export function compileBundle(source: string, filename: string, cache: CodeCacheLocation | null): CompiledBundle {
  const cachedData = cache === null ? undefined : readCachedCode(cache);
  const script = new Script(source, { filename, cachedData });
  return {
    script,
    isCacheUsed: cachedData !== undefined && script.cachedDataRejected === false,
    saveCache: () => {
      if (cache === null) return false;
      try {
        return writeCacheFile(cache.directory, cache.name, Buffer.concat([Buffer.from(`${cache.fileIdentity}\n`), script.createCachedData()]));
      } catch {
        return false;
      }
    },
  };
}

/** The launcher file's bytes, and its size and mtime. */
function readLauncherFile(filename: string): { bytes: Buffer; identity: string } {
  const fd = openSync(filename, 'r');
  try {
    const stats = fstatSync(fd);
    const bytes = readWhole(fd, stats.size);
    if (bytes === null) throw new Error(`${filename} changed while it was read; run it again`);
    return { bytes, identity: `${stats.size}:${stats.mtimeMs}` };
  } finally {
    closeSync(fd);
  }
}

/**
 * Runs the part of the bundle in the launcher file at `moduleUrl` that the command line asks for,
 * as node runs a CommonJS file; `buildId` is a digest of the bundle's source.
 */
export function launchBundle(moduleUrl: string, buildId: string, argv: readonly string[] = process.argv): void {
  const filename = fileURLToPath(moduleUrl);
  const launcherFile = readLauncherFile(filename);
  const part: BundlePart = isBareSnapshot(argv) ? 'snapshot' : 'collector';
  const bundleRequire = createRequire(moduleUrl);
  const source = readBundleSource(launcherFile.bytes, part);
  if (source === null) throw new Error(`${filename} holds no collector bundle: build it with \`npm run build:collector\``);
  const command = part === 'snapshot' ? 'bare-snapshot' : argv[2];
  const directory = cacheDirectory();
  const cache =
    directory !== null && command !== undefined && (part === 'snapshot' || CACHED_COMMANDS.has(command))
      ? { directory, name: codeCacheName(buildId, command), fileIdentity: launcherFile.identity }
      : null;
  const compiled = compileBundle(source, filename, cache);
  if (cache !== null && !compiled.isCacheUsed) {
    // By exit the functions this run needed are compiled too, and go into the cache.
    process.once('exit', () => {
      const isOtherBuild = (name: string) => name.startsWith(CODE_CACHE_PREFIX) && !name.startsWith(`${CODE_CACHE_PREFIX}${buildId}-`);
      if (compiled.saveCache()) removeCacheFiles(cache.directory, isOtherBuild);
    });
  }
  const bundleModule = { exports: {} };
  (compiled.script.runInThisContext() as BundleFunction)(bundleModule.exports, bundleRequire, bundleModule, filename, path.dirname(filename));
}
