// `npm test`: type check, lint, format check and unused code (knip), unit tests, then integration
// tests on the embedded database and — when DATABASE_URL is set — on that PostgreSQL too, then the
// browser tests. `npm test -- e2e` (what `npm run test:e2e` calls) runs the browser tests alone.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildIfStale, root } from './lib/build.mjs';

const only = process.argv[2];
const postgresUrl = process.env.DATABASE_URL || '';
const reportDir = mkdtempSync(path.join(os.tmpdir(), 'sockscope-test-report-'));
const totals = { passed: 0, failed: 0, skipped: 0 };
let failedSteps = [];

function run(title, command, args, env = {}) {
  console.log(`\n━━ ${title} ━━`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.status !== 0) failedSteps.push(title);
  return result.status === 0;
}

function vitest(title, project, env = {}, extraArgs = []) {
  const report = path.join(reportDir, `${title.replace(/\W+/g, '-')}.json`);
  run(
    title,
    process.execPath,
    ['node_modules/vitest/vitest.mjs', 'run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...extraArgs],
    env,
  );
  try {
    const summary = JSON.parse(readFileSync(report, 'utf8'));
    totals.passed += summary.numPassedTests;
    totals.failed += summary.numFailedTests;
    totals.skipped += summary.numPendingTests + summary.numTodoTests;
  } catch {
    totals.failed += 1;
  }
}

const databases = postgresUrl ? ['postgres', 'pglite'] : ['pglite'];
const e2eDatabase = postgresUrl ? 'postgres' : 'pglite';
const dbEnv = (kind) => ({ TEST_DB: kind, TEST_DATABASE_URL: postgresUrl, DATABASE_URL: '' });

if (only !== 'e2e') {
  run('type check', process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit', '-p', '.']);
  // Without `npm run lint`'s cache: a cached file is not linted again when a type it uses changes elsewhere.
  run('lint', process.execPath, ['node_modules/eslint/bin/eslint.js', '--max-warnings', '0', '.']);
  run('format check', process.execPath, ['node_modules/prettier/bin/prettier.cjs', '--check', '.']);
  run('unused code', process.execPath, ['node_modules/knip/bin/knip.js']);
  vitest('unit', 'unit');
}
buildIfStale();
// Collector and gathering tests use no database: once is enough. Tests under postgres/ need an
// external PostgreSQL (they reach into it from outside the server).
const databaseFreeTests = ['--exclude', 'test/integration/collector/**', '--exclude', 'test/integration/gather/**'];
const postgresOnlyTests = ['--exclude', 'test/integration/postgres/**'];
if (only !== 'e2e') {
  databases.forEach((kind, index) =>
    vitest(`integration (${kind})`, 'integration', dbEnv(kind), [...(index === 0 ? [] : databaseFreeTests), ...(kind === 'pglite' ? postgresOnlyTests : [])]),
  );
}
vitest(`browser (${e2eDatabase})`, 'e2e', dbEnv(e2eDatabase));

rmSync(reportDir, { recursive: true, force: true });
console.log(`\n${failedSteps.length === 0 ? 'All steps passed.' : `Failed steps: ${failedSteps.join(', ')}`}`);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failedSteps.length === 0 && totals.failed === 0 ? 0 : 1);
