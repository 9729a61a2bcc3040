import { randomBytes } from 'node:crypto';
import { ToolError } from '../../core/errors.js';
import type { ReadinessCheck } from '../../core/feature.js';
import type { RateLimitDecision, RateLimitStore } from '../../core/rate-limit.js';
import { CONNECT_TIMEOUT_MS, type RedisClient, withTimeout } from './redis-client.js';
import type { FailurePolicy, RedisHealth } from './redis-health.js';

/** How long a fail-closed refusal tells the agent to wait: Redis usually returns within seconds. */
const OUTAGE_RETRY_AFTER_S = 5;

export interface RedisStoreOptions {
  /** Prepended to every key, so several servers can share one Redis. */
  keyPrefix: string;
  /** Bound on each Redis round trip. */
  timeoutMs: number;
  policy: FailurePolicy;
  health: RedisHealth;
}

/**
 * Limits shared by every replica: each hit is one atomic script on the Redis server, so N processes together
 * allow exactly `limit` hits per window. When Redis cannot answer in time the failure policy decides: let the
 * call through (fail-open) or refuse it with UPSTREAM_UNAVAILABLE (fail-closed).
 */
export class RedisRateLimitStore implements RateLimitStore {
  readonly #client: RedisClient;
  readonly #options: RedisStoreOptions;
  // Each hit needs a member unique across replicas: a random per-process tag and a counter are shorter than a
  // UUID per hit (the log holds up to `limit` of them per key).
  readonly #memberTag = randomBytes(6).toString('base64url');
  #sequence = 0;

  constructor(client: RedisClient, options: RedisStoreOptions) {
    this.#client = client;
    this.#options = options;
  }

  /** Connects, waiting at most a couple of seconds: a Redis that is down at boot is an outage, not a crash. */
  static async connect(client: RedisClient, options: RedisStoreOptions): Promise<RedisRateLimitStore> {
    // Without an 'error' listener the client's connection errors would crash the process.
    client.on('error', (error: unknown) => options.health.down(error));
    client.on('ready', () => options.health.up());
    await withTimeout(client.connect(), CONNECT_TIMEOUT_MS).catch(() => {});
    return new RedisRateLimitStore(client, options);
  }

  async hit(key: string, limit: number, windowMs: number): Promise<RateLimitDecision> {
    const { keyPrefix, timeoutMs, policy, health } = this.#options;
    const member = `${this.#memberTag}.${(this.#sequence++).toString(36)}`;
    try {
      const reply = this.#client.slidingWindowHit(`${keyPrefix}${key}`, windowMs, limit, member);
      const decision = await withTimeout(reply, timeoutMs);
      health.up();
      return decision;
    } catch (error) {
      health.affectedCall(error);
      if (policy === 'fail-closed') {
        throw new ToolError(
          'UPSTREAM_UNAVAILABLE',
          'Limits cannot be checked right now (Redis is unreachable).',
          {
            retryAfter: OUTAGE_RETRY_AFTER_S,
            cause: error,
          },
        );
      }
      return { allowed: true, remaining: limit, retryAfterMs: 0 };
    }
  }

  /** `/readyz`: down under fail-closed (this replica cannot serve tools); ready but degraded under fail-open. */
  readonly readiness: ReadinessCheck = {
    name: 'redis',
    check: async () => {
      const { timeoutMs, policy, health } = this.#options;
      try {
        await withTimeout(this.#client.ping(), timeoutMs);
        health.up();
        return { ok: true };
      } catch (error) {
        health.down(error);
        const detail = `Redis is unreachable: ${health.consequence}`;
        return policy === 'fail-open' ? { ok: true, degraded: true, detail } : { ok: false, detail };
      }
    },
  };

  async close(): Promise<void> {
    this.#options.health.close();
    // Close politely when connected; a Redis that hangs (or is away) must not hang the shutdown.
    if (!this.#client.isReady) return this.#client.destroy();
    await withTimeout(this.#client.close(), this.#options.timeoutMs).catch(() => this.#client.destroy());
  }
}
