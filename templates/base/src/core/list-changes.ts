import type { Catalog } from '../server.js';
import { type Deprecation, sunsetOf } from './versioning.js';

export type ChangedList = 'tools' | 'prompts';
type Listener = (list: ChangedList) => void;

/** setTimeout fires at once for delays over 2^31-1 ms (~24.8 days): longer waits are taken in steps. */
const MAX_DELAY_MS = 2 ** 31 - 1;

/**
 * When the published lists change by themselves: a deprecated tool or prompt version leaves its list at its
 * sunset. Transports subscribe and tell their listening clients (`notifications/tools/list_changed` on a
 * 2026-07-28 `subscriptions/listen` stream or a 2025 stdio connection), so an agent stops offering a
 * version the moment it retires instead of when its cached list expires.
 */
export class ListChanges {
  readonly #events: Array<{ at: number; list: ChangedList }>;
  readonly #listeners = new Set<Listener>();
  #timer: NodeJS.Timeout | undefined;

  constructor(catalog: Catalog, now = Date.now()) {
    const sunsets = (list: ChangedList, items: readonly { deprecated?: Deprecation }[]) =>
      items.flatMap((item) => {
        const at = sunsetOf(item.deprecated);
        return at === undefined ? [] : [{ at, list }];
      });
    this.#events = [...sunsets('tools', catalog.tools), ...sunsets('prompts', catalog.prompts ?? [])]
      .filter((event) => event.at > now)
      .sort((a, b) => a.at - b.at);
    this.#arm();
  }

  /** Registers a listener; returns its unsubscribe. */
  on(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  close(): void {
    clearTimeout(this.#timer);
    this.#listeners.clear();
  }

  #arm(): void {
    const next = this.#events[0];
    if (next === undefined) return;
    const delay = Math.max(0, next.at - Date.now());
    // unref: a pending sunset must not keep a process alive that is otherwise done.
    this.#timer = setTimeout(() => this.#fire(), Math.min(delay, MAX_DELAY_MS)).unref();
  }

  #fire(): void {
    const now = Date.now();
    const due = new Set<ChangedList>();
    for (let event = this.#events[0]; event && event.at <= now; event = this.#events[0]) {
      this.#events.shift();
      due.add(event.list);
    }
    for (const list of due) for (const listener of this.#listeners) listener(list);
    this.#arm();
  }
}
