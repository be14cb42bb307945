// A fixed-window counter per key, in memory: enough to slow password guessing and a runaway
// collector on one node (each node counts its own).
export interface RateDecision {
  isAllowed: boolean;
  /** Whole seconds until the key's window starts afresh (what Retry-After should say). */
  retryAfterSeconds: number;
}

export interface WindowCount {
  /** Attempts counted in the key's current window (0 when it has none). */
  count: number;
  /** Whole seconds until that window ends (0 when there is none). */
  secondsLeft: number;
}

export class RateLimiter {
  private readonly windows = new Map<string, { startedAt: number; count: number }>();

  constructor(
    readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Counts one attempt and says whether it is within the key's limit for the current window. */
  take(key: string, now = Date.now()): RateDecision {
    let window = this.currentWindow(key, now);
    if (!window) {
      if (this.windows.size > 100_000) this.prune(now);
      window = { startedAt: now, count: 0 };
      this.windows.set(key, window);
    }
    window.count += 1;
    return { isAllowed: window.count <= this.limit, retryAfterSeconds: this.secondsLeft(window.startedAt, now) };
  }

  /** Counts one attempt; false when the key is over its limit in the current window. */
  tryTake(key: string, now = Date.now()): boolean {
    return this.take(key, now).isAllowed;
  }

  /** The key's current count, without counting an attempt. */
  peek(key: string, now = Date.now()): WindowCount {
    const window = this.currentWindow(key, now);
    return window ? { count: window.count, secondsLeft: this.secondsLeft(window.startedAt, now) } : { count: 0, secondsLeft: 0 };
  }

  private currentWindow(key: string, now: number) {
    const window = this.windows.get(key);
    return window && now - window.startedAt < this.windowMs ? window : undefined;
  }

  private secondsLeft(startedAt: number, now: number): number {
    return Math.max(1, Math.ceil((startedAt + this.windowMs - now) / 1000));
  }

  private prune(now: number): void {
    for (const [key, window] of this.windows) if (now - window.startedAt >= this.windowMs) this.windows.delete(key);
  }
}
