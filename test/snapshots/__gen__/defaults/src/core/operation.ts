import type { Logger } from 'pino';
import type { BaseConfig } from '../config.js';
import type { ErrorEnvelope } from './errors.js';
import type { InputRound } from './input-required.js';
import type { Principal } from './principal.js';

/** Every MCP request the server answers itself; each one runs through the same pipeline (pipeline.ts). */
export type OperationKind =
  | 'tools/list'
  | 'tools/call'
  | 'resources/list'
  | 'resources/templates/list'
  | 'resources/read'
  | 'prompts/list'
  | 'prompts/get'
  | 'completion/complete';

/** The tool, resource or prompt an operation acts on, with the policy its definition declares. */
export interface OperationItem {
  /** Published name: `search_v2`, a resource's name, `summarise_v1`. */
  name: string;
  /** What per-item rate limits count: the name without its version, so versions share one allowance. */
  limitKey: string;
  /** Scopes a caller needs (checked by the auth feature's middleware). */
  scopes?: readonly string[];
  /** Calls per caller per minute on this item; overrides RATE_LIMIT_PER_MINUTE. */
  rateLimitPerMinute?: number;
  /** Cost units accounted when the handler ran. */
  cost: number;
}

/** One operation as middleware sees it (auth scopes, limits, budgets, spans, metrics). */
export interface Operation {
  kind: OperationKind;
  /** What the operation acts on; absent for lists, which are filtered per caller instead. */
  item?: OperationItem;
  /** `item.name`, or the kind for lists: what log lines, spans and refusals name. */
  name: string;
  args: unknown;
  principal: Principal;
  requestId: string;
  correlationId: string;
  runId?: string;
  signal: AbortSignal;
  /** The operation's deadline in ms: middleware that waits on a dependency (a Redis limit check) waits no longer. */
  timeoutMs?: number;
  /** The JSON-RPC `id` of the request. */
  rpcId?: string | number;
  /** `params._meta` as the client sent it, e.g. W3C trace context (`traceparent`, `tracestate`; SEP-414). */
  meta?: Readonly<Record<string, unknown>>;
  /** The MCP protocol revision the request was made under, e.g. `2026-07-28`. */
  protocolVersion?: string;
  /** A later round of a multi-round call (its requestState verified): limits and budgets counted the first. */
  continuation?: boolean;
}

export type Outcome<T = unknown> =
  | { ok: true; result: T }
  | { ok: false; error: ErrorEnvelope; cause?: unknown };

/** Wraps every operation, outermost first in feature order. Return `next()` to go on, or an outcome to stop. */
export type OperationMiddleware = (operation: Operation, next: () => Promise<Outcome>) => Promise<Outcome>;

/** What the SDK tells us about one request (server.ts maps its handler context to this). */
export interface McpRequestInfo {
  signal: AbortSignal;
  rpcId?: string | number;
  meta?: Readonly<Record<string, unknown>>;
  protocolVersion?: string;
  /** Sends `notifications/progress` when the client asked for progress (it sent a progress token). */
  progress?: (progress: number, total?: number, message?: string) => Promise<void>;
  /** Sends `notifications/message`; the SDK drops it unless the request asked for that log level. */
  clientLog?: (level: 'debug' | 'info' | 'warning' | 'error', message: string) => Promise<void>;
  /** The SDK's own request context, for protocol features this project does not wrap (yet). */
  sdk?: import('@modelcontextprotocol/server').ServerContext;
  /** A task's later round (tasks.ts): the state and answers it kept, instead of the request's. */
  requestState?: string;
  inputResponses?: import('@modelcontextprotocol/server').InputResponses;
}

/** What every handler (tool, resource, prompt) gets besides its arguments; `ask`/`input` are input-required.ts. */
export interface HandlerContext extends InputRound {
  /** Aborted when the deadline passes, the client cancels, or the server shuts down: pass it to every I/O call. */
  signal: AbortSignal;
  principal: Principal;
  /** Logger bound to this request's IDs and the item's name. */
  log: Logger;
  requestId: string;
  correlationId: string;
  /** The agent run this call belongs to, when the client said (X-Run-Id header or `_meta.runId`). */
  runId?: string;
  /** The validated configuration: read settings here, never from `process.env`. */
  config: BaseConfig;
  /**
   * Reports progress to the client (`notifications/progress`) when it asked for it; a no-op otherwise.
   * Also the keep-alive for long calls. Throttled: calls closer together than 100 ms are coalesced.
   */
  progress(done: number, total?: number, message?: string): Promise<void>;
  /** Sends a log message to the client, delivered only if the request asked for that level. */
  clientLog(level: 'debug' | 'info' | 'warning' | 'error', message: string): Promise<void>;
  /** The SDK's request context, for protocol features not wrapped here. */
  sdk?: import('@modelcontextprotocol/server').ServerContext;
}
