import type { Logger } from 'pino';
import type { TaskRecord, TaskStore } from '../../core/task-store.js';
import { CONNECT_TIMEOUT_MS, type RedisClient, withTimeout } from './redis-client.js';

/** A tasks/* call waits this long for Redis before it fails (the client retries; nothing half-written). */
const COMMAND_TIMEOUT_MS = 2_000;
/** Writers racing on one task retry this often before giving up: a task has a handful of writers at most. */
const MAX_ATTEMPTS = 8;

/** What is left of a task's TTL (counted from its last change, as in the memory store). */
const ttlLeft = (task: TaskRecord) => Math.max(1, task.lastUpdatedAt + task.ttlMs - Date.now());

/**
 * Tasks in Redis, so every replica sees every task: one JSON value per task under `<prefix>task:<id>`, which
 * Redis deletes at the TTL. Changes are compare-and-set (the TASK_SWAP script), so two replicas changing one
 * task at once (a cancel on B while A records the result) never lose a write: the loser reads again and
 * re-applies its change, which sees the task ended. Cancels are also published on `<prefix>task-cancelled`,
 * so the replica running the task aborts its handler at once instead of at its next lease renewal.
 */
export class RedisTaskStore implements TaskStore {
  readonly #client: RedisClient;
  readonly #subscriber: RedisClient;
  readonly #prefix: string;
  readonly #channel: string;
  readonly #listeners = new Set<(taskId: string) => void>();
  #subscribed = false;

  private constructor(client: RedisClient, keyPrefix: string, logger: Logger) {
    this.#client = client;
    this.#prefix = `${keyPrefix}task:`;
    this.#channel = `${keyPrefix}task-cancelled`;
    // Subscribing takes a connection of its own. Its outages are the main client's too, reported there.
    this.#subscriber = client.duplicate();
    this.#subscriber.on('error', (err: unknown) => logger.debug({ err }, 'task cancel subscriber error'));
    // Subscribed once connected, at boot or when Redis comes back (the client resubscribes after that).
    this.#subscriber.on('ready', () => void this.#subscribe());
  }

  /** Connects the cancel subscriber, waiting at most a couple of seconds: Redis down at boot is an outage. */
  static async connect(client: RedisClient, keyPrefix: string, logger: Logger): Promise<RedisTaskStore> {
    const store = new RedisTaskStore(client, keyPrefix, logger);
    await withTimeout(store.#subscriber.connect(), CONNECT_TIMEOUT_MS).catch(() => {});
    await store.#subscribe();
    return store;
  }

  async create(task: TaskRecord): Promise<void> {
    // Acknowledged by Redis before the client hears of the task: a tasks/get on any replica finds it.
    await this.#bounded(
      this.#client.set(this.#key(task.taskId), JSON.stringify(task), { PX: ttlLeft(task) }),
    );
  }

  async get(taskId: string): Promise<TaskRecord | undefined> {
    const json = await this.#bounded(this.#client.get(this.#key(taskId)));
    return json === null ? undefined : (JSON.parse(json) as TaskRecord);
  }

  async update(
    taskId: string,
    change: (task: TaskRecord) => TaskRecord | undefined,
  ): Promise<TaskRecord | undefined> {
    const key = this.#key(taskId);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = await this.#bounded(this.#client.get(key));
      if (current === null) return undefined;
      const next = change(JSON.parse(current) as TaskRecord);
      if (next === undefined) return undefined;
      const written = await this.#bounded(
        this.#client.swapTask(key, current, JSON.stringify(next), ttlLeft(next)),
      );
      if (written) return next;
    }
    throw new Error(
      `task ${taskId} was changed by others ${MAX_ATTEMPTS} times while this change was applied`,
    );
  }

  async publishCancel(taskId: string): Promise<void> {
    await this.#bounded(this.#client.publish(this.#channel, taskId));
  }

  onCancel(listener: (taskId: string) => void): void {
    this.#listeners.add(listener);
  }

  /** Only the subscriber: the main client belongs to the limits store, which closes it. */
  async close(): Promise<void> {
    this.#listeners.clear();
    if (!this.#subscriber.isOpen) return;
    if (!this.#subscriber.isReady) return this.#subscriber.destroy();
    await withTimeout(this.#subscriber.close(), 1_000).catch(() => this.#subscriber.destroy());
  }

  #key(taskId: string): string {
    return `${this.#prefix}${taskId}`;
  }

  #bounded<T>(command: Promise<T>): Promise<T> {
    return withTimeout(command, COMMAND_TIMEOUT_MS);
  }

  async #subscribe(): Promise<void> {
    if (this.#subscribed || !this.#subscriber.isReady) return;
    this.#subscribed = true;
    await this.#subscriber
      .subscribe(this.#channel, (taskId) => {
        for (const listener of this.#listeners) listener(taskId);
      })
      .catch(() => {
        this.#subscribed = false;
      });
  }
}
