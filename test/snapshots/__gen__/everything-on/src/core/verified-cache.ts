import { createHash } from 'node:crypto';
import { BoundedMap, evictionReporter } from './bounded-map.js';
import type { App } from './feature.js';

export interface VerifiedCacheOptions {
  /** The longest an entry is trusted, even when the token's own `exp` is later. */
  ttlMs?: number;
  /** Most tokens held; past it the least recently used goes first. */
  maxEntries?: number;
  /** Called for every entry forgotten to make room (give it an `evictionReporter`). */
  onEvict?: () => void;
}

/**
 * Tokens that passed verification recently, so an agent's burst of calls with one token pays for one
 * signature check (what Envoy's jwt_authn does). Keyed by the token's SHA-256, never the token itself. An
 * entry ends at the token's `exp` or after `ttlMs`, whichever comes first, so a key withdrawn from the JWKS
 * stops working within `ttlMs`. Bounded, because every distinct valid token is an entry, and a caller who can
 * get tokens (or a gateway that signs one per request) can send distinct ones without end.
 */
export class VerifiedCache<T> {
  readonly #entries: BoundedMap<string, { value: T; until: number }>;
  readonly #ttlMs: number;

  constructor(options: VerifiedCacheOptions = {}) {
    this.#ttlMs = options.ttlMs ?? 60_000;
    this.#entries = new BoundedMap(options.maxEntries ?? 10_000, options.onEvict);
  }

  static key(token: string): string {
    return createHash('sha256').update(token).digest('base64');
  }

  get(key: string): T | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (Date.now() < entry.until) return entry.value;
    this.#entries.delete(key);
    return undefined;
  }

  /** `expiresAt`: the token's own `exp`, in epoch milliseconds. */
  set(key: string, value: T, expiresAt: number): void {
    this.#entries.set(key, { value, until: Math.min(expiresAt, Date.now() + this.#ttlMs) });
  }

  /** How many tokens are held (it must never pass `maxEntries`). */
  get size(): number {
    return this.#entries.size;
  }
}

/** An authenticator's cache, its evictions reported as `store`: an event (the metric) and a sampled warning. */
export function verifiedTokens<T>(
  app: Pick<App, 'events' | 'logger'>,
  store: string,
  maxEntries = 10_000,
): VerifiedCache<T> {
  return new VerifiedCache<T>({
    maxEntries,
    onEvict: evictionReporter(app, store, `${maxEntries} verified tokens`),
  });
}
