// Bundles the collector into dist/collector.mjs: one file that runs with plain `node` on a host
// with no repo checkout and no node_modules (`node collector.mjs run ...`).
//
// The file starts with a small ES module (collector/launch-bundle.ts) that compiles the collector
// with a V8 code cache. The collector follows as CommonJS in `//` comments, a comment line per
// source line, twice: the bare `snapshot` alone, then all of it. Plain text, not packed: an admin
// can read what runs on their hosts, and a security tool that unpacks an encoded payload looks like
// what it hunts. CommonJS so that a Node built-in loads when code that needs it first runs, not all
// of them at start-up; whitespace minified (names kept) so that there are few lines to uncomment.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outfile = path.join(root, 'dist', 'collector.mjs');
/** Starts the line before each part of the bundle; collector/launch-bundle.ts looks for the same. */
const PART_MARKER = '// sockscope-collector-bundle:';

// zod re-exports every locale as `z.locales`, which defeats tree shaking (~360 KB). The collector only
// uses zod's built-in English messages, so the locale table is swapped for English alone.
const englishOnlyZodLocales = {
  name: 'english-only-zod-locales',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) => {
      if (!args.importer.includes(`${path.sep}node_modules${path.sep}zod${path.sep}`)) return undefined;
      return { path: path.join(path.dirname(args.importer), '..', 'locales', 'index.js'), namespace: 'zod-locales' };
    });
    pluginBuild.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(path.join(path.dirname(args.path), 'en.js'))};`,
      loader: 'js',
      resolveDir: path.dirname(args.path),
    }));
  },
};

/**
 * One part of the bundle as CommonJS, wrapped the way Node wraps a CommonJS module: the collector
 * (collector/cli.ts), or the bare `snapshot` alone, from `contents`.
 */
async function buildPart(entry) {
  const result = await build({
    absWorkingDir: root,
    ...entry,
    write: false,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    minifyWhitespace: true,
    sourcemap: false,
    legalComments: 'eof',
    // import() of a Node built-in becomes require(): vm.Script has no module loader behind import().
    supported: { 'dynamic-import': false },
    logLevel: 'warning',
    metafile: true,
    plugins: [englishOnlyZodLocales],
  });
  // vm.Script has no module loader behind an import() left in the bundle, and esbuild warns of an
  // import.meta it cannot keep in CommonJS.
  const dynamicImports = Object.values(result.metafile.outputs).flatMap((output) => output.imports.filter((entry) => entry.kind === 'dynamic-import'));
  if (dynamicImports.length > 0 || result.warnings.length > 0) {
    throw new Error(
      `the collector bundle cannot run from a string: ${JSON.stringify({ dynamicImports, warnings: result.warnings.map((warning) => warning.text) })}`,
    );
  }
  const source = `(function (exports, require, module, __filename, __dirname) {${result.outputFiles[0].text}\n})`;
  // A line comment ends at any line terminator, and the launcher reads the file as latin1.
  if (/[^\n\t\x20-\x7e]/.test(source)) throw new Error('the collector bundle holds characters other than printable ASCII, tab and newline');
  return source;
}

const parts = {
  snapshot: await buildPart({
    stdin: {
      contents: "import { runBareSnapshot } from './collector/commands/print-snapshot';\nvoid runBareSnapshot();\n",
      resolveDir: root,
      sourcefile: 'bare-snapshot-main.ts',
      loader: 'ts',
    },
  }),
  collector: await buildPart({ entryPoints: ['collector/cli.ts'] }),
};
// Names the code cache: a cache made from another build is never read.
const buildId = createHash('sha256').update(parts.snapshot).update(parts.collector).digest('hex').slice(0, 16);
const launcher = await build({
  absWorkingDir: root,
  stdin: {
    contents: `import { launchBundle } from './collector/launch-bundle';\nlaunchBundle(import.meta.url, ${JSON.stringify(buildId)});\n`,
    resolveDir: root,
    sourcefile: 'collector-launcher.ts',
    loader: 'ts',
  },
  write: false,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node18',
  banner: { js: '#!/usr/bin/env node' },
  logLevel: 'warning',
});
const asComments = (source) =>
  source
    .split('\n')
    .map((line) => `//${line}`)
    .join('\n');
const launcherFile = [
  launcher.outputFiles[0].text,
  `${PART_MARKER} snapshot\n${asComments(parts.snapshot)}\n`,
  `${PART_MARKER} collector\n${asComments(parts.collector)}\n`,
].join('');
mkdirSync(path.dirname(outfile), { recursive: true });
writeFileSync(outfile, launcherFile);

const bytes = Buffer.byteLength(launcherFile);
console.log(`${path.relative(root, outfile)}: ${bytes} bytes (${(bytes / 1024).toFixed(1)} KiB), build ${buildId}`);
