import { BoundedMap } from '../../core/bounded-map.js';
import type { RateLimitDecision, RateLimitStore } from '../../core/rate-limit.js';

/**
 * One key's recent hits and its window. `hits[head]` onwards are in the window (appended in clock order, so
 * sorted); expired ones before `head` are cut off in bulk, because removing the oldest from the front of an
 * array moves every other hit: with a generous limit that was microseconds per call (issue 15).
 */
interface HitLog {
  hits: number[];
  head: number;
  windowMs: number;
}

export interface MemoryStoreOptions {
  /**
   * Most keys held at once. Keys are chosen partly by callers (run IDs, anonymous addresses), so without a
   * bound memory grows with whatever they send; past it the least recently hit key is forgotten.
   */
  maxKeys?: number;
  /** Called for every key forgotten to stay under `maxKeys` (a metric, a sampled log line). */
  onEvict?: (key: string) => void;
}

const SWEEP_INTERVAL_MS = 60_000;
export const DEFAULT_MAX_KEYS = 50_000;

/**
 * Sliding-window log in process memory: the exact twin of the Redis script (a hit `windowMs` old has left the
 * window; a refusal waits until the oldest hit leaves). `hit` does all its work synchronously, which is what
 * makes it atomic within one process. Counts are per process: several replicas need the Redis store.
 * Bounded (a BoundedMap): the least recently hit key goes first when it is full.
 * Forgetting a key forgets its hits, so an evicted caller starts afresh; that is the price of a bound, and
 * why evictions are counted and logged.
 */
export class MemoryRateLimitStore implements RateLimitStore {
  readonly #logs: BoundedMap<string, HitLog>;
  readonly #now: () => number;
  readonly #sweeper: NodeJS.Timeout;

  /** `now` is injectable so tests can place hits at exact instants; it must never go backwards. */
  constructor(now: () => number = () => performance.now(), options: MemoryStoreOptions = {}) {
    this.#now = now;
    this.#logs = new BoundedMap(options.maxKeys ?? DEFAULT_MAX_KEYS, options.onEvict);
    // Keys nobody hits again would otherwise stay until evicted (one per principal, IP, run).
    this.#sweeper = setInterval(() => this.sweep(), SWEEP_INTERVAL_MS).unref();
  }

  async hit(key: string, limit: number, windowMs: number): Promise<RateLimitDecision> {
    let log = this.#logs.get(key);
    if (log === undefined) {
      log = { hits: [], head: 0, windowMs };
      this.#logs.set(key, log);
    }
    log.windowMs = windowMs;
    const decision = this.#decide(log, limit, windowMs);
    if (decision.allowed) {
      log.hits.push(this.#now());
      decision.remaining -= 1;
    }
    return decision;
  }

  /** What `hit` would decide, without recording a hit (for checks that count something else, e.g. failures). */
  peek(key: string, limit: number, windowMs: number): RateLimitDecision {
    const log = this.#logs.peek(key);
    if (log === undefined) return { allowed: limit > 0, remaining: limit, retryAfterMs: 0 };
    return this.#decide(log, limit, windowMs);
  }

  #decide(log: HitLog, limit: number, windowMs: number): RateLimitDecision {
    const now = this.#now();
    dropExpired(log, now - windowMs);
    const count = log.hits.length - log.head;
    if (count < limit) return { allowed: true, remaining: limit - count, retryAfterMs: 0 };
    const oldest = log.hits[log.head] ?? now;
    return { allowed: false, remaining: 0, retryAfterMs: oldest + windowMs - now };
  }

  /** Forgets keys whose every hit has left the window. Runs every minute; callable directly. */
  sweep(): void {
    const now = this.#now();
    for (const [key, log] of this.#logs.entries()) {
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

/**
 * Moves `head` past the hits at or before `cutoff`. The expired hits are cut off once they are at least half
 * of the array (and not a handful), so each hit is moved O(1) times on average, whatever the limit.
 */
function dropExpired(log: HitLog, cutoff: number): void {
  const { hits } = log;
  while (log.head < hits.length && (hits[log.head] ?? Number.POSITIVE_INFINITY) <= cutoff) log.head++;
  if (log.head === hits.length) {
    hits.length = 0;
    log.head = 0;
  } else if (log.head >= 64 && log.head * 2 >= hits.length) {
    hits.splice(0, log.head);
    log.head = 0;
  }
}
