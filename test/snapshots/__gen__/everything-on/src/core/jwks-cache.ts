import { createLocalJWKSet, errors, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { describeError } from './cause.js';

/** What a published public key can verify: the only algorithms a JWKS may pin (never HS*, never none). */
export const JWKS_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
];

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Keys fetched over plain HTTP could be swapped in transit, so only a loopback JWKS may skip TLS. */
export const isSecureJwksUrl = (url: string) =>
  url.startsWith('https://') || LOOPBACK.has(new URL(url).hostname);

export interface JwksCacheOptions {
  /** Least time between two fetches, whatever their outcome. */
  cooldownMs: number;
  /** After this long the keys are refreshed in the background; the old ones keep verifying meanwhile. */
  maxAgeMs?: number;
  /** Longest wait between two failed fetches (the back-off doubles from `cooldownMs` up to this). */
  maxBackoffMs?: number;
  timeoutMs?: number;
}

/** What /readyz and the logs learn about the keys. */
export interface JwksStatus {
  /** Keys are held (perhaps older than `maxAgeMs`): tokens can be verified. */
  usable: boolean;
  /** The last fetch failed; why (for the log only: it names the URL). */
  lastError?: string;
  ageMs?: number;
}

/**
 * An identity provider's signing keys (JWKS), fetched so that no traffic pattern can turn into a flood against
 * it, and so that its outage does not become ours:
 *
 * - **At most one fetch per cooldown, whatever the outcome.** jose's `createRemoteJWKSet` only cools down after
 *   a *successful* fetch, so while the endpoint answered 500 or 429 every request with a well-formed token (and
 *   every /readyz) fetched again: 100 requests, 100 fetches. Here a failure waits too, and repeated failures
 *   back off exponentially (honouring `Retry-After`), up to `maxBackoffMs`.
 * - **Stale while revalidate.** Keys older than `maxAgeMs` keep verifying while a background refresh runs; if
 *   that refresh fails, they go on verifying until one succeeds. Tokens signed by a key we still hold never
 *   turn into 503 because the provider is having a bad minute.
 * - An unknown `kid` (a key rotated in) refetches, subject to the same cooldown; concurrent needs share one fetch.
 */
export class JwksCache {
  readonly #url: URL;
  readonly #cooldownMs: number;
  readonly #maxAgeMs: number;
  readonly #maxBackoffMs: number;
  readonly #timeoutMs: number;
  #keys: JWTVerifyGetKey | undefined;
  #fetchedAt = 0;
  #nextFetchAt = 0;
  #failures = 0;
  #lastError: string | undefined;
  #pending: Promise<void> | undefined;
  /** How many fetches were attempted (tests and debugging: it must not follow the request rate). */
  fetches = 0;

  constructor(url: URL, options: JwksCacheOptions) {
    this.#url = url;
    this.#cooldownMs = options.cooldownMs;
    this.#maxAgeMs = options.maxAgeMs ?? 10 * 60_000;
    this.#maxBackoffMs = Math.max(options.maxBackoffMs ?? 5 * 60_000, options.cooldownMs);
    this.#timeoutMs = options.timeoutMs ?? 5_000;
  }

  /** The key-lookup function `jwtVerify` takes. */
  readonly getKey: JWTVerifyGetKey = async (header, token) => {
    if (this.#keys === undefined) await this.refresh();
    const keys = this.#keys;
    if (keys === undefined) {
      throw new Error(`signing keys unavailable: ${this.#lastError ?? 'not fetched yet'}`);
    }
    if (Date.now() - this.#fetchedAt >= this.#maxAgeMs) void this.refresh();
    try {
      return await keys(header, token);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey) || Date.now() < this.#nextFetchAt) throw error;
      await this.refresh();
      return (this.#keys ?? keys)(header, token);
    }
  };

  /** Fetches now if the cooldown (or back-off) allows, else does nothing; never rejects. Concurrent calls share it. */
  refresh(): Promise<void> {
    if (this.#pending !== undefined) return this.#pending;
    if (Date.now() < this.#nextFetchAt) return Promise.resolve();
    this.#pending = this.#fetch().finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  status(): JwksStatus {
    const status: JwksStatus = { usable: this.#keys !== undefined };
    if (this.#lastError !== undefined) status.lastError = this.#lastError;
    if (this.#keys !== undefined) status.ageMs = Date.now() - this.#fetchedAt;
    return status;
  }

  async #fetch(): Promise<void> {
    this.fetches++;
    this.#nextFetchAt = Date.now() + this.#cooldownMs;
    try {
      const response = await fetch(this.#url, {
        headers: { accept: 'application/json' },
        redirect: 'manual',
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      if (response.status !== 200) {
        await response.body?.cancel();
        throw new JwksFetchError(`${this.#url} answered HTTP ${response.status}`, retryAfterMs(response));
      }
      const keys = createLocalJWKSet((await response.json()) as JSONWebKeySet);
      this.#keys = keys;
      this.#fetchedAt = Date.now();
      this.#failures = 0;
      this.#lastError = undefined;
    } catch (error) {
      this.#failures++;
      const backoff = Math.min(this.#cooldownMs * 2 ** (this.#failures - 1), this.#maxBackoffMs);
      const asked = error instanceof JwksFetchError ? Math.min(error.retryAfterMs, this.#maxBackoffMs) : 0;
      this.#nextFetchAt = Date.now() + Math.max(backoff, asked);
      this.#lastError = `cannot fetch ${this.#url}: ${describeError(error)}`;
    }
  }
}

class JwksFetchError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message);
  }
}

/** `Retry-After` in seconds (what identity providers send with 429 and 503); dates are rare here and ignored. */
function retryAfterMs(response: Response): number {
  const seconds = Number(response.headers.get('retry-after'));
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 0;
}
