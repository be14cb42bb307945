// Bundles the collector into dist/collector.mjs: one file that runs with plain `node` on a host
// with no repo checkout and no node_modules (`node collector.mjs run ...`).
import { statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outfile = path.join(root, 'dist', 'collector.mjs');

// Bundled CommonJS dependencies (commander) call require() for Node built-ins; ESM has no require.
const banner = [
  '#!/usr/bin/env node',
  "import { createRequire as __sockscopeCreateRequire } from 'node:module';",
  "import { fileURLToPath as __sockscopeFileURLToPath } from 'node:url';",
  "import { dirname as __sockscopeDirname } from 'node:path';",
  'const require = __sockscopeCreateRequire(import.meta.url);',
  'const __filename = __sockscopeFileURLToPath(import.meta.url);',
  'const __dirname = __sockscopeDirname(__filename);',
].join('\n');

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

await build({
  absWorkingDir: root,
  entryPoints: ['collector/cli.ts'],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node18',
  banner: { js: banner },
  minify: false,
  sourcemap: false,
  legalComments: 'eof',
  logLevel: 'warning',
  plugins: [englishOnlyZodLocales],
});

const bytes = statSync(outfile).size;
console.log(`${path.relative(root, outfile)}: ${bytes} bytes (${(bytes / 1024).toFixed(1)} KiB)`);
