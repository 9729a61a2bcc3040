import type { CallToolResult, InputRequests, InputResponses } from '@modelcontextprotocol/server';

/** SEP-2663 task statuses; the last three are terminal. */
export type TaskStatus = 'working' | 'input_required' | 'completed' | 'failed' | 'cancelled';

export const isTerminal = (status: TaskStatus) =>
  status === 'completed' || status === 'failed' || status === 'cancelled';

/** A failed task's error, JSON-RPC shaped (code, message, data: our envelope). */
export interface TaskError {
  code: number;
  message: string;
  data?: unknown;
}

/**
 * One task as every replica sees it. `owner` is the principal that created it: every tasks/* method checks it.
 * `requestState` and `answers` are the multi-round state of a task waiting for input; they stay server-side
 * (SEP-2663 has no requestState on the wire).
 */
export interface TaskRecord {
  taskId: string;
  owner: string;
  /** Published tool name and its arguments: what a resumed round runs again. */
  tool: string;
  args: Record<string, unknown>;
  status: TaskStatus;
  createdAt: number;
  lastUpdatedAt: number;
  ttlMs: number;
  pollIntervalMs: number;
  statusMessage?: string;
  result?: CallToolResult;
  error?: TaskError;
  /** Questions still unanswered (status input_required), keyed as the handler asked them. */
  inputRequests?: InputRequests;
  requestState?: string;
  answers?: InputResponses;
  /** Until when the replica running it vouches for it (Redis backend); a lapsed lease means that replica died. */
  leaseUntil?: number;
}

/**
 * Where tasks live: the contract every backend (memory, Redis) fulfils. A backend keeps a task until its TTL
 * after the last update, and `create` resolves only once a `get` on any replica would find it (the spec's
 * durable create). `update` applies `change` to the current record atomically and returns the new one, or
 * undefined when the task is gone or `change` returned undefined (nothing to do).
 */
export interface TaskStore {
  create(task: TaskRecord): Promise<void>;
  get(taskId: string): Promise<TaskRecord | undefined>;
  update(
    taskId: string,
    change: (task: TaskRecord) => TaskRecord | undefined,
  ): Promise<TaskRecord | undefined>;
  /**
   * Tells every replica that a task was cancelled, so the one running it aborts it at once. A backend whose
   * tasks live in one process leaves both out: that process aborts its own run.
   */
  publishCancel?(taskId: string): Promise<void>;
  onCancel?(listener: (taskId: string) => void): void;
  close?(): Promise<void>;
}

/** One process's tasks, forgotten at their TTL; right for stdio and a single replica. */
export class MemoryTaskStore implements TaskStore {
  readonly #tasks = new Map<string, TaskRecord>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  async create(task: TaskRecord): Promise<void> {
    this.#sweep();
    this.#tasks.set(task.taskId, structuredClone(task));
  }

  async get(taskId: string): Promise<TaskRecord | undefined> {
    const task = this.#live(taskId);
    return task && structuredClone(task);
  }

  async update(
    taskId: string,
    change: (task: TaskRecord) => TaskRecord | undefined,
  ): Promise<TaskRecord | undefined> {
    const task = this.#live(taskId);
    if (!task) return undefined;
    const next = change(structuredClone(task));
    if (!next) return undefined;
    this.#tasks.set(taskId, structuredClone(next));
    return next;
  }

  #live(taskId: string): TaskRecord | undefined {
    const task = this.#tasks.get(taskId);
    if (task && this.#now() > task.lastUpdatedAt + task.ttlMs) {
      this.#tasks.delete(taskId);
      return undefined;
    }
    return task;
  }

  /** Expired tasks go when new ones arrive, so memory follows the live tasks, not every task ever made. */
  #sweep(): void {
    const now = this.#now();
    for (const [id, task] of this.#tasks) if (now > task.lastUpdatedAt + task.ttlMs) this.#tasks.delete(id);
  }
}
