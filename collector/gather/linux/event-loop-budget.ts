// The gatherer also runs inside the Sockscope server (the built-in local collector), so a long
// synchronous scan must not freeze its event loop: work in slices and yield between them.

/** Longest stretch of synchronous work between two yields. */
const DEFAULT_SLICE_MILLISECONDS = 10;

/** A monotonic clock in milliseconds; not performance.now(), whose first use loads perf_hooks (a dozen modules). */
export function monotonicMilliseconds(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

export interface EventLoopBudget {
  isSpent: () => boolean;
  /** Lets pending I/O and timers run, then starts a new slice. */
  yieldToEventLoop: () => Promise<void>;
}

export function createEventLoopBudget(sliceMilliseconds: number = DEFAULT_SLICE_MILLISECONDS): EventLoopBudget {
  let sliceStartedAt = monotonicMilliseconds();
  return {
    isSpent: () => monotonicMilliseconds() - sliceStartedAt >= sliceMilliseconds,
    async yieldToEventLoop() {
      // The global setImmediate: node:timers/promises would cost a one-shot run its loading.
      await new Promise<void>((resolve) => setImmediate(resolve));
      sliceStartedAt = monotonicMilliseconds();
    },
  };
}
