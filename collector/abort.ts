// Small AbortSignal helpers that also run on Node 18 (the bundle's target), which lacks AbortSignal.any.

export interface LinkedSignal {
  signal: AbortSignal;
  /** Unhooks from the source signals, which may live much longer than this one. */
  dispose: () => void;
}

/** A signal that aborts when any of `signals` does. */
export function anySignal(signals: readonly (AbortSignal | undefined)[]): LinkedSignal {
  const controller = new AbortController();
  const unhooks: (() => void)[] = [];
  for (const signal of signals) {
    if (!signal) continue;
    if (signal.aborted) {
      controller.abort(signal.reason);
      break;
    }
    const onAbort = () => controller.abort(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    unhooks.push(() => signal.removeEventListener('abort', onAbort));
  }
  return { signal: controller.signal, dispose: () => unhooks.forEach((unhook) => unhook()) };
}

/** Waits `ms`, or less if `signal` aborts first; never rejects. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.max(0, ms),
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** A signal that aborts `delayMs` after `trigger` aborts: the bounded grace for work in flight. */
export function delayedSignal(trigger: AbortSignal, delayMs: number): AbortSignal {
  const controller = new AbortController();
  const start = () => {
    const timer = setTimeout(() => controller.abort(new Error('shutdown grace period over')), delayMs);
    timer.unref?.();
  };
  if (trigger.aborted) start();
  else trigger.addEventListener('abort', start, { once: true });
  return controller.signal;
}
