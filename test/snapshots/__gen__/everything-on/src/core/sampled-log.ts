import type { Logger } from 'pino';

/**
 * One warning line per interval for something that can happen thousands of times a second (refused sockets,
 * a peer locked out, evicted cache entries): a flood must not become a log flood. The first occurrence is
 * logged at once; later ones are counted by kind and reported, with the latest context, by the first
 * occurrence after the interval has passed.
 */
export class SampledLog {
  #counts: Record<string, number> = {};
  #loggedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly logger: Logger,
    private readonly message: string,
    private readonly intervalMs = 60_000,
  ) {}

  note(kind: string, context: Record<string, unknown> = {}): void {
    this.#counts[kind] = (this.#counts[kind] ?? 0) + 1;
    const now = performance.now();
    if (now - this.#loggedAt < this.intervalMs) return;
    this.logger.warn({ ...context, counts: this.#counts, sinceMs: this.intervalMs }, this.message);
    this.#loggedAt = now;
    this.#counts = {};
  }
}
