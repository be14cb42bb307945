// The daemon (`run`) on every host should hold little memory between snapshots.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * V8 grows its young generation up to 16 MiB per half while a program allocates, and keeps it. Held
 * at its first size, a scavenge runs more often but frees as much, and the daemon's peak RSS is lower
 * (bench/README.md, the collector). V8 reads the factor each time it would grow the space, so setting
 * it at runtime works; the sooner it is set, the less the space has grown already.
 */
export function keepYoungGenerationSmall(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}

let collectGarbage: (() => void) | undefined;

/**
 * Frees what the last snapshot left behind before the daemon sleeps until the next. V8 collects its
 * old generation when it is full or the process has been idle a while, so the garbage of a few
 * snapshots in a row can pile up first. Collected at once it costs 15–40 ms per interval on a 2-core
 * machine (bench/README.md) and keeps the daemon's peak at about one snapshot's worth. `gc` exists only with --expose-gc, which can
 * be turned on at runtime and is then reachable from a new context.
 */
export function releaseMemory(): void {
  if (collectGarbage === undefined) {
    setFlagsFromString('--expose-gc');
    collectGarbage = runInNewContext('gc') as () => void;
  }
  collectGarbage();
}
