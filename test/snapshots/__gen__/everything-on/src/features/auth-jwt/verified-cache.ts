import { createHash } from 'node:crypto';

/**
 * Tokens that passed verification recently, so an agent's burst of calls with one token pays for one
 * signature check (what Envoy's jwt_authn does). Keyed by the token's SHA-256, never the token itself. An
 * entry ends at the token's `exp` or after `ttlMs`, whichever comes first, so a key withdrawn from the JWKS
 * stops working within `ttlMs`. Bounded: past `max` entries the oldest goes first.
 */
export class VerifiedCache<T> {
  readonly #entries = new Map<string, { value: T; until: number }>();
  readonly #ttlMs: number;
  readonly #max: number;

  constructor(ttlMs: number, max: number) {
    this.#ttlMs = ttlMs;
    this.#max = max;
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
    if (this.#entries.size >= this.#max) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    this.#entries.set(key, { value, until: Math.min(expiresAt, Date.now() + this.#ttlMs) });
  }
}
