import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { BaseConfig } from '../config.js';
import { rootCause } from './cause.js';
import { currentRequest, type RequestContext, requestContext } from './context.js';
import { raceDeadline } from './deadline.js';
import { envelope, stampEnvelope, toEnvelope } from './errors.js';
import type { AppEventBus } from './events.js';
import { inputRound, stateRefused } from './input-required.js';
import type {
  HandlerContext,
  McpRequestInfo,
  Operation,
  OperationItem,
  OperationKind,
  OperationMiddleware,
  Outcome,
} from './operation.js';
import { STDIO_CLIENT } from './principal.js';
import { throttledProgress } from './progress.js';
import { redactArgs } from './redact.js';
import { RequestStateSealer, type StateBinding } from './request-state.js';

/** How one kind of item is run: everything per item is resolved once, at startup (server.ts). */
export interface OperationSpec<Args = unknown, Result = unknown> {
  kind: OperationKind;
  item?: OperationItem;
  /** Logger bound to the item (`{ tool: 'search_v2' }`, `{ resource: 'catalogue' }`, …). */
  log: Logger;
  timeoutMs: number;
  /** Retirement, argument validation: a refusal, or the arguments the handler gets. */
  prepare(args: unknown): Outcome<Args>;
  handler(args: Args, ctx: HandlerContext): Promise<unknown>;
  /** Checks and converts what the handler returned (a mismatch is our bug: INTERNAL). */
  output(value: unknown): Outcome<Result>;
  /** The result's shape for the log line (sizes, never contents). */
  shape?(result: Result): unknown;
}

/** The log line's message per kind; `tool call` is what `npm run usage` and dashboards already read. */
const LOG_MESSAGE: Record<OperationKind, string> = {
  'tools/list': 'tools list',
  'tools/call': 'tool call',
  'resources/list': 'resources list',
  'resources/templates/list': 'resource templates list',
  'resources/read': 'resource read',
  'prompts/list': 'prompts list',
  'prompts/get': 'prompt get',
  'completion/complete': 'completion',
};

const LEVEL: Partial<Record<string, 'warn' | 'error'>> = {
  INTERNAL: 'error',
  TIMEOUT: 'warn',
  UPSTREAM_UNAVAILABLE: 'warn',
  UNAVAILABLE: 'warn',
};

/** Abort reasons, so the outcome says who stopped the operation. */
const CANCELLED = Symbol('cancelled by the client');
const SHUTTING_DOWN = Symbol('server shutting down');

/**
 * An upstream failure's root cause (ECONNREFUSED, a TLS error) for its log line: the envelope tells the agent
 * "unavailable, retry"; the operator needs to know why.
 */
const causeOf = (error: unknown) => {
  const cause = rootCause(error);
  return cause === undefined ? {} : { cause };
};

/** `_meta` values a client may send to tie calls together; capped so a client cannot flood the logs. */
function metaId(meta: McpRequestInfo['meta'], key: string): string | undefined {
  const value = meta?.[key];
  return typeof value === 'string' && value !== '' ? value.slice(0, 128) : undefined;
}

export interface PipelineOptions {
  config: BaseConfig;
  logger: Logger;
  events: AppEventBus;
  middleware: readonly OperationMiddleware[];
  /** Seals multi-round state (MCP_STATE_SECRET); a per-process key when absent. */
  states?: RequestStateSealer;
}

/**
 * The one chain every MCP request runs through, whatever it asks for:
 * request context (principal) → feature middleware, outermost first (span → metrics → scopes → limits) →
 * prepare (retirement, validation) → the handler under its deadline, with an AbortSignal → output check →
 * one log line and one `operation` event (metrics, usage, cost). It never throws: the caller gets an outcome.
 */
export class Pipeline {
  readonly #options: PipelineOptions;
  readonly #inFlight = new Set<AbortController>();
  #onIdle: (() => void) | undefined;
  #closing = false;
  readonly #states: RequestStateSealer;

  constructor(options: PipelineOptions) {
    this.#options = options;
    this.#states = options.states ?? RequestStateSealer.ephemeral();
  }

  get config(): BaseConfig {
    return this.#options.config;
  }

  get logger(): Logger {
    return this.#options.logger;
  }

  /** Runs one operation inside the request's context (HTTP), or a fresh one (stdio: the launching process). */
  run<A, R>(spec: OperationSpec<A, R>, args: unknown, info: McpRequestInfo): Promise<Outcome<R>> {
    const current = currentRequest();
    const correlationId = metaId(info.meta, 'correlationId');
    const runId = metaId(info.meta, 'runId');
    if (current !== undefined) {
      // HTTP: one request is one operation, so its own IDs refine the request's context in place.
      if (correlationId !== undefined) current.correlationId = correlationId;
      if (runId !== undefined) current.runId = runId;
      return this.#run(spec, args, info, current);
    }
    const requestId = randomUUID();
    const context: RequestContext = {
      requestId,
      correlationId: correlationId ?? requestId,
      principal: STDIO_CLIENT,
    };
    if (runId !== undefined) context.runId = runId;
    return requestContext.run(context, () => this.#run(spec, args, info, context));
  }

  /** Waits for in-flight operations, at most `timeoutMs`; then aborts the rest. Returns how many were aborted. */
  async drain(timeoutMs: number): Promise<number> {
    this.#closing = true;
    if (this.#inFlight.size > 0) {
      await new Promise<void>((resolve) => {
        this.#onIdle = resolve;
        setTimeout(resolve, timeoutMs).unref();
      });
    }
    const aborted = this.#inFlight.size;
    for (const controller of this.#inFlight) controller.abort(SHUTTING_DOWN);
    // The SDK writes a result a few microtasks after we return it: let it, before the transport closes.
    await new Promise((resolve) => setImmediate(resolve));
    return aborted;
  }

  async #run<A, R>(
    spec: OperationSpec<A, R>,
    args: unknown,
    info: McpRequestInfo,
    context: RequestContext,
  ): Promise<Outcome<R>> {
    const started = performance.now();
    const controller = new AbortController();
    const operation: Operation = {
      kind: spec.kind,
      name: spec.item?.name ?? spec.kind,
      args,
      principal: context.principal,
      requestId: context.requestId,
      correlationId: context.correlationId,
      runId: context.runId,
      signal: controller.signal,
      timeoutMs: spec.timeoutMs,
      rpcId: info.rpcId,
      meta: info.meta,
      protocolVersion: info.protocolVersion,
    };
    if (spec.item) operation.item = spec.item;
    const binding: StateBinding = { principal: context.principal.id, operation: operation.name, args };
    const round = this.#openState(info, binding, operation);
    if (round.state !== undefined) operation.continuation = true;
    let handlerRan = false;
    const innermost = async (): Promise<Outcome> => {
      const prepared = spec.prepare(args);
      if (!prepared.ok) return prepared;
      if (controller.signal.aborted) return aborted(controller.signal.reason);
      handlerRan = true;
      return this.#withDeadline(spec, operation, prepared.result, controller, info, binding, round.state);
    };
    const chain = this.#options.middleware.reduceRight<() => Promise<Outcome>>(
      (next, middleware) => () => middleware(operation, next),
      innermost,
    );
    const cancel = () => controller.abort(CANCELLED);
    info.signal.addEventListener('abort', cancel, { once: true });
    this.#inFlight.add(controller);
    let outcome: Outcome;
    try {
      outcome = round.refused ?? (this.#closing ? aborted(SHUTTING_DOWN) : await chain());
    } catch (error) {
      // A middleware threw: same treatment as a handler that threw.
      outcome = { ok: false, error: toEnvelope(error), cause: error };
    } finally {
      info.signal.removeEventListener('abort', cancel);
      this.#inFlight.delete(controller);
      if (this.#inFlight.size === 0) this.#onIdle?.();
    }
    // The IDs the caller can quote to an operator (a trace ID a middleware set is kept).
    if (!outcome.ok) outcome = { ...outcome, error: stampEnvelope(outcome.error, context) };
    this.#record(spec, operation, outcome as Outcome<R>, handlerRan, performance.now() - started);
    return outcome as Outcome<R>;
  }

  /**
   * The `requestState` a client sent back (SEP-2322), verified before any middleware runs, so a later round of
   * a multi-round call is known to be one (limits count the call once) and a forged one is refused early:
   * with the spec's -32602 for the client, and the precise reason in the log and a `state.rejected` event.
   */
  #openState(
    info: McpRequestInfo,
    binding: StateBinding,
    operation: Operation,
  ): { state?: unknown; refused?: Outcome } {
    const raw = info.requestState ?? info.sdk?.mcpReq.requestState();
    if (raw === undefined) return {};
    const opened = typeof raw === 'string' ? this.#states.open(raw, binding) : undefined;
    if (opened?.ok) return { state: opened.data };
    const reason = opened?.reason ?? 'malformed';
    this.#options.logger.warn(
      { event: 'state.rejected', reason, operation: operation.name, principal: operation.principal.id },
      'requestState refused',
    );
    this.#options.events.emit('state.rejected', { reason, operation: operation.name });
    const message = 'Invalid or expired requestState. Call again without requestState to start over.';
    return { refused: { ok: false, error: envelope('INVALID_ARGUMENT', message), cause: stateRefused() } };
  }

  /**
   * The handler under its deadline: on expiry the caller gets TIMEOUT at once and the handler's signal is
   * aborted; one that ignores its signal is logged when it finally returns (that handler needs fixing).
   */
  async #withDeadline<A, R>(
    spec: OperationSpec<A, R>,
    operation: Operation,
    args: A,
    controller: AbortController,
    info: McpRequestInfo,
    binding: StateBinding,
    state: unknown,
  ): Promise<Outcome<R>> {
    const ctx: HandlerContext = {
      signal: operation.signal,
      principal: operation.principal,
      log: spec.log,
      requestId: operation.requestId,
      correlationId: operation.correlationId,
      config: this.#options.config,
      progress: throttledProgress(info.progress),
      clientLog: (level, message) => info.clientLog?.(level, message) ?? Promise.resolve(),
      ...inputRound(this.#states, binding, state, info.sdk, info.inputResponses),
    };
    if (operation.runId !== undefined) ctx.runId = operation.runId;
    if (info.sdk !== undefined) ctx.sdk = info.sdk;
    const settled = await raceDeadline(
      () => spec.handler(args, ctx),
      controller,
      spec.timeoutMs,
      () => spec.log.warn('handler finished after its deadline; make it honour ctx.signal'),
    );
    switch (settled.kind) {
      case 'done':
        return spec.output(settled.value);
      case 'failed':
        return { ok: false, error: toEnvelope(settled.error), cause: settled.error };
      case 'timeout': {
        const message = `${operation.name} did not finish within ${spec.timeoutMs} ms and was stopped.`;
        return { ok: false, error: envelope('TIMEOUT', message) };
      }
      case 'aborted':
        return aborted(settled.reason);
    }
  }

  /** One log line and one `operation` event per operation, whatever its outcome. */
  #record<A, R>(
    spec: OperationSpec<A, R>,
    operation: Operation,
    outcome: Outcome<R>,
    handlerRan: boolean,
    elapsedMs: number,
  ): void {
    const durationMs = Math.round(elapsedMs * 10) / 10;
    // A multi-round call costs once: in its first round.
    const cost = handlerRan && !operation.continuation ? (spec.item?.cost ?? 0) : 0;
    const code = outcome.ok ? 'ok' : outcome.error.error;
    const line = {
      kind: spec.kind,
      principal: operation.principal.id,
      outcome: code,
      durationMs,
      cost,
      ...(outcome.ok && spec.shape && { result: spec.shape(outcome.result) }),
      ...(spec.item && { args: redactArgs(operation.args) }),
      ...(!outcome.ok && { error: { code, message: outcome.error.message } }),
      ...(!outcome.ok && code === 'INTERNAL' && { err: outcome.cause }),
      ...(!outcome.ok && code !== 'INTERNAL' && causeOf(outcome.cause)),
    };
    spec.log[LEVEL[code] ?? 'info'](line, LOG_MESSAGE[spec.kind]);
    this.#options.events.emit('operation', {
      kind: spec.kind,
      name: operation.name,
      principal: operation.principal,
      outcome: code,
      durationMs,
      cost,
    });
  }
}

function aborted(reason: unknown): Outcome<never> {
  return reason === SHUTTING_DOWN
    ? {
        ok: false,
        error: envelope('UNAVAILABLE', 'The server is shutting down. Retry; another instance will answer.'),
      }
    : { ok: false, error: envelope('CANCELLED', 'The request was cancelled by the client.') };
}
