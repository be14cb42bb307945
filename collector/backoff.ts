// Full jitter ("Exponential Backoff And Jitter", AWS): a random wait in [0, min(cap, base·2^n)],
// so hundreds of collectors coming back after an outage do not hit the server in step.
export interface BackoffOptions {
  baseMs: number;
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1_000, capMs: 5 * 60_000 };

/** Upper bound of the wait after `failedAttempts` consecutive failures (1 = first failure). */
export function backoffCeilingMs(failedAttempts: number, options: BackoffOptions = DEFAULT_BACKOFF): number {
  const exponent = Math.min(Math.max(failedAttempts - 1, 0), 30);
  return Math.min(options.capMs, options.baseMs * 2 ** exponent);
}

export function backoffDelayMs(failedAttempts: number, options: BackoffOptions = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  return Math.floor(random() * backoffCeilingMs(failedAttempts, options));
}
