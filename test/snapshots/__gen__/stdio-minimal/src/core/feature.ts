import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { BaseConfig } from '../config.js';
import type { ErrorEnvelope } from './errors.js';
import type { AppEventBus } from './events.js';
import type { Health } from './health.js';
import type { ListChanges } from './list-changes.js';
import type { OperationMiddleware } from './operation.js';
import type { Principal } from './principal.js';
import type { PromptDefinition } from './prompt.js';
import type { AnyResource } from './resource.js';
import type { TaskStore } from './task-store.js';
import type { ToolDefinition } from './tool.js';

export type { Operation, OperationMiddleware, Outcome } from './operation.js';

/**
 * The contract between the composition root and a feature folder (`src/features/<id>/`).
 * `src/features.generated.ts` lists the chosen features; main.ts validates every feature's env together
 * (so one run reports every bad variable), then calls `setup` in list order and composes what they return.
 */
export interface FeatureModule<Env extends z.ZodObject = z.ZodObject> {
  id: string;
  /** The environment variables this feature reads. */
  env: Env;
  /**
   * The transports this feature serves (default: both). It is neither validated nor set up otherwise:
   * HTTP authentication declares ['http'], so a server started with --stdio does not ask for API keys.
   */
  transports?: readonly ('http' | 'stdio')[];
  setup(env: z.output<Env>, app: App): FeatureRuntime | Promise<FeatureRuntime>;
}

/** What a feature receives at setup: shared services, never another feature's internals. */
export interface App {
  config: BaseConfig;
  /** The transport this process serves (a server generated with both serves one per process). */
  transport: 'http' | 'stdio';
  logger: Logger;
  events: AppEventBus;
  tools: readonly ToolDefinition[];
  resources: readonly AnyResource[];
  prompts: readonly PromptDefinition[];
}

/** What a feature contributes. Every member is optional; the composition root wires what is present. */
export interface FeatureRuntime {
  /** Serves MCP (http, stdio). main.ts starts the one MCP_TRANSPORT selects. */
  transport?: Transport;
  /** Proves who is calling over HTTP (auth slot; at most one). */
  authenticator?: Authenticator;
  /** HTTP middleware on /mcp, run before authentication (e.g. a per-IP flood limit). */
  beforeAuth?: HttpMiddleware[];
  /** HTTP middleware on /mcp, run after authentication, with the principal in the request context. */
  afterAuth?: HttpMiddleware[];
  /**
   * Asked when a request's body is a JSON-RPC batch its protocol version allows (2025-03-26 only), with how
   * many messages it carries beyond the first: a limit that counts requests counts every message.
   */
  batchGuards?: BatchGuard[];
  /** Extra HTTP endpoints (e.g. /metrics, /.well-known/oauth-protected-resource/mcp). Not behind MCP auth. */
  routes?: Route[];
  /**
   * Wraps every MCP operation (tool calls, resource reads, prompt gets, lists, completion), outermost first
   * in feature order: tracing, metrics, scopes, limits and budgets register once and cover every kind.
   */
  middleware?: OperationMiddleware[];
  /** Dependencies /readyz checks (e.g. Redis). */
  readiness?: ReadinessCheck[];
  /** Where tasks live when every replica must see them (Redis); without one, in this process's memory. */
  taskStore?: TaskStore;
  /** Release resources on shutdown, after in-flight calls drained. */
  close?(): Promise<void>;
}

export interface Transport {
  name: 'http' | 'stdio';
  /** Starts serving; the returned function stops accepting work, drains in-flight calls and resolves. */
  start(server: ServerParts): Promise<{ stop(): Promise<void>; url?: URL }>;
}

/** What the composition root hands a transport: the per-request MCP server factory and the HTTP pipeline. */
export interface ServerParts {
  /** Pass the SDK's request context when there is one: it lets the factory register only what the request needs. */
  createMcpServer: (
    context?: import('@modelcontextprotocol/server').McpRequestContext,
  ) => import('@modelcontextprotocol/server').McpServer;
  authenticator?: Authenticator;
  beforeAuth: HttpMiddleware[];
  afterAuth: HttpMiddleware[];
  batchGuards: BatchGuard[];
  routes: Route[];
  readiness: ReadinessCheck[];
  /** Readiness (dependency checks + draining) for /readyz. */
  health: Health;
  /** Waits for in-flight operations, at most DRAIN_TIMEOUT_MS, then aborts the rest. Transports call it in `stop`. */
  drain(): Promise<void>;
  /** Asks the composition root for a graceful shutdown (e.g. stdin closed): the same path as SIGTERM. */
  requestShutdown(reason: string): void;
  /** Lists that change by themselves (a version's sunset): the transport tells its listening clients. */
  listChanges: ListChanges;
}

export type AuthOutcome =
  | { ok: true; principal: Principal }
  | {
      ok: false;
      /** 503 when credentials cannot be checked right now (e.g. the identity provider's keys are unreachable). */
      status: 400 | 401 | 403 | 503;
      error: ErrorEnvelope;
      /** e.g. WWW-Authenticate. */
      headers?: Record<string, string>;
      /** For the log line only; never sent to the client. */
      reason: string;
    };

export interface Authenticator {
  authenticate(req: IncomingMessage): Promise<AuthOutcome>;
}

/** Calls `next()` to continue, or answers the response itself and does not. */
export type HttpMiddleware = (
  req: IncomingMessage,
  res: ServerResponse,
  next: () => Promise<void>,
) => Promise<void>;

/** Returns the refusal to answer the whole batch with, or undefined to let it through. */
export type BatchGuard = (extraMessages: number) => Promise<ErrorEnvelope | undefined>;

export interface Route {
  method: 'GET' | 'POST';
  path: string;
  handle(req: IncomingMessage, res: ServerResponse): void | Promise<void>;
}

export interface ReadinessCheck {
  name: string;
  /** `degraded` keeps the server ready but says so (e.g. Redis down under a fail-open policy). */
  check(): Promise<{ ok: boolean; degraded?: boolean; detail?: string }>;
}
