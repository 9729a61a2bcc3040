import { randomUUID } from 'node:crypto';
import {
  type CallToolResult,
  CLIENT_CAPABILITIES_META_KEY,
  type ClientCapabilities,
  type InputRequests,
  type InputResponses,
  MissingRequiredClientCapabilityError,
  ProtocolError,
  ProtocolErrorCode,
} from '@modelcontextprotocol/server';
import { currentRequest } from './context.js';
import { ToolError } from './errors.js';
import type { McpRequestInfo, Outcome } from './operation.js';
import type { Pipeline } from './pipeline.js';
import { STDIO_CLIENT } from './principal.js';
import { isTerminal, type TaskError, type TaskRecord, type TaskStore } from './task-store.js';
import type { ToolSpec } from './tool-operation.js';
import { errorResult } from './tool-result.js';

/** The extension's identifier (SEP-2663), declared under `capabilities.extensions`. */
export const TASKS_EXTENSION = 'io.modelcontextprotocol/tasks';

/** How often a client should poll `tasks/get`. */
const POLL_INTERVAL_MS = 1_000;
/** A task-capable tool that finishes within this answers at once, with no task (the spec's shortcut). */
const IMMEDIATE_MS = 250;

/** What `tools/call` answers for a tool that may run as a task: its outcome, or the task it became. */
export type TaskCall = { outcome: Outcome<CallToolResult> } | { task: Record<string, unknown> };

const iso = (ms: number) => new Date(ms).toISOString();

/** What a client sees of a task: SEP-2663's Task, with result, error or questions by status. */
function wire(task: TaskRecord, detailed: boolean): Record<string, unknown> {
  return {
    taskId: task.taskId,
    status: task.status,
    createdAt: iso(task.createdAt),
    lastUpdatedAt: iso(task.lastUpdatedAt),
    ttlMs: task.ttlMs,
    pollIntervalMs: task.pollIntervalMs,
    ...(task.statusMessage !== undefined && { statusMessage: task.statusMessage }),
    ...(detailed && task.status === 'completed' && { result: task.result }),
    ...(detailed && task.status === 'failed' && { error: task.error }),
    ...(detailed && task.status === 'input_required' && { inputRequests: task.inputRequests }),
  };
}

/** Failures of the run itself (not the tool's answer) end a task `failed`; the spec reserves it for them. */
const RUN_FAILURES = new Set(['INTERNAL', 'TIMEOUT', 'UNAVAILABLE']);

/** How a finished run changes its task: completed (a tool error too: `isError`), failed, or waiting for input. */
function settled(outcome: Outcome<CallToolResult>): Partial<TaskRecord> {
  if (outcome.ok) {
    const result = outcome.result as CallToolResult & { resultType?: string; inputRequests?: InputRequests };
    if (result.resultType === 'input_required') {
      const { inputRequests, requestState } = result as {
        inputRequests?: InputRequests;
        requestState?: string;
      };
      return { status: 'input_required', inputRequests: inputRequests ?? {}, requestState, answers: {} };
    }
    return { status: 'completed', result };
  }
  const { error, cause } = outcome;
  if (cause instanceof ProtocolError) {
    return { status: 'failed', error: { code: cause.code, message: cause.message, data: cause.data } };
  }
  if (cause instanceof ToolError || !RUN_FAILURES.has(error.error)) {
    return { status: 'completed', result: errorResult(error) };
  }
  const failure: TaskError = { code: ProtocolErrorCode.InternalError, message: error.message, data: error };
  return { status: 'failed', error: failure };
}

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
 */
export class Tasks {
  readonly #store: TaskStore;
  readonly #pipeline: Pipeline;
  readonly #tool: (name: string) => ToolSpec | undefined;
  /** Runs of this process, by task: what `tasks/cancel` aborts. */
  readonly #running = new Map<string, AbortController>();

  constructor(store: TaskStore, pipeline: Pipeline, tool: (name: string) => ToolSpec | undefined) {
    this.#store = store;
    this.#pipeline = pipeline;
    this.#tool = tool;
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
    // Progress before the task exists is kept for its first status message.
    let lastMessage: string | undefined;
    const running = this.#start(spec, args, controller, info, {
      progress: async (message) => {
        if (taskId) await this.#note(taskId, message);
        else lastMessage = message;
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
    };
    if (lastMessage !== undefined) task.statusMessage = lastMessage;
    taskId = task.taskId;
    // Durable before the client hears of it: a tasks/get right after this answer finds the task.
    const created = this.#store.create(task);
    this.#follow(
      task.taskId,
      controller,
      created.then(() => running),
    );
    await created;
    return { task: { resultType: 'task', ...wire(task, false) } };
  }

  /** `tasks/get`: the task with its result, error or open questions. Unknown or not the caller's: -32602. */
  async get(taskId: string, info: McpRequestInfo): Promise<Record<string, unknown>> {
    Tasks.requireNegotiated(info);
    return { resultType: 'complete', ...wire(await this.#owned(taskId), true) };
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
    await this.#owned(taskId);
    let resume: TaskRecord | undefined;
    await this.#store.update(taskId, (task) => {
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
        delete next.inputRequests;
        resume = next;
      }
      return next;
    });
    if (resume) this.#resume(resume, info);
    return {};
  }

  /** `tasks/cancel`: ends a running or waiting task `cancelled` and aborts its handler; a finished one stays. */
  async cancel(taskId: string, info: McpRequestInfo): Promise<Record<string, never>> {
    Tasks.requireNegotiated(info);
    await this.#owned(taskId);
    await this.#store.update(taskId, (task) => {
      if (isTerminal(task.status)) return undefined;
      const { inputRequests: _, requestState: __, answers: ___, ...rest } = task;
      return { ...rest, status: 'cancelled', lastUpdatedAt: Date.now() };
    });
    this.#running.get(taskId)?.abort(new Error('task cancelled'));
    return {};
  }

  async #owned(taskId: string): Promise<TaskRecord> {
    const task = await this.#store.get(taskId);
    const caller = (currentRequest()?.principal ?? STDIO_CLIENT).id;
    // Another principal's task is reported exactly like a missing one: its existence is not theirs to know.
    if (!task || task.owner !== caller) throw unknownTask();
    return task;
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
      void this.#finish(task.taskId, {
        ok: false,
        error: { error: 'INTERNAL', message: `${task.tool} is no longer served`, retryable: false },
      } as Outcome<CallToolResult>);
      return;
    }
    const { sdk: _, ...detached } = info;
    const round: Round = { progress: (message) => this.#note(task.taskId, message) };
    if (task.requestState !== undefined) round.requestState = task.requestState;
    if (task.answers !== undefined) round.answers = task.answers;
    this.#follow(task.taskId, controller, this.#start(spec, task.args, controller, detached, round));
  }

  #follow(taskId: string, controller: AbortController, running: Promise<Outcome<CallToolResult>>): void {
    this.#running.set(taskId, controller);
    void running
      .then((outcome) => this.#finish(taskId, outcome))
      .finally(() => {
        if (this.#running.get(taskId) === controller) this.#running.delete(taskId);
      });
  }

  /** Records how a round ended, unless the task already ended (cancelled while running). */
  async #finish(taskId: string, outcome: Outcome<CallToolResult>): Promise<void> {
    const change = settled(outcome);
    await this.#store.update(taskId, (task) => {
      if (isTerminal(task.status)) return undefined;
      const { inputRequests: _, requestState: __, answers: ___, ...rest } = task;
      return { ...rest, ...change, lastUpdatedAt: Date.now() } as TaskRecord;
    });
  }

  /** Progress as the task's status message, so a polling client sees it. */
  async #note(taskId: string, message: string): Promise<void> {
    await this.#store.update(taskId, (task) =>
      task.status === 'working' ? { ...task, statusMessage: message, lastUpdatedAt: Date.now() } : undefined,
    );
  }
}
