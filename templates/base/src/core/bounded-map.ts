import type { App } from './feature.js';
import { SampledLog } from './sampled-log.js';

/**
 * A Map that holds at most `maxKeys` entries, for anything keyed by what callers send (run IDs, addresses,
 * tokens): without a bound, memory grows with whatever they choose to send. Entries are kept in
 * least-recently-used order (`get` and `set` move a key to the end); when a new key needs room, the least
 * recently used one is forgotten and `onEvict` is told (give it an `evictionReporter`, so it is seen).
 */
export class BoundedMap<K, V> {
  readonly #entries = new Map<K, V>();
  readonly #maxKeys: number;
  readonly #onEvict: (key: K) => void;

  constructor(maxKeys: number, onEvict: (key: K) => void = () => {}) {
    this.#maxKeys = Math.max(1, maxKeys);
    this.#onEvict = onEvict;
  }

  /** The value, marking the key as just used. */
  get(key: K): V | undefined {
    const value = this.#entries.get(key);
    if (value === undefined) return undefined;
    // Re-inserting moves the key to the end: the map's order is least recently used first.
    this.#entries.delete(key);
    this.#entries.set(key, value);
    return value;
  }

  /** The value, without marking the key as used. */
  peek(key: K): V | undefined {
    return this.#entries.get(key);
  }

  set(key: K, value: V): void {
    if (this.#entries.has(key)) this.#entries.delete(key);
    else this.#makeRoom();
    this.#entries.set(key, value);
  }

  delete(key: K): boolean {
    return this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Least recently used first; deleting the current entry while iterating is safe. */
  entries(): IterableIterator<[K, V]> {
    return this.#entries.entries();
  }

  #makeRoom(): void {
    while (this.#entries.size >= this.#maxKeys) {
      const oldest = this.#entries.keys().next();
      if (oldest.done) return;
      this.#entries.delete(oldest.value);
      this.#onEvict(oldest.value);
    }
  }
}

/**
 * What a bounded store does when it forgets an entry: a `store.evicted` event (counted by
 * `mcp_store_evictions_total` when metrics are on) and a warning naming the store and its bound. An eviction
 * storm is thousands a second, so the warning is one sampled line a minute with the count, not a line each.
 */
export function evictionReporter(
  app: Pick<App, 'events' | 'logger'>,
  store: string,
  bound: string,
): () => void {
  const log = new SampledLog(
    app.logger,
    `in-memory store "${store}" is full (${bound}): forgetting its least recently used entries`,
  );
  return () => {
    app.events.emit('store.evicted', { store });
    log.note('evicted', { store });
  };
}
