import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ToolError } from '../../../src/core/errors.js';
import type { RateLimitStore } from '../../../src/core/rate-limit.js';
import { FAILURES_TO_OPEN } from '../../../src/features/rate-limit-redis/redis-health.js';
import { startRedis, type TestRedis } from './redis-server.js';
import { redisStore } from './store.js';

const ERROR = 50;
const WARN = 40;
const INFO = 30;

describe('RedisRateLimitStore when Redis goes away', () => {
  let redis: TestRedis;
  let store: RateLimitStore | undefined;

  beforeEach(async () => {
    redis = await startRedis();
  });
  afterEach(async () => {
    await store?.close();
    await redis.stop();
  });

  /**
   * Once Redis is back, Redis decides again: a fresh key with a limit of 2 allows exactly 2 hits. (The
   * in-memory fallback of these stores, REPLICAS_HINT=2, would allow 1; fail-closed would throw.)
   */
  async function enforced(limits: RateLimitStore): Promise<boolean> {
    const key = randomUUID();
    const decisions = [];
    for (let i = 0; i < 3; i++) decisions.push((await limits.hit(key, 2, 60_000)).allowed);
    return decisions.join() === 'true,true,false';
  }

  it("fail-open: falls back to this replica's share in a bounded memory, reports degraded, logs it once, and recovers", async () => {
    const opened = await redisStore(redis.url, { policy: 'fail-open', replicasHint: 2, maxKeys: 3 });
    store = opened.store;
    const key = randomUUID();
    expect((await opened.store.hit(key, 1, 60_000)).allowed).toBe(true);
    expect((await opened.store.hit(key, 1, 60_000)).allowed).toBe(false);

    await redis.kill();
    // A limit of 4 shared by 2 replicas: this one allows 2 while Redis is away, not unlimited.
    const during = await Promise.all(Array.from({ length: 5 }, () => opened.store.hit(key, 4, 60_000)));
    expect(during.map((d) => d.allowed)).toEqual([true, true, false, false, false]);
    const { readiness } = opened.store;
    expect(await readiness.check()).toMatchObject({ ok: true, degraded: true });
    const outageLogs = opened.logs.filter((line) => line.level === ERROR);
    expect(outageLogs).toHaveLength(1);
    expect(outageLogs[0]?.msg).toContain('each replica enforces 1/2 of every limit');
    // The fallback memory is bounded (RATE_LIMIT_MAX_KEYS=3): 10 more keys forget 8, each reported, one warning.
    for (let run = 0; run < 10; run++) await opened.store.hit(`budget:run:alice:run-${run}`, 2, 60_000);
    expect(opened.evicted).toEqual(Array(8).fill('rate-limit-redis-fallback'));
    const full = opened.logs.filter(
      (line) => line.level === WARN && line.store === 'rate-limit-redis-fallback',
    );
    expect(full.map((line) => line.msg)).toEqual([expect.stringContaining('(RATE_LIMIT_MAX_KEYS=3)')]);
    // The newest run is still counted (its share of 1 is spent); the oldest was forgotten and starts afresh.
    expect((await opened.store.hit('budget:run:alice:run-9', 2, 60_000)).allowed).toBe(false);
    expect((await opened.store.hit('budget:run:alice:run-0', 2, 60_000)).allowed).toBe(true);

    await redis.restart();
    await vi.waitFor(async () => expect(await enforced(opened.store)).toBe(true), {
      timeout: 5000,
      interval: 100,
    });
    expect(await readiness.check()).toEqual({ ok: true });
    expect(opened.logs.filter((line) => line.level === INFO).at(-1)?.msg).toContain('reachable again');
    expect(opened.health).toEqual([false, true]);
  });

  it('a slow reply is waited for: a refusal stays a refusal, and slowness is not an outage', async () => {
    const opened = await redisStore(redis.url, { policy: 'fail-open', timeoutMs: 25 });
    store = opened.store;
    const key = randomUUID();
    expect((await opened.store.hit(key, 1, 60_000)).allowed).toBe(true);
    redis.pause();
    const pending = opened.store.hit(key, 1, 60_000, { signal: AbortSignal.timeout(10_000) });
    await sleep(300);
    redis.resume();
    expect((await pending).allowed).toBe(false);
    expect(opened.health).toEqual([]);
    expect(opened.logs.find((line) => line.level === WARN)?.msg).toContain('slower than REDIS_TIMEOUT_MS');
  });

  it('fail-closed: refuses with UPSTREAM_UNAVAILABLE, reports not ready, and recovers after a restart', async () => {
    const opened = await redisStore(redis.url, { policy: 'fail-closed' });
    store = opened.store;
    await redis.kill();

    const failure = await opened.store.hit(randomUUID(), 10, 60_000).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ToolError);
    expect((failure as ToolError).toEnvelope()).toMatchObject({
      error: 'UPSTREAM_UNAVAILABLE',
      retryable: true,
      retryAfter: 5,
    });
    const { readiness } = opened.store;
    expect(await readiness.check()).toMatchObject({ ok: false });

    await redis.restart();
    await vi.waitFor(async () => expect(await enforced(opened.store)).toBe(true), {
      timeout: 5000,
      interval: 100,
    });
    expect(await readiness.check()).toEqual({ ok: true });
  });

  it('a frozen Redis holds a call only until its deadline; three misses open the circuit; it recovers on resume', async () => {
    const opened = await redisStore(redis.url, { policy: 'fail-open', replicasHint: 2 });
    store = opened.store;
    redis.pause();
    // The call's deadline as the limits middleware passes it: an instant, not a timer signal.
    const deadline = () => ({ deadline: performance.now() + 200 });
    const missed = [];
    for (let i = 0; i < FAILURES_TO_OPEN; i++) {
      missed.push(await opened.store.hit(randomUUID(), 1, 60_000, deadline()));
      expect(opened.health).toEqual(i + 1 < FAILURES_TO_OPEN ? [] : [false]);
    }
    expect(missed.every((d) => d.allowed)).toBe(true);
    // The circuit is open: without any deadline this call is decided at once (it would hang on Redis otherwise).
    expect((await opened.store.hit(randomUUID(), 1, 60_000)).allowed).toBe(true);

    redis.resume();
    await vi.waitFor(async () => expect(await enforced(opened.store)).toBe(true), {
      timeout: 5000,
      interval: 100,
    });
    expect(opened.health).toEqual([false, true]);
  });

  it('closes even while Redis hangs, so a frozen Redis cannot hold up shutdown', async () => {
    const opened = await redisStore(redis.url);
    redis.pause();
    await opened.store.hit(randomUUID(), 1, 60_000, { signal: AbortSignal.timeout(100) });
    await opened.store.close();
    redis.resume();
  });

  it('starts while Redis is down (an outage, not a crash) and enforces limits once it is up', async () => {
    await redis.kill();
    const opened = await redisStore(redis.url, { policy: 'fail-open', replicasHint: 2 });
    store = opened.store;
    expect((await opened.store.hit(randomUUID(), 1, 60_000)).allowed).toBe(true);

    await redis.restart();
    await vi.waitFor(async () => expect(await enforced(opened.store)).toBe(true), {
      timeout: 5000,
      interval: 100,
    });
  });
});
