// Bench-only preload for the server (node --import tsx --import ./bench/ts-worker-preload.mjs):
// on Node 20, tsx's hooks (node --import tsx) do not reach worker threads (privatenumber/tsx#354),
// so the server's ingest workers (lib/ingest/ingest-runner.ts: new Worker('…/ingest-worker.ts'))
// fail with ERR_UNKNOWN_FILE_EXTENSION and `npm start` on PostgreSQL cannot start. Until that is
// fixed in the server, this starts a worker whose entry is a .ts file through a small ES module
// that registers tsx inside the worker first, then imports the same entry — the same code on the
// same threads. Newer Node versions carry the hooks into workers themselves; this then does nothing.
import { syncBuiltinESMExports } from 'node:module';
import workerThreads from 'node:worker_threads';

const ENTRY_FLAG = '--bench-ts-worker-entry=';
const OriginalWorker = workerThreads.Worker;
const isTypeScript = (filename) => /\.(c|m)?ts$/.test(filename instanceof URL ? filename.pathname : String(filename));

class TypeScriptWorker extends OriginalWorker {
  constructor(filename, options = {}) {
    if (!isTypeScript(filename) || options.eval) {
      super(filename, options);
      return;
    }
    const entry = filename instanceof URL ? filename.href : new URL(filename, `file://${process.cwd()}/`).href;
    super(new URL('./ts-worker-entry.mjs', import.meta.url), { ...options, argv: [...(options.argv ?? []), `${ENTRY_FLAG}${entry}`] });
  }
}

workerThreads.Worker = TypeScriptWorker;
syncBuiltinESMExports();
