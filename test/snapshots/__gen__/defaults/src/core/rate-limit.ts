/**
 * Storage for sliding-window limits. Backends (memory, Redis) implement it; the limiters that use it do not
 * know which one they have, so switching backend is a feature switch, not a change to any tool.
 */
export interface RateLimitDecision {
  allowed: boolean;
  /** Hits still available in the window after this one (0 when refused). */
  remaining: number;
  /** When refused: milliseconds until the oldest hit leaves the window and a slot frees. */
  retryAfterMs: number;
}

export interface HitOptions {
  /** Aborts when the call ends (the client cancelling, shutdown): a store waits for its backend no longer. */
  signal?: AbortSignal;
  /**
   * The call's deadline (a `performance.now()` instant): a store that waits on a backend waits no later. An
   * instant rather than a timer signal, since a store that never waits (memory) must not pay for a timer.
   */
  deadline?: number;
}

export interface RateLimitStore {
  /** Atomically: if fewer than `limit` hits happened under `key` in the last `windowMs`, record one. */
  hit(key: string, limit: number, windowMs: number, options?: HitOptions): Promise<RateLimitDecision>;
  close(): Promise<void>;
}
