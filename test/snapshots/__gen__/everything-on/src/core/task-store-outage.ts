import { ProtocolError } from '@modelcontextprotocol/server';
import type { Logger } from 'pino';
import { currentRequest } from './context.js';
import { type ErrorEnvelope, envelope, stampEnvelope } from './errors.js';
import { toProtocolError } from './protocol-error.js';

/** How long a caller is told to wait: a task store that went away (a Redis restart) is usually back in seconds. */
const RETRY_AFTER_S = 5;

/**
 * What callers hear, and operators read, while the task store cannot be reached (Redis down, say): every
 * tasks/* method and every task-creating call fails with UPSTREAM_UNAVAILABLE, retryable, like a limits check
 * under fail-closed. The store's own error (addresses, driver text) goes to the log only, and only once per
 * outage: logged when it starts and when it ends, never once per call.
 */
export class TaskStoreOutage {
  readonly #logger: Logger;
  #since: number | undefined;
  #calls = 0;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  /** Runs one tasks/* method; a store failure becomes the JSON-RPC error carrying the envelope. */
  async guard<T>(work: () => Promise<T>): Promise<T> {
    let result: T;
    try {
      result = await work();
    } catch (error) {
      // The method's own refusals (unknown task, missing capability) are answers, not outages.
      if (error instanceof ProtocolError) throw error;
      throw toProtocolError(this.unavailable(error));
    }
    this.reachable();
    return result;
  }

  /** The envelope for a call the store failed, stamped with the request's IDs; the outage logged once. */
  unavailable(error: unknown): ErrorEnvelope {
    this.#calls++;
    if (this.#since === undefined) {
      this.#since = Date.now();
      this.#logger.error(
        { err: error },
        'task store unreachable: tasks/* and task-creating calls fail with UPSTREAM_UNAVAILABLE until it returns',
      );
    }
    const refusal = envelope(
      'UPSTREAM_UNAVAILABLE',
      'Tasks cannot be read or stored right now (the task store is unreachable).',
      { retryAfter: RETRY_AFTER_S },
    );
    const request = currentRequest();
    return request ? stampEnvelope(refusal, request) : refusal;
  }

  /** The store answered: an outage in progress is over. */
  reachable(): void {
    if (this.#since === undefined) return;
    this.#logger.info(
      { downForMs: Date.now() - this.#since, affectedCalls: this.#calls },
      'task store reachable again',
    );
    this.#since = undefined;
    this.#calls = 0;
  }
}
