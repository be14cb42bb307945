// The entry of a TypeScript worker started through bench/ts-worker-preload.mjs: tsx first, then the worker's own module.
import { register } from 'tsx/esm/api';

const ENTRY_FLAG = '--bench-ts-worker-entry=';
const entry = process.argv.find((argument) => argument.startsWith(ENTRY_FLAG))?.slice(ENTRY_FLAG.length);
if (!entry) throw new Error('bench/ts-worker-entry.mjs: no worker entry given');
register();
await import(entry);
