import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ToolError } from '../../../src/core/errors.js';
import type { RateLimitStore } from '../../../src/core/rate-limit.js';
import { startRedis, type TestRedis } from './redis-server.js';
import { redisStore } from './store.js';

const ERROR = 50;
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

  /** Once Redis is back, limits bite again: a fresh key allows one hit and refuses the next. */
  async function enforced(limits: RateLimitStore): Promise<boolean> {
    const key = randomUUID();
    const first = await limits.hit(key, 1, 60_000);
    const second = await limits.hit(key, 1, 60_000);
    return first.allowed && !second.allowed;
  }

  it('fail-open: lets calls through, reports degraded, logs it once, and recovers after a restart', async () => {
    const opened = await redisStore(redis.url, { policy: 'fail-open' });
    store = opened.store;
    const key = randomUUID();
    expect((await opened.store.hit(key, 1, 60_000)).allowed).toBe(true);
    expect((await opened.store.hit(key, 1, 60_000)).allowed).toBe(false);

    await redis.kill();
    const during = await Promise.all(Array.from({ length: 5 }, () => opened.store.hit(key, 1, 60_000)));
    expect(during.every((d) => d.allowed)).toBe(true);
    const { readiness } = opened.store;
    expect(await readiness.check()).toMatchObject({ ok: true, degraded: true });
    const outageLogs = opened.logs.filter((line) => line.level === ERROR);
    expect(outageLogs).toHaveLength(1);
    expect(outageLogs[0]?.msg).toContain('NOT rate-limited');

    await redis.restart();
    await vi.waitFor(async () => expect(await enforced(opened.store)).toBe(true), {
      timeout: 5000,
      interval: 100,
    });
    expect(await readiness.check()).toEqual({ ok: true });
    expect(opened.logs.filter((line) => line.level === INFO).at(-1)?.msg).toContain('reachable again');
    expect(opened.health).toEqual([false, true]);
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

  it('never hangs a call on a frozen Redis: the timeout applies the policy, and it recovers on resume', async () => {
    const opened = await redisStore(redis.url, { policy: 'fail-open', timeoutMs: 100 });
    store = opened.store;
    redis.pause();
    const decision = await opened.store.hit(randomUUID(), 1, 60_000);
    expect(decision.allowed).toBe(true);
    expect(opened.health).toEqual([false]);

    redis.resume();
    await vi.waitFor(async () => expect(await enforced(opened.store)).toBe(true), {
      timeout: 5000,
      interval: 100,
    });
    expect(opened.health).toEqual([false, true]);
  });

  it('closes even while Redis hangs, so a frozen Redis cannot hold up shutdown', async () => {
    const opened = await redisStore(redis.url, { timeoutMs: 100 });
    redis.pause();
    await opened.store.hit(randomUUID(), 1, 60_000);
    await opened.store.close();
    redis.resume();
  });

  it('starts while Redis is down (an outage, not a crash) and enforces limits once it is up', async () => {
    await redis.kill();
    const opened = await redisStore(redis.url, { policy: 'fail-open' });
    store = opened.store;
    expect((await opened.store.hit(randomUUID(), 1, 60_000)).allowed).toBe(true);

    await redis.restart();
    await vi.waitFor(async () => expect(await enforced(opened.store)).toBe(true), {
      timeout: 5000,
      interval: 100,
    });
  });
});
