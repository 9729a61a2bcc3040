import type { RateLimitDecision, RateLimitStore } from '../../core/rate-limit.js';

/** One key's recent hits (oldest first; appended in clock order, so always sorted) and its window. */
interface HitLog {
  hits: number[];
  windowMs: number;
}

const SWEEP_INTERVAL_MS = 60_000;

/**
 * Sliding-window log in process memory: the exact twin of the Redis script (a hit `windowMs` old has left the
 * window; a refusal waits until the oldest hit leaves). `hit` does all its work synchronously, which is what
 * makes it atomic within one process. Counts are per process: several replicas need the Redis store.
 */
export class MemoryRateLimitStore implements RateLimitStore {
  readonly #logs = new Map<string, HitLog>();
  readonly #now: () => number;
  readonly #sweeper: NodeJS.Timeout;

  /** `now` is injectable so tests can place hits at exact instants; it must never go backwards. */
  constructor(now: () => number = () => performance.now()) {
    this.#now = now;
    // Keys nobody hits again would otherwise stay forever (one per principal, IP, run).
    this.#sweeper = setInterval(() => this.sweep(), SWEEP_INTERVAL_MS).unref();
  }

  async hit(key: string, limit: number, windowMs: number): Promise<RateLimitDecision> {
    const now = this.#now();
    let log = this.#logs.get(key);
    if (log === undefined) {
      log = { hits: [], windowMs };
      this.#logs.set(key, log);
    }
    log.windowMs = windowMs;
    dropExpired(log.hits, now - windowMs);
    if (log.hits.length < limit) {
      log.hits.push(now);
      return { allowed: true, remaining: limit - log.hits.length, retryAfterMs: 0 };
    }
    const oldest = log.hits[0] ?? now;
    return { allowed: false, remaining: 0, retryAfterMs: oldest + windowMs - now };
  }

  /** Forgets keys whose every hit has left the window. Runs every minute; callable directly. */
  sweep(): void {
    const now = this.#now();
    for (const [key, log] of this.#logs) {
      const newest = log.hits.at(-1);
      if (newest === undefined || newest <= now - log.windowMs) this.#logs.delete(key);
    }
  }

  /** How many keys are tracked (for tests and debugging: it must not grow without bound). */
  get size(): number {
    return this.#logs.size;
  }

  async close(): Promise<void> {
    clearInterval(this.#sweeper);
    this.#logs.clear();
  }
}

/** Removes the hits at or before `cutoff` from the front of a sorted log. */
function dropExpired(hits: number[], cutoff: number): void {
  let expired = 0;
  while (expired < hits.length && (hits[expired] ?? Number.POSITIVE_INFINITY) <= cutoff) expired++;
  if (expired > 0) hits.splice(0, expired);
}
