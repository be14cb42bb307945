// Builds the Next.js dashboard when the build is missing or older than its sources.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));
const buildId = path.join(root, process.env.SOCKSCOPE_DIST_DIR ?? '.next', 'BUILD_ID');
const sourceDirs = ['app', 'components', 'lib', 'public'];
const sourceFiles = ['next.config.ts', 'package-lock.json', 'postcss.config.mjs', 'tsconfig.json'];

function newestMtime(target) {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(target)) {
    if (entry === 'generated' || entry === 'node_modules') continue;
    newest = Math.max(newest, newestMtime(path.join(target, entry)));
  }
  return newest;
}

function isBuildStale() {
  if (!existsSync(buildId)) return true;
  const builtAt = statSync(buildId).mtimeMs;
  const newestSource = Math.max(...[...sourceDirs, ...sourceFiles].map((entry) => newestMtime(path.join(root, entry))));
  return newestSource > builtAt;
}

export function buildIfStale() {
  if (process.env.SOCKSCOPE_SKIP_BUILD === '1' || !isBuildStale()) return;
  console.log('[sockscope] building the dashboard (first start or sources changed)…');
  const build = spawnSync(process.execPath, [path.join(root, 'node_modules/next/dist/bin/next'), 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
