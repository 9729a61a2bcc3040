import { randomUUID } from 'node:crypto';
import {
  type CallToolResult,
  CLIENT_CAPABILITIES_META_KEY,
  type ClientCapabilities,
  type InputResponses,
  MissingRequiredClientCapabilityError,
  ProtocolError,
  ProtocolErrorCode,
} from '@modelcontextprotocol/server';
import { currentRequest } from './context.js';
import type { McpRequestInfo, Outcome } from './operation.js';
import type { Pipeline } from './pipeline.js';
import { STDIO_CLIENT } from './principal.js';
import { lapsed, lapsedFailure, wire } from './task-outcome.js';
import { TaskRuns } from './task-runs.js';
import { isTerminal, type TaskRecord, type TaskStore } from './task-store.js';
import { TaskStoreOutage } from './task-store-outage.js';
import type { ToolSpec } from './tool-operation.js';

/** The extension's identifier (SEP-2663), declared under `capabilities.extensions`. */
export const TASKS_EXTENSION = 'io.modelcontextprotocol/tasks';

/** How often a client should poll `tasks/get`. */
const POLL_INTERVAL_MS = 1_000;
/** A task-capable tool that finishes within this answers at once, with no task (the spec's shortcut). */
const IMMEDIATE_MS = 250;

/** What `tools/call` answers for a tool that may run as a task: its outcome, or the task it became. */
export type TaskCall = { outcome: Outcome<CallToolResult> } | { task: Record<string, unknown> };

/** What one round runs with besides the tool and its arguments. */
interface Round {
  progress: (message: string) => Promise<void>;
  requestState?: string;
  answers?: InputResponses;
}

const unknownTask = () => new ProtocolError(ProtocolErrorCode.InvalidParams, 'Unknown taskId');

/**
 * The tasks extension (SEP-2663) on top of the one pipeline: a tool that declares `task` runs through
 * `pipeline.run` like any call, with its own (longer) deadline; when it has not finished within a moment the
 * caller gets a task to poll (`tasks/get`), answer (`tasks/update`) or cancel (`tasks/cancel`), and the run
 * carries on detached from the request. Every tasks/* method is the owner's alone. The store decides who
 * else sees the task: this process (memory) or every replica (Redis).
 * Runs of this process hold a lease on their task (TaskRuns); a `working` task whose lease lapsed was left
 * by a process that died, and whoever reads it next records it `failed`, retryable.
 */
export class Tasks {
  readonly #store: TaskStore;
  readonly #pipeline: Pipeline;
  readonly #tool: (name: string) => ToolSpec | undefined;
  readonly #runs: TaskRuns;
  readonly #outage: TaskStoreOutage;

  constructor(store: TaskStore, pipeline: Pipeline, tool: (name: string) => ToolSpec | undefined) {
    this.#store = store;
    this.#pipeline = pipeline;
    this.#tool = tool;
    this.#runs = new TaskRuns(store, pipeline.config.TASK_LEASE_MS, pipeline.logger);
    this.#outage = new TaskStoreOutage(pipeline.logger);
  }

  /** On shutdown, after the drain: every task's outcome written (see TaskRuns.settle). */
  settle(): Promise<void> {
    return this.#runs.settle();
  }

  /** Whether this request's client speaks the extension (2026-07-28 clients say so on every request). */
  static negotiated(info: McpRequestInfo): boolean {
    const declared = (source: unknown) =>
      (source as Record<string, ClientCapabilities | undefined> | undefined)?.[CLIENT_CAPABILITIES_META_KEY]
        ?.extensions?.[TASKS_EXTENSION] !== undefined;
    return declared(info.sdk?.mcpReq.envelope) || declared(info.meta);
  }

  /** `tasks/*` from a client that did not declare the extension: the spec's -32021 naming it. */
  static requireNegotiated(info: McpRequestInfo): void {
    if (!Tasks.negotiated(info)) {
      throw new MissingRequiredClientCapabilityError({
        requiredCapabilities: { extensions: { [TASKS_EXTENSION]: {} } },
      });
    }
  }

  /** A `tools/call` of a task-capable tool. */
  async call(spec: ToolSpec, args: Record<string, unknown>, info: McpRequestInfo): Promise<TaskCall> {
    const options = spec.tool.task ?? {};
    if (!Tasks.negotiated(info)) {
      if (options.required) Tasks.requireNegotiated(info);
      return { outcome: await this.#pipeline.run(spec, args, info) };
    }
    const controller = new AbortController();
    // The client's cancellation counts until the call becomes a task; then only tasks/cancel does.
    const cancel = () => controller.abort(info.signal.reason);
    info.signal.addEventListener('abort', cancel, { once: true });
    let taskId: string | undefined;
    let created: Promise<void> | undefined;
    // Progress before the task exists is kept for its first status message; after, it waits until the task
    // is stored, or a store shared by replicas would have nothing to note it on yet.
    let lastMessage: string | undefined;
    const running = this.#start(spec, args, controller, info, {
      progress: async (message) => {
        if (taskId === undefined || created === undefined) lastMessage = message;
        else if (
          await created.then(
            () => true,
            () => false,
          )
        )
          await this.#note(taskId, message);
      },
    });
    const immediateMs = options.immediateMs ?? IMMEDIATE_MS;
    const quick =
      immediateMs > 0
        ? await Promise.race([
            running.then((outcome) => ({ outcome })),
            new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), immediateMs).unref()),
          ])
        : undefined;
    info.signal.removeEventListener('abort', cancel);
    if (quick) return quick;

    const now = Date.now();
    const task: TaskRecord = {
      taskId: randomUUID(),
      owner: (currentRequest()?.principal ?? STDIO_CLIENT).id,
      tool: spec.name,
      args,
      status: 'working',
      createdAt: now,
      lastUpdatedAt: now,
      ttlMs: this.#pipeline.config.TASK_TTL_MS,
      pollIntervalMs: POLL_INTERVAL_MS,
      leaseUntil: this.#runs.lease(),
    };
    if (lastMessage !== undefined) task.statusMessage = lastMessage;
    taskId = task.taskId;
    // Durable before the client hears of it: a tasks/get right after this answer finds the task.
    created = this.#store.create(task);
    this.#runs.follow(task.taskId, controller, running, created);
    try {
      await created;
    } catch (error) {
      // Not durable, so not a task: the caller gets a retryable failed result and the run stops.
      controller.abort(error);
      return { outcome: { ok: false, error: this.#outage.unavailable(error), cause: error } };
    }
    this.#outage.reachable();
    return { task: { resultType: 'task', ...wire(task, false) } };
  }

  /** `tasks/get`: the task with its result, error or open questions. Unknown or not the caller's: -32602. */
  async get(taskId: string, info: McpRequestInfo): Promise<Record<string, unknown>> {
    Tasks.requireNegotiated(info);
    return this.#outage.guard(async () => ({
      resultType: 'complete',
      ...wire(await this.#owned(taskId), true),
    }));
  }

  /**
   * `tasks/update`: answers to some or all open questions. Answered keys leave `inputRequests`; once none is
   * open the handler runs again (here) with every answer and the state its last round sealed.
   */
  async update(
    taskId: string,
    responses: InputResponses,
    info: McpRequestInfo,
  ): Promise<Record<string, never>> {
    Tasks.requireNegotiated(info);
    await this.#outage.guard(() => this.#owned(taskId));
    let resume: TaskRecord | undefined;
    const answer = (task: TaskRecord) => {
      if (task.status !== 'input_required') return undefined;
      const open = { ...task.inputRequests };
      const answers = { ...task.answers };
      for (const [key, response] of Object.entries(responses)) {
        if (key in open) {
          answers[key] = response;
          delete open[key];
        }
      }
      const next: TaskRecord = { ...task, inputRequests: open, answers, lastUpdatedAt: Date.now() };
      if (Object.keys(open).length === 0) {
        next.status = 'working';
        // This process runs the next round: the lease is its own from now.
        next.leaseUntil = this.#runs.lease();
        delete next.inputRequests;
        resume = next;
      }
      return next;
    };
    await this.#outage.guard(() => this.#store.update(taskId, answer));
    if (resume) this.#resume(resume, info);
    return {};
  }

  /** `tasks/cancel`: ends a running or waiting task `cancelled` and aborts its handler; a finished one stays. */
  async cancel(taskId: string, info: McpRequestInfo): Promise<Record<string, never>> {
    Tasks.requireNegotiated(info);
    await this.#outage.guard(async () => {
      await this.#owned(taskId);
      await this.#store.update(taskId, (task) => {
        if (isTerminal(task.status)) return undefined;
        const { inputRequests: _, requestState: __, answers: ___, ...rest } = task;
        return { ...rest, status: 'cancelled', lastUpdatedAt: Date.now() };
      });
    });
    // Running on another replica (or nowhere): tell them all; the one running it aborts it.
    if (!this.#runs.abort(taskId))
      await this.#store.publishCancel?.(taskId).catch((err: unknown) => {
        this.#pipeline.logger.warn(
          { err, taskId },
          'task cancel not announced; the lease renewal will see it',
        );
      });
    return {};
  }

  async #owned(taskId: string): Promise<TaskRecord> {
    const task = await this.#store.get(taskId);
    const caller = (currentRequest()?.principal ?? STDIO_CLIENT).id;
    // Another principal's task is reported exactly like a missing one: its existence is not theirs to know.
    if (!task || task.owner !== caller) throw unknownTask();
    return lapsed(task, Date.now()) ? this.#fail(task) : task;
  }

  /** Records a task whose lease lapsed as failed, retryable (once, whichever replica reads it first). */
  async #fail(task: TaskRecord): Promise<TaskRecord> {
    const failed = await this.#store.update(task.taskId, (current) => {
      if (!lapsed(current, Date.now())) return undefined;
      const { inputRequests: _, requestState: __, answers: ___, leaseUntil: ____, ...rest } = current;
      return { ...rest, status: 'failed', error: lapsedFailure(), lastUpdatedAt: Date.now() };
    });
    if (failed) {
      this.#pipeline.logger.warn(
        { taskId: task.taskId, tool: task.tool, leaseUntil: new Date(task.leaseUntil ?? 0).toISOString() },
        'task lease lapsed: the process running it stopped; recorded failed, retryable',
      );
      return failed;
    }
    return (await this.#store.get(task.taskId)) ?? task;
  }

  /** One round of the tool through the pipeline, under the task's own deadline, detached from the request. */
  #start(
    spec: ToolSpec,
    args: Record<string, unknown>,
    controller: AbortController,
    info: McpRequestInfo,
    round: Round,
  ): Promise<Outcome<CallToolResult>> {
    const taskSpec: ToolSpec = {
      ...spec,
      timeoutMs: spec.tool.task?.timeoutMs ?? this.#pipeline.config.TASK_TIMEOUT_MS,
    };
    const runInfo: McpRequestInfo = {
      ...info,
      signal: controller.signal,
      // Progress reaches the client live while the call is still a plain call, and as the task's status after.
      progress: async (done, total, message) => {
        await info.progress?.(done, total, message).catch(() => {});
        await round.progress(message ?? (total ? `${done} of ${total}` : `${done}`));
      },
    };
    if (round.requestState !== undefined) runInfo.requestState = round.requestState;
    if (round.answers !== undefined) runInfo.inputResponses = round.answers;
    return this.#pipeline.run(taskSpec, args, runInfo);
  }

  /** A later round after tasks/update: the same tool and arguments, with the answers. */
  #resume(task: TaskRecord, info: McpRequestInfo): void {
    const spec = this.#tool(task.tool);
    const controller = new AbortController();
    if (!spec) {
      void this.#runs.record(task.taskId, {
        ok: false,
        error: { error: 'INTERNAL', message: `${task.tool} is no longer served`, retryable: false },
      } as Outcome<CallToolResult>);
      return;
    }
    const { sdk: _, ...detached } = info;
    const round: Round = { progress: (message) => this.#note(task.taskId, message) };
    if (task.requestState !== undefined) round.requestState = task.requestState;
    if (task.answers !== undefined) round.answers = task.answers;
    this.#runs.follow(task.taskId, controller, this.#start(spec, task.args, controller, detached, round));
  }

  /** Progress as the task's status message, so a polling client sees it. */
  async #note(taskId: string, message: string): Promise<void> {
    await this.#store.update(taskId, (task) =>
      task.status === 'working' ? { ...task, statusMessage: message, lastUpdatedAt: Date.now() } : undefined,
    );
  }
}
