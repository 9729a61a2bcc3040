import { afterEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_MAX_KEYS,
  MemoryRateLimitStore,
  type MemoryStoreOptions,
} from '../../../src/features/rate-limit/memory-store.js';

/** A clock the test moves by hand, so every hit lands at an exact instant. */
function manualClock() {
  let now = 0;
  return { now: () => now, set: (ms: number) => (now = ms) };
}

describe('MemoryRateLimitStore', () => {
  const stores: MemoryRateLimitStore[] = [];
  const storeWith = (now?: () => number, options?: MemoryStoreOptions) => {
    const store = new MemoryRateLimitStore(now, options);
    stores.push(store);
    return store;
  };
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
  });

  it('allows exactly the limit out of 300 concurrent hits', async () => {
    const store = storeWith();
    const decisions = await Promise.all(Array.from({ length: 300 }, () => store.hit('k', 100, 60_000)));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(100);
    expect(decisions.filter((d) => !d.allowed).every((d) => d.retryAfterMs > 0)).toBe(true);
  });

  it('slides the window: 1 hit at 0 ms, 9 at 900 ms, 10 at 1050 ms with 10/s allows 11', async () => {
    const clock = manualClock();
    const store = storeWith(clock.now);
    const burst = (n: number) => Promise.all(Array.from({ length: n }, () => store.hit('k', 10, 1000)));

    const first = await burst(1);
    clock.set(900);
    const second = await burst(9);
    clock.set(1050);
    const third = await burst(10);

    const allowed = (ds: { allowed: boolean }[]) => ds.filter((d) => d.allowed).length;
    expect([allowed(first), allowed(second), allowed(third)]).toEqual([1, 9, 1]);
    // A fixed window would have reset at 1000 ms and allowed all 10. Here the 9 hits of 900 ms hold their
    // slots until 1900 ms: 850 ms from now, exactly.
    const refused = third.filter((d) => !d.allowed);
    expect(refused).toHaveLength(9);
    expect(refused.every((d) => d.retryAfterMs === 850)).toBe(true);
  });

  it('decides like a plain list of hits over thousands of hits in a sliding window, bursts and lulls included', async () => {
    const clock = manualClock();
    const store = storeWith(clock.now);
    const kept: number[] = []; // the reference: every allowed hit, filtered by the window on each decision
    let now = 0;
    for (let i = 0; i < 5000; i++) {
      // Mostly 3 ms apart, with a 2 s lull every 1000 hits that empties the window.
      now += i % 1000 === 999 ? 2000 : 3;
      clock.set(now);
      const live = kept.filter((at) => at > now - 1000);
      const expected =
        live.length < 150
          ? { allowed: true, remaining: 150 - live.length - 1, retryAfterMs: 0 }
          : { allowed: false, remaining: 0, retryAfterMs: (live[0] ?? now) + 1000 - now };
      const decision = await store.hit('k', 150, 1000);
      expect(decision).toEqual(expected);
      if (decision.allowed) kept.push(now);
    }
  });

  it('counts remaining slots down and frees a slot exactly when the oldest hit leaves', async () => {
    const clock = manualClock();
    const store = storeWith(clock.now);
    expect((await store.hit('k', 3, 1000)).remaining).toBe(2);
    clock.set(200);
    expect((await store.hit('k', 3, 1000)).remaining).toBe(1);
    clock.set(400);
    expect((await store.hit('k', 3, 1000)).remaining).toBe(0);
    clock.set(999);
    expect(await store.hit('k', 3, 1000)).toEqual({ allowed: false, remaining: 0, retryAfterMs: 1 });
    clock.set(1000);
    expect((await store.hit('k', 3, 1000)).allowed).toBe(true);
  });

  it('keeps keys apart', async () => {
    const store = storeWith();
    expect((await store.hit('a', 1, 1000)).allowed).toBe(true);
    expect((await store.hit('a', 1, 1000)).allowed).toBe(false);
    expect((await store.hit('b', 1, 1000)).allowed).toBe(true);
  });

  it('forgets keys whose hits have all left the window', async () => {
    const clock = manualClock();
    const store = storeWith(clock.now);
    await store.hit('short', 5, 1000);
    await store.hit('long', 5, 10_000);
    clock.set(5000);
    store.sweep();
    expect(store.size).toBe(1);
    clock.set(10_000);
    store.sweep();
    expect(store.size).toBe(0);
  });

  it('stays bounded under 100,000 distinct run ids, and says what it forgot', async () => {
    const evicted: string[] = [];
    const store = storeWith(undefined, { onEvict: (key) => evicted.push(key) });
    for (let i = 0; i < 100_000; i++) await store.hit(`budget:run:api-key:alice:run-${i}`, 1000, 3_600_000);
    expect(store.size).toBe(DEFAULT_MAX_KEYS);
    expect(evicted).toHaveLength(100_000 - DEFAULT_MAX_KEYS);
    expect(evicted[0]).toBe('budget:run:api-key:alice:run-0');
  });

  it('forgets the least recently hit key first, so an active caller keeps its count', async () => {
    const store = storeWith(undefined, { maxKeys: 3 });
    await store.hit('active', 2, 60_000);
    await store.hit('idle-1', 2, 60_000);
    await store.hit('idle-2', 2, 60_000);
    await store.hit('active', 2, 60_000);
    await store.hit('new', 2, 60_000); // the store is full: idle-1 goes
    expect(store.size).toBe(3);
    expect((await store.hit('active', 2, 60_000)).allowed).toBe(false);
    expect(store.peek('idle-1', 2, 60_000).remaining).toBe(2);
  });

  it('peek decides like hit without recording', async () => {
    const store = storeWith();
    await store.hit('k', 2, 60_000);
    expect(store.peek('k', 2, 60_000)).toMatchObject({ allowed: true, remaining: 1 });
    expect(store.peek('k', 2, 60_000)).toMatchObject({ allowed: true, remaining: 1 });
    await store.hit('k', 2, 60_000);
    expect(store.peek('k', 2, 60_000).allowed).toBe(false);
  });
});
