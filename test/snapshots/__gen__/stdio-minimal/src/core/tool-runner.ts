import { randomUUID } from 'node:crypto';
import type { CallToolResult } from '@modelcontextprotocol/server';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { type BaseConfig, ConfigError } from '../config.js';
import { rootCause } from './cause.js';
import { currentRequest, type RequestContext, requestContext } from './context.js';
import { raceDeadline } from './deadline.js';
import { envelope, toEnvelope } from './errors.js';
import type { AppEventBus } from './events.js';
import type { ToolCall, ToolMiddleware, ToolOutcome } from './feature.js';
import { STDIO_CLIENT } from './principal.js';
import { redactArgs, resultShape } from './redact.js';
import { publishedName, type ToolContext, type ToolDefinition } from './tool.js';
import { toCallToolResult } from './tool-result.js';

/**
 * An upstream failure's root cause (ECONNREFUSED, a TLS error) for its log line: the envelope tells the agent
 * "unavailable, retry"; the operator needs to know why.
 */
const causeOf = (error: unknown) => {
  const cause = rootCause(error);
  return cause === undefined ? {} : { cause };
};

/** What the SDK tells us about one `tools/call` (server.ts maps its handler context to this). */
export interface McpCallInfo {
  signal: AbortSignal;
  rpcId?: string | number;
  meta?: Readonly<Record<string, unknown>>;
  protocolVersion?: string;
}

export type ToolHandler = (args: unknown, info: McpCallInfo) => Promise<CallToolResult>;

export interface ToolRunnerOptions {
  config: BaseConfig;
  logger: Logger;
  events: AppEventBus;
  middleware: readonly ToolMiddleware[];
  tools: readonly ToolDefinition[];
}

/** Everything about a tool that does not change between calls, computed once at startup. */
interface PreparedTool {
  tool: ToolDefinition;
  name: string;
  timeoutMs: number;
  sunsetMs?: number;
  log: Logger;
}

interface RunningCall extends ToolCall {
  prepared: PreparedTool;
  controller: AbortController;
  context: RequestContext;
  /** Cost is only accounted when the handler actually ran (not for rejected or invalid calls). */
  handlerRan: boolean;
}

/** Abort reasons, so the outcome says who stopped the call. */
const CANCELLED = Symbol('cancelled by the client');
const SHUTTING_DOWN = Symbol('server shutting down');

const LEVEL: Partial<Record<string, 'warn' | 'error'>> = {
  INTERNAL: 'error',
  TIMEOUT: 'warn',
  UPSTREAM_UNAVAILABLE: 'warn',
  UNAVAILABLE: 'warn',
};

/** `_meta` values a client may send to tie calls together; capped so a client cannot flood the logs. */
function metaId(meta: McpCallInfo['meta'], key: string): string | undefined {
  const value = meta?.[key];
  return typeof value === 'string' && value !== '' ? value.slice(0, 128) : undefined;
}

function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((issue) => `${issue.path.join('.') || '(arguments)'}: ${issue.message}`).join('; ');
}

/**
 * Runs every tool call: request context → feature middleware (outermost first) → retirement, argument
 * validation → the handler under its deadline → output validation; then one log line and one `tool.call`
 * event. Whatever happens, the caller gets a result: data, or the error envelope with `isError: true`.
 */
export class ToolRunner {
  readonly #options: ToolRunnerOptions;
  readonly #chain: (call: RunningCall) => Promise<ToolOutcome>;
  readonly #inFlight = new Set<AbortController>();
  #onIdle: (() => void) | undefined;
  #closing = false;

  constructor(options: ToolRunnerOptions) {
    this.#options = options;
    this.#chain = options.middleware.reduceRight<(call: RunningCall) => Promise<ToolOutcome>>(
      (next, middleware) => (call) => middleware(call, () => next(call)),
      (call) => this.#execute(call),
    );
    const names = new Set(options.tools.map(publishedName));
    const unknown = Object.keys(options.config.TOOL_TIMEOUTS).filter((name) => !names.has(name));
    if (unknown.length > 0) {
      throw new ConfigError([
        `TOOL_TIMEOUTS: no tool is published as ${unknown.join(', ')} (tools: ${[...names].join(', ')})`,
      ]);
    }
  }

  /** The function the MCP server calls for one tool; everything per-tool is resolved here, once. */
  handlerFor(tool: ToolDefinition): ToolHandler {
    const { config, logger } = this.#options;
    const name = publishedName(tool);
    const prepared: PreparedTool = {
      tool,
      name,
      timeoutMs:
        config.TOOL_TIMEOUTS[name] ??
        tool.timeoutMs ??
        (tool.external ? config.EXTERNAL_TOOL_TIMEOUT_MS : config.TOOL_TIMEOUT_MS),
      log: logger.child({ tool: name }),
    };
    if (tool.deprecated) prepared.sunsetMs = Date.parse(tool.deprecated.sunset);
    return (args, info) => this.#run(prepared, args, info);
  }

  /** Waits for in-flight calls, at most `timeoutMs`; then aborts the rest. Returns how many were aborted. */
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

  #run(prepared: PreparedTool, args: unknown, info: McpCallInfo): Promise<CallToolResult> {
    const current = currentRequest();
    const correlationId = metaId(info.meta, 'correlationId');
    const runId = metaId(info.meta, 'runId');
    if (current !== undefined) {
      // HTTP: one request is one call, so the call's own IDs refine the request's context in place.
      if (correlationId !== undefined) current.correlationId = correlationId;
      if (runId !== undefined) current.runId = runId;
      return this.#call(prepared, args, info, current);
    }
    // No HTTP request around us: the call came over stdio, where the launching process is the principal.
    const requestId = randomUUID();
    const context: RequestContext = {
      requestId,
      correlationId: correlationId ?? requestId,
      principal: STDIO_CLIENT,
    };
    if (runId !== undefined) context.runId = runId;
    return requestContext.run(context, () => this.#call(prepared, args, info, context));
  }

  async #call(prepared: PreparedTool, args: unknown, info: McpCallInfo, context: RequestContext) {
    const started = performance.now();
    const controller = new AbortController();
    const call: RunningCall = {
      tool: prepared.tool,
      name: prepared.name,
      args,
      principal: context.principal,
      requestId: context.requestId,
      correlationId: context.correlationId,
      runId: context.runId,
      signal: controller.signal,
      timeoutMs: prepared.timeoutMs,
      rpcId: info.rpcId,
      meta: info.meta,
      protocolVersion: info.protocolVersion,
      prepared,
      controller,
      context,
      handlerRan: false,
    };
    const cancel = () => controller.abort(CANCELLED);
    info.signal.addEventListener('abort', cancel, { once: true });
    this.#inFlight.add(controller);
    let outcome: ToolOutcome;
    try {
      outcome = this.#closing ? this.#aborted(SHUTTING_DOWN) : await this.#chain(call);
    } catch (error) {
      // A middleware threw: same treatment as a handler that threw.
      outcome = { ok: false, error: toEnvelope(error), cause: error };
    } finally {
      info.signal.removeEventListener('abort', cancel);
      this.#inFlight.delete(controller);
      if (this.#inFlight.size === 0) this.#onIdle?.();
    }
    return this.#finish(call, outcome, performance.now() - started);
  }

  async #execute(call: RunningCall): Promise<ToolOutcome> {
    const { prepared } = call;
    const { deprecated } = prepared.tool;
    if (deprecated && prepared.sunsetMs !== undefined) {
      if (Date.now() >= prepared.sunsetMs) {
        const message = `${call.name} was retired on ${deprecated.sunset}. Call ${deprecated.replacedBy} instead.`;
        return { ok: false, error: envelope('TOOL_RETIRED', message) };
      }
      prepared.log.warn(
        deprecated,
        `deprecated tool called; callers should move to ${deprecated.replacedBy}`,
      );
    }
    const parsed = prepared.tool.input.safeParse(call.args ?? {});
    if (!parsed.success) {
      const message = `Invalid arguments for ${call.name}: ${describeIssues(parsed.error.issues)}`;
      return { ok: false, error: envelope('INVALID_ARGUMENT', message) };
    }
    if (call.signal.aborted) return this.#aborted(call.signal.reason);
    call.handlerRan = true;
    return this.#withDeadline(call, parsed.data);
  }

  /**
   * The handler under its deadline: on expiry the caller gets TIMEOUT at once and the handler's signal is
   * aborted; one that ignores its signal is logged when it finally returns (that tool needs fixing).
   */
  async #withDeadline(call: RunningCall, args: Record<string, unknown>): Promise<ToolOutcome> {
    const { prepared } = call;
    const settled = await raceDeadline(
      () => prepared.tool.handler(args, this.#toolContext(call)),
      call.controller,
      prepared.timeoutMs,
      () => prepared.log.warn('tool finished after its deadline; make its handler honour ctx.signal'),
    );
    switch (settled.kind) {
      case 'done':
        return this.#output(call, settled.value);
      case 'failed':
        return { ok: false, error: toEnvelope(settled.error), cause: settled.error };
      case 'timeout': {
        const message = `${call.name} did not finish within ${prepared.timeoutMs} ms and was stopped.`;
        return { ok: false, error: envelope('TIMEOUT', message) };
      }
      case 'aborted':
        return this.#aborted(settled.reason);
    }
  }

  #toolContext(call: RunningCall): ToolContext {
    const context: ToolContext = {
      signal: call.signal,
      principal: call.principal,
      log: call.prepared.log,
      requestId: call.requestId,
      correlationId: call.correlationId,
      config: this.#options.config,
    };
    if (call.runId !== undefined) context.runId = call.runId;
    return context;
  }

  /** A result that does not match the tool's own output schema is our bug, not the caller's: INTERNAL. */
  #output(call: RunningCall, output: unknown): ToolOutcome {
    const parsed = call.tool.output.safeParse(output);
    if (parsed.success) return { ok: true, result: parsed.data as Record<string, unknown> };
    const cause = new Error(
      `output does not match the output schema: ${describeIssues(parsed.error.issues)}`,
    );
    return { ok: false, error: toEnvelope(cause), cause };
  }

  #aborted(reason: unknown): ToolOutcome {
    return reason === SHUTTING_DOWN
      ? {
          ok: false,
          error: envelope('UNAVAILABLE', 'The server is shutting down. Retry; another instance will answer.'),
        }
      : { ok: false, error: envelope('CANCELLED', 'The call was cancelled by the client.') };
  }

  #finish(call: RunningCall, outcome: ToolOutcome, elapsedMs: number): CallToolResult {
    const { tool, context } = call;
    const durationMs = Math.round(elapsedMs * 10) / 10;
    const cost = call.handlerRan ? (tool.cost ?? 1) : 0;
    const { result, error } = toCallToolResult(outcome, context);
    const code = error?.error ?? 'ok';
    const line = {
      principal: context.principal.id,
      outcome: code,
      durationMs,
      cost,
      result: resultShape(result.content as { type: string; text?: string }[]),
      args: redactArgs(call.args),
      ...(error && { error: { code, message: error.message } }),
      ...(!outcome.ok && code === 'INTERNAL' && { err: outcome.cause }),
      ...(!outcome.ok && code !== 'INTERNAL' && causeOf(outcome.cause)),
    };
    call.prepared.log[LEVEL[code] ?? 'info'](line, 'tool call');
    this.#options.events.emit('tool.call', {
      tool: call.name,
      principal: context.principal,
      outcome: error?.error ?? 'ok',
      durationMs,
      cost,
    });
    return result;
  }
}
