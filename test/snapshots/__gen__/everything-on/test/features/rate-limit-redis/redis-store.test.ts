import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RateLimitDecision, RateLimitStore } from '../../../src/core/rate-limit.js';
import { MemoryRateLimitStore } from '../../../src/features/rate-limit/memory-store.js';
import { startRedis, type TestRedis } from './redis-server.js';
import { redisStore } from './store.js';

const allowedCount = (decisions: RateLimitDecision[]) => decisions.filter((d) => d.allowed).length;
const burst = (store: RateLimitStore, key: string, n: number, limit: number, windowMs: number) =>
  Promise.all(Array.from({ length: n }, () => store.hit(key, limit, windowMs)));

/** Resolves once Date.now() (the clock Redis's TIME reads too) has reached `at`. Timers may fire early. */
async function until(at: number): Promise<void> {
  while (Date.now() < at) await sleep(at - Date.now());
}

describe('RedisRateLimitStore against a real redis-server', () => {
  let redis: TestRedis;
  const stores: RateLimitStore[] = [];
  const open = async () => {
    const { store } = await redisStore(redis.url);
    stores.push(store);
    return store;
  };

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close()));
    await redis?.stop();
  });

  it('allows exactly 100 of 300 concurrent hits made by two replicas', async () => {
    const [a, b] = [await open(), await open()];
    const key = randomUUID();
    const decisions = (
      await Promise.all([burst(a, key, 150, 100, 60_000), burst(b, key, 150, 100, 60_000)])
    ).flat();
    expect(allowedCount(decisions)).toBe(100);
    expect(
      decisions.filter((d) => !d.allowed).every((d) => d.retryAfterMs > 0 && d.retryAfterMs <= 60_000),
    ).toBe(true);
  });

  it('slides the window on the Redis clock: 1 hit at 0 ms, 9 at 900 ms, 10 at 1050 ms with 10/s allows 11', async () => {
    // Deterministic on real time: Redis stamped the first hit before its reply reached us (t0), and the third
    // burst is sent at t0 + 1050 or later, so the first hit has always left the window by then. The second
    // burst is sent 150 ms before the third, so its 9 hits are still inside unless this process stalls 850 ms.
    const store = await open();
    const key = randomUUID();
    const first = await burst(store, key, 1, 10, 1000);
    const t0 = Date.now();
    await until(t0 + 900);
    const secondSent = Date.now();
    const second = await burst(store, key, 9, 10, 1000);
    const secondDone = Date.now();
    await until(t0 + 1050);
    const thirdSent = Date.now();
    const third = await burst(store, key, 10, 10, 1000);
    const thirdDone = Date.now();

    expect([allowedCount(first), allowedCount(second), allowedCount(third)]).toEqual([1, 9, 1]);
    // retryAfter is the time until the second burst's hits leave the window, measured on Redis's clock: it
    // lies between the bounds our own readings of the same clock give, whatever the scheduling delays were.
    const refused = third.filter((d) => !d.allowed);
    expect(refused).toHaveLength(9);
    for (const { retryAfterMs } of refused) {
      expect(retryAfterMs).toBeGreaterThanOrEqual(secondSent + 1000 - thirdDone);
      expect(retryAfterMs).toBeLessThanOrEqual(secondDone + 1000 - thirdSent);
    }
  });

  it('decides exactly like the in-memory twin for the same hits', async () => {
    const now = 0;
    const memory = new MemoryRateLimitStore(() => now);
    const store = await open();
    const key = randomUUID();
    const redisDecisions = [
      ...(await burst(store, key, 7, 5, 60_000)),
      ...(await burst(store, key, 2, 5, 60_000)),
    ];
    const memoryDecisions = [
      ...(await burst(memory, 'k', 7, 5, 60_000)),
      ...(await burst(memory, 'k', 2, 5, 60_000)),
    ];
    await memory.close();
    expect(redisDecisions.map((d) => [d.allowed, d.remaining])).toEqual(
      memoryDecisions.map((d) => [d.allowed, d.remaining]),
    );
  });

  it('keeps every key under the prefix with a TTL of one window, so nothing grows without bound', async () => {
    const store = await open();
    const key = randomUUID();
    await burst(store, key, 3, 10, 5000);
    const raw = createClient({ url: redis.url });
    await raw.connect();
    try {
      expect(await raw.exists(key)).toBe(0);
      expect(await raw.zCard(`test:limits:${key}`)).toBe(3);
      const ttl = await raw.pTTL(`test:limits:${key}`);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(5000);
    } finally {
      raw.destroy();
    }
  });
});
