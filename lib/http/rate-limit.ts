// A fixed-window counter per key, in memory: enough to slow password guessing and a runaway
// collector on one node (each node counts its own).
export interface RateDecision {
  isAllowed: boolean;
  /** Whole seconds until the key's window starts afresh (what Retry-After should say). */
  retryAfterSeconds: number;
}

export class RateLimiter {
  private readonly windows = new Map<string, { startedAt: number; count: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Counts one attempt and says whether it is within the key's limit for the current window. */
  take(key: string, now = Date.now()): RateDecision {
    let window = this.windows.get(key);
    if (!window || now - window.startedAt >= this.windowMs) {
      if (this.windows.size > 100_000) this.prune(now);
      window = { startedAt: now, count: 0 };
      this.windows.set(key, window);
    }
    window.count += 1;
    const retryAfterSeconds = Math.max(1, Math.ceil((window.startedAt + this.windowMs - now) / 1000));
    return { isAllowed: window.count <= this.limit, retryAfterSeconds };
  }

  /** Counts one attempt; false when the key is over its limit in the current window. */
  tryTake(key: string, now = Date.now()): boolean {
    return this.take(key, now).isAllowed;
  }

  private prune(now: number): void {
    for (const [key, window] of this.windows) if (now - window.startedAt >= this.windowMs) this.windows.delete(key);
  }
}
