// Starts a TypeScript module on a worker thread: tsx's loader, registered with `--import tsx` in
// the main thread, does not reach workers, so each worker registers it before importing its module.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.module);
