import { afterEach, describe, expect, it, vi } from 'vitest';
import { VerifiedCache } from '../../../src/features/auth-jwt/verified-cache.js';

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
    const cache = new VerifiedCache<string>(60_000, 10);
    cache.set('short', 'a', 1_000_000 + 5_000);
    cache.set('long', 'b', 1_000_000 + 3_600_000);
    vi.setSystemTime(1_000_000 + 4_999);
    expect([cache.get('short'), cache.get('long')]).toEqual(['a', 'b']);
    vi.setSystemTime(1_000_000 + 5_000);
    expect(cache.get('short')).toBeUndefined();
    vi.setSystemTime(1_000_000 + 60_000);
    expect(cache.get('long')).toBeUndefined();
  });

  it('holds at most `max` entries, dropping the oldest', () => {
    const cache = new VerifiedCache<number>(60_000, 2);
    const later = Date.now() + 60_000;
    cache.set('one', 1, later);
    cache.set('two', 2, later);
    cache.set('three', 3, later);
    expect([cache.get('one'), cache.get('two'), cache.get('three')]).toEqual([undefined, 2, 3]);
  });
});
