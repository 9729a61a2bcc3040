import type { Logger } from 'pino';
import type { AppEventBus } from '../../core/events.js';

export type FailurePolicy = 'fail-open' | 'fail-closed';

const REMINDER_INTERVAL_MS = 30_000;

/**
 * Whether Redis is reachable, as learnt from calls, readiness probes and the client's own events. An outage
 * is logged loudly once when it starts, again every 30 s while it lasts (with how many calls it affected),
 * and once when it ends; never once per call, which would bury everything else in the log.
 */
export class RedisHealth {
  readonly #logger: Logger;
  readonly #events: AppEventBus;
  readonly #policy: FailurePolicy;
  #outage: { since: number; calls: number; reminder: NodeJS.Timeout } | undefined;

  constructor(logger: Logger, events: AppEventBus, policy: FailurePolicy) {
    this.#logger = logger;
    this.#events = events;
    this.#policy = policy;
  }

  get reachable(): boolean {
    return this.#outage === undefined;
  }

  /** What a caller gets while Redis is away, in words for logs and /readyz. */
  get consequence(): string {
    return this.#policy === 'fail-open'
      ? 'tool calls are NOT rate-limited or budgeted (REDIS_FAILURE_POLICY=fail-open)'
      : 'tool calls fail with UPSTREAM_UNAVAILABLE (REDIS_FAILURE_POLICY=fail-closed)';
  }

  up(): void {
    const outage = this.#outage;
    if (outage === undefined) return;
    clearInterval(outage.reminder);
    this.#outage = undefined;
    const downForMs = Date.now() - outage.since;
    this.#logger.info(
      { downForMs, affectedCalls: outage.calls },
      'Redis is reachable again: limits are enforced',
    );
    this.#events.emit('dependency.health', { name: 'redis', ok: true });
  }

  down(error: unknown): void {
    if (this.#outage !== undefined) return;
    const reminder = setInterval(() => {
      if (this.#outage === undefined) return;
      const { since, calls } = this.#outage;
      this.#logger.error(
        { downForMs: Date.now() - since, affectedCalls: calls },
        `Redis is still unreachable: ${this.consequence}`,
      );
    }, REMINDER_INTERVAL_MS).unref();
    this.#outage = { since: Date.now(), calls: 0, reminder };
    this.#logger.error({ err: error }, `Redis is unreachable: ${this.consequence} until it returns`);
    this.#events.emit('dependency.health', { name: 'redis', ok: false });
  }

  /** A tool call the store could not check against Redis. */
  affectedCall(error: unknown): void {
    this.down(error);
    if (this.#outage !== undefined) this.#outage.calls++;
  }

  close(): void {
    if (this.#outage !== undefined) clearInterval(this.#outage.reminder);
  }
}
