import type { Logger } from 'pino';
import type { AppEventBus } from '../../core/events.js';

export type FailurePolicy = 'fail-open' | 'fail-closed';

const REMINDER_INTERVAL_MS = 30_000;
/** Failed checks in a row (an error reply, or no reply by the call's deadline) that mean "Redis is down". */
export const FAILURES_TO_OPEN = 3;
const SLOW_REPORT_INTERVAL_MS = 30_000;

/**
 * The circuit breaker in front of Redis, and what it tells operators. Two different things are kept apart:
 *
 * - **Redis is down**: the connection dropped (the client says so at once), or `FAILURES_TO_OPEN` checks in a
 *   row failed. The circuit opens: calls stop waiting for Redis and the failure policy decides them.
 * - **A reply is slow** (later than `REDIS_TIMEOUT_MS`): under load that is normal, and the reply is still
 *   the only exact answer, so the call waits for it. Slow replies are counted and reported at most every 30 s.
 *
 * Any reply from Redis (a call's, a late one, a probe's) or the client's `ready` closes the circuit again.
 * An outage is logged once when it starts, every 30 s while it lasts (with how many calls it affected), and
 * once when it ends; never once per call, which would bury everything else in the log.
 */
export class RedisHealth {
  readonly #logger: Logger;
  readonly #events: AppEventBus;
  readonly #policy: FailurePolicy;
  readonly #fallbackShare: string;
  #failures = 0;
  #slow = { count: 0, reportedAt: 0 };
  #outage: { since: number; calls: number; reminder: NodeJS.Timeout } | undefined;

  /** `replicasHint`: how many replicas share the limits, so each takes 1/N of them during an outage. */
  constructor(logger: Logger, events: AppEventBus, policy: FailurePolicy, replicasHint = 1) {
    this.#logger = logger;
    this.#events = events;
    this.#policy = policy;
    this.#fallbackShare = replicasHint === 1 ? 'all' : `1/${replicasHint}`;
  }

  /** Closed circuit: limit checks go to Redis. */
  get reachable(): boolean {
    return this.#outage === undefined;
  }

  get policy(): FailurePolicy {
    return this.#policy;
  }

  /** What a caller gets while Redis is away, in words for logs and /readyz. */
  get consequence(): string {
    return this.#policy === 'fail-open'
      ? `each replica enforces ${this.#fallbackShare} of every limit and budget in its own memory (REDIS_FAILURE_POLICY=fail-open, REPLICAS_HINT)`
      : 'tool calls fail with UPSTREAM_UNAVAILABLE (REDIS_FAILURE_POLICY=fail-closed)';
  }

  /** Redis answered: whatever failed before, it is reachable now. */
  up(): void {
    this.#failures = 0;
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

  /** The connection is gone (the client reported it): open the circuit now. */
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

  /** One check failed while connected: the circuit opens after `FAILURES_TO_OPEN` in a row. */
  failed(error: unknown): void {
    this.#failures++;
    if (this.#failures >= FAILURES_TO_OPEN) this.down(error);
  }

  /** A limit check decided without Redis (counted in the outage's log lines). */
  affectedCall(): void {
    if (this.#outage !== undefined) this.#outage.calls++;
  }

  /** A reply that came after `REDIS_TIMEOUT_MS`: waited for and used, reported in aggregate. */
  slowReply(elapsedMs: number, timeoutMs: number): void {
    this.#slow.count++;
    const now = Date.now();
    if (now - this.#slow.reportedAt < SLOW_REPORT_INTERVAL_MS) return;
    this.#logger.warn(
      { slowReplies: this.#slow.count, lastMs: Math.round(elapsedMs), timeoutMs },
      'Redis replies are slower than REDIS_TIMEOUT_MS; calls wait for them, so limits stay exact',
    );
    this.#slow = { count: 0, reportedAt: now };
  }

  close(): void {
    if (this.#outage !== undefined) clearInterval(this.#outage.reminder);
  }
}
