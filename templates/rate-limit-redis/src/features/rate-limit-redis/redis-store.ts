import { randomBytes } from 'node:crypto';
import { ToolError } from '../../core/errors.js';
import type { ReadinessCheck } from '../../core/feature.js';
import type { HitOptions, RateLimitDecision, RateLimitStore } from '../../core/rate-limit.js';
import type { MemoryRateLimitStore } from '../rate-limit/memory-store.js';
import { CONNECT_TIMEOUT_MS, type RedisClient, untilAborted, withTimeout } from './redis-client.js';
import type { RedisHealth } from './redis-health.js';

/** How long a fail-closed refusal tells the agent to wait: Redis usually returns within seconds. */
const OUTAGE_RETRY_AFTER_S = 5;
/** A probe PING unanswered this long counts as one failed check (Kubernetes gives /readyz 3 s). */
const PROBE_TIMEOUT_MS = 1000;
/** While the circuit is open, calls send a probe at most this often, so recovery needs no readiness probe. */
const PROBE_INTERVAL_MS = 500;

export interface RedisStoreOptions {
  /** Prepended to every key, so several servers can share one Redis. */
  keyPrefix: string;
  /** A reply later than this is reported as slow; the call still waits for it (up to its own deadline). */
  timeoutMs: number;
  /** How many replicas share the limits: during a fail-open outage each enforces 1/N of every limit. */
  replicasHint: number;
  health: RedisHealth;
  /** Where fail-open counts while Redis is down (bounded, like every memory store; the store closes it). */
  fallback: MemoryRateLimitStore;
}

/**
 * Limits shared by every replica: each hit is one atomic script on the Redis server, so N processes together
 * allow exactly `limit` hits per window. A slow reply is waited for (a refusal must never become an
 * allowance because the machine is busy); only when Redis is down (see RedisHealth) does the failure policy
 * decide: fail-open falls back to an in-memory limiter at this replica's share of each limit, fail-closed
 * refuses with UPSTREAM_UNAVAILABLE.
 */
export class RedisRateLimitStore implements RateLimitStore {
  readonly #client: RedisClient;
  readonly #options: RedisStoreOptions;
  // Each hit needs a member unique across replicas: a random per-process tag and a counter are shorter than a
  // UUID per hit (the log holds up to `limit` of them per key).
  readonly #memberTag = randomBytes(6).toString('base64url');
  #sequence = 0;
  #probe: { at: number; pending: boolean } = { at: 0, pending: false };

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

  async hit(
    key: string,
    limit: number,
    windowMs: number,
    options: HitOptions = {},
  ): Promise<RateLimitDecision> {
    const { keyPrefix, timeoutMs, health } = this.#options;
    if (!health.reachable) {
      this.#probeWhileDown();
      return this.#withoutRedis(key, limit, windowMs, undefined);
    }
    const member = `${this.#memberTag}.${(this.#sequence++).toString(36)}`;
    const started = performance.now();
    const reply = this.#client.slidingWindowHit(`${keyPrefix}${key}`, windowMs, limit, member);
    // A reply that comes after the call gave up still proves Redis is alive.
    reply.then(
      () => health.up(),
      () => {},
    );
    try {
      const decision = await untilAborted(reply, options.signal, options.deadline);
      const elapsedMs = performance.now() - started;
      if (elapsedMs > timeoutMs) health.slowReply(elapsedMs, timeoutMs);
      return decision;
    } catch (error) {
      if (this.#client.isReady) health.failed(error);
      else health.down(error);
      return this.#withoutRedis(key, limit, windowMs, error);
    }
  }

  /** The failure policy: this replica's share in memory (fail-open), or a retryable refusal (fail-closed). */
  #withoutRedis(key: string, limit: number, windowMs: number, cause: unknown): Promise<RateLimitDecision> {
    const { health, replicasHint } = this.#options;
    health.affectedCall();
    if (health.policy === 'fail-closed') {
      throw new ToolError(
        'UPSTREAM_UNAVAILABLE',
        'Limits cannot be checked right now (Redis is unreachable).',
        {
          retryAfter: OUTAGE_RETRY_AFTER_S,
          cause,
        },
      );
    }
    // Rounded down, so the replicas together never allow more than the limit; at least 1, so a small limit
    // does not turn into a refusal of everything.
    const share = Math.max(1, Math.floor(limit / replicasHint));
    return this.#options.fallback.hit(key, share, windowMs);
  }

  /** A PING now and then while the circuit is open and the client is connected: any answer closes it. */
  #probeWhileDown(): void {
    const now = performance.now();
    if (this.#probe.pending || now - this.#probe.at < PROBE_INTERVAL_MS || !this.#client.isReady) return;
    this.#probe = { at: now, pending: true };
    withTimeout(this.#client.ping(), PROBE_TIMEOUT_MS)
      .then(
        () => this.#options.health.up(),
        () => {},
      )
      .finally(() => {
        this.#probe.pending = false;
      });
  }

  /** `/readyz`: down under fail-closed (this replica cannot serve tools); ready but degraded under fail-open. */
  readonly readiness: ReadinessCheck = {
    name: 'redis',
    check: async () => {
      const { health } = this.#options;
      try {
        await withTimeout(this.#client.ping(), PROBE_TIMEOUT_MS);
        health.up();
      } catch (error) {
        if (this.#client.isReady) health.failed(error);
        else health.down(error);
      }
      if (health.reachable) return { ok: true };
      const detail = `Redis is unreachable: ${health.consequence}`;
      return health.policy === 'fail-open' ? { ok: true, degraded: true, detail } : { ok: false, detail };
    },
  };

  async close(): Promise<void> {
    this.#options.health.close();
    await this.#options.fallback.close();
    // Close politely when connected; a Redis that hangs (or is away) must not hang the shutdown.
    if (!this.#client.isReady) return this.#client.destroy();
    await withTimeout(this.#client.close(), PROBE_TIMEOUT_MS).catch(() => this.#client.destroy());
  }
}
