import type { CallToolResult } from '@modelcontextprotocol/server';
import type { Logger } from 'pino';
import type { Outcome } from './operation.js';
import { settled } from './task-outcome.js';
import { isTerminal, type TaskRecord, type TaskStore } from './task-store.js';

/** The abort reason a cancelled task's handler sees. */
export const TASK_CANCELLED = new Error('task cancelled');
/** How long a shutdown waits for the last task records to be written after the drain aborted their runs. */
const SETTLE_MS = 2_000;

/** A run of this process: what cancel aborts, and until when its lease is known to hold. */
interface Run {
  controller: AbortController;
  leaseUntil: number;
}

/**
 * The task runs of this process, and their leases. The process running a task holds a lease on it
 * (TASK_LEASE_MS), renewed every third of it: a `working` task whose lease lapsed was left by a process that
 * died (see `lapsed`). A renewal also notices a cancel, or a lapse, recorded by another replica and aborts the
 * run; the store's cancel announcements (Redis pub/sub) do the same at once.
 */
export class TaskRuns {
  readonly #store: TaskStore;
  readonly #leaseMs: number;
  readonly #logger: Logger;
  readonly #running = new Map<string, Run>();
  /** Runs whose outcome is not recorded yet: what a shutdown waits for. */
  readonly #recording = new Set<Promise<void>>();

  constructor(store: TaskStore, leaseMs: number, logger: Logger) {
    this.#store = store;
    this.#leaseMs = leaseMs;
    this.#logger = logger;
    store.onCancel?.((taskId) => this.abort(taskId));
  }

  /** A new lease, from now. */
  lease(): number {
    return Date.now() + this.#leaseMs;
  }

  /** Aborts the task's run if this process runs it; false when it does not. */
  abort(taskId: string): boolean {
    const run = this.#running.get(taskId);
    run?.controller.abort(TASK_CANCELLED);
    return run !== undefined;
  }

  /**
   * Holds the lease while `running` runs, then records its outcome unless the task ended meanwhile, or was
   * never stored (`created` failed).
   */
  follow(
    taskId: string,
    controller: AbortController,
    running: Promise<Outcome<CallToolResult>>,
    created: Promise<void> = Promise.resolve(),
  ): void {
    const run: Run = { controller, leaseUntil: this.lease() };
    this.#running.set(taskId, run);
    const every = Math.max(1, Math.floor(this.#leaseMs / 3));
    const renewal = setInterval(() => void this.#renew(taskId, run), every);
    renewal.unref();
    const outcome = async () => {
      // A task whose creation failed was never one: its caller was told, and there is nothing to record.
      const stored = await created.then(
        () => true,
        () => false,
      );
      if (stored) await this.record(taskId, await running);
    };
    const recorded: Promise<void> = outcome()
      .catch((err: unknown) => {
        // The lease is no longer renewed, so the task still ends: failed, retryable, once it lapses.
        this.#logger.error({ err, taskId }, 'task outcome not recorded; it fails when its lease lapses');
      })
      .finally(() => {
        clearInterval(renewal);
        if (this.#running.get(taskId) === run) this.#running.delete(taskId);
        this.#recording.delete(recorded);
      });
    this.#recording.add(recorded);
  }

  /** Records how a round ended, unless the task already ended (cancelled while running, or lapsed). */
  async record(taskId: string, outcome: Outcome<CallToolResult>): Promise<void> {
    const change = settled(outcome);
    await this.#store.update(taskId, (task) => {
      if (isTerminal(task.status)) return undefined;
      const { inputRequests: _, requestState: __, answers: ___, leaseUntil: ____, ...rest } = task;
      return { ...rest, ...change, lastUpdatedAt: Date.now() } as TaskRecord;
    });
  }

  /**
   * After the pipeline's drain aborted what was still running: waits (briefly) until every outcome is written,
   * so a task cut short by a shutdown is stored `failed`, retryable, rather than lost.
   */
  async settle(): Promise<void> {
    if (this.#recording.size === 0) return;
    await Promise.race([
      Promise.all(this.#recording),
      new Promise((resolve) => setTimeout(resolve, SETTLE_MS).unref()),
    ]);
  }

  /**
   * Extends the lease. A task that ended meanwhile (cancelled through another replica, or judged lapsed) or is
   * gone stops the run; so does a lease this process could not renew in time, since every other replica now
   * reports the task failed.
   */
  async #renew(taskId: string, run: Run): Promise<void> {
    let found = false;
    let ended = false;
    try {
      const renewed = await this.#store.update(taskId, (task) => {
        found = true;
        if (task.status !== 'working') {
          ended = isTerminal(task.status);
          return undefined;
        }
        return { ...task, leaseUntil: this.lease() };
      });
      if (renewed?.leaseUntil !== undefined) run.leaseUntil = renewed.leaseUntil;
      if (!found || ended) run.controller.abort(TASK_CANCELLED);
    } catch (err) {
      this.#logger.warn({ err, taskId }, 'task lease not renewed');
      if (Date.now() > run.leaseUntil) run.controller.abort(TASK_CANCELLED);
    }
  }
}
