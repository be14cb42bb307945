// The gatherer also runs inside the Sockscope server (the built-in local collector), so a long
// synchronous scan must not freeze its event loop: work in slices and yield between them.
import { setImmediate as nextTurn } from 'node:timers/promises';

/** Longest stretch of synchronous work between two yields. */
const DEFAULT_SLICE_MILLISECONDS = 10;

export interface EventLoopBudget {
  isSpent: () => boolean;
  /** Lets pending I/O and timers run, then starts a new slice. */
  yieldToEventLoop: () => Promise<void>;
}

export function createEventLoopBudget(sliceMilliseconds: number = DEFAULT_SLICE_MILLISECONDS): EventLoopBudget {
  let sliceStartedAt = performance.now();
  return {
    isSpent: () => performance.now() - sliceStartedAt >= sliceMilliseconds,
    async yieldToEventLoop() {
      await nextTurn();
      sliceStartedAt = performance.now();
    },
  };
}
