export interface RateDecision {
  readonly allowed: boolean;
  /** Hits in the current window, this one included. */
  readonly count: number;
  readonly retryAfterMs: number;
}

/** Fixed-window counters: `limit` hits per `windowMs` per key. */
export interface RateLimiter {
  hit(key: string, limit: number, windowMs: number, now?: number): Promise<RateDecision>;
}

/** One process's counters: the embedded default. */
/** The shared counters cannot be reached: the throttle cannot decide, so the caller is refused (503). */
export class RateLimiterUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RateLimiterUnavailableError';
  }
}

export class MemoryRateLimiter implements RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();
  private prunedAt = -1;

  async hit(key: string, limit: number, windowMs: number, now = Date.now()): Promise<RateDecision> {
    const start = now - (now % windowMs);
    let window = this.windows.get(key);
    if (!window || window.start !== start) {
      window = { start, count: 0 };
      this.windows.set(key, window);
      // At most once per window: with over 100,000 keys all in the current window, pruning on
      // every new key would walk them all for nothing.
      if (this.windows.size > 100_000 && this.prunedAt !== start) this.prune(start);
    }
    window.count++;
    return { allowed: window.count <= limit, count: window.count, retryAfterMs: start + windowMs - now };
  }

  private prune(currentStart: number): void {
    this.prunedAt = currentStart;
    for (const [key, w] of this.windows) if (w.start < currentStart) this.windows.delete(key);
  }
}
