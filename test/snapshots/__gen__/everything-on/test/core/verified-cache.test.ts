import { afterEach, describe, expect, it, vi } from 'vitest';
import { VerifiedCache, verifiedTokens } from '../../src/core/verified-cache.js';
import { recordingApp } from '../helpers/recording-app.js';

describe('VerifiedCache', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('keys by digest, never by the token itself', () => {
    const key = VerifiedCache.key('eyJhbGciOi.secret-token.sig');
    expect(key).not.toContain('secret-token');
    expect(key).toBe(VerifiedCache.key('eyJhbGciOi.secret-token.sig'));
  });

  it("forgets an entry at the token's exp or after the TTL, whichever comes first", () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const cache = new VerifiedCache<string>({ ttlMs: 60_000, maxEntries: 10 });
    cache.set('short', 'a', 1_000_000 + 5_000);
    cache.set('long', 'b', 1_000_000 + 3_600_000);
    vi.setSystemTime(1_000_000 + 4_999);
    expect([cache.get('short'), cache.get('long')]).toEqual(['a', 'b']);
    vi.setSystemTime(1_000_000 + 5_000);
    expect(cache.get('short')).toBeUndefined();
    vi.setSystemTime(1_000_000 + 60_000);
    expect(cache.get('long')).toBeUndefined();
  });

  it('holds at most `maxEntries`, forgetting the least recently used and reporting it', () => {
    const { app, evicted, logs } = recordingApp();
    const cache = verifiedTokens<number>(app, 'tokens', 2);
    const later = Date.now() + 60_000;
    cache.set('one', 1, later);
    cache.set('two', 2, later);
    expect(cache.get('one')).toBe(1);
    cache.set('three', 3, later);
    expect(cache.size).toBe(2);
    expect([cache.get('one'), cache.get('two'), cache.get('three')]).toEqual([1, undefined, 3]);
    expect(evicted).toEqual(['tokens']);
    expect(logs.filter((line) => line.level === 'warn').map((line) => line.msg)).toEqual([
      'in-memory store "tokens" is full (2 verified tokens): forgetting its least recently used entries',
    ]);
  });
});
