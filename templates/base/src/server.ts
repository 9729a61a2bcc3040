import {
  type CallToolResult,
  type Icon,
  type InputResponses,
  type McpRequestContext,
  McpServer,
  type McpServerOptions,
  ProtocolError,
  ProtocolErrorCode,
} from '@modelcontextprotocol/server';
import { z } from 'zod';
import { completionSpec } from './core/completion.js';
import { type Listing, listSpec } from './core/listing.js';
import type { Outcome } from './core/operation.js';
import type { Pipeline } from './core/pipeline.js';
import type { PromptDefinition } from './core/prompt.js';
import { PromptCatalog } from './core/prompt-operations.js';
import { toProtocolError } from './core/protocol-error.js';
import { requestInfo } from './core/request-info.js';
import type { AnyResource } from './core/resource.js';
import { ResourceCatalog } from './core/resource-operations.js';
import { MemoryTaskStore, type TaskStore } from './core/task-store.js';
import { TASKS_EXTENSION, Tasks } from './core/tasks.js';
import type { ToolDefinition } from './core/tool.js';
import { ToolCatalog } from './core/tool-catalog.js';
import { toCallToolResult } from './core/tool-result.js';
import { nextSunset } from './core/versioning.js';

/** Who this server says it is (`server/discover`, `initialize`): from package.json. */
export interface ServerIdentity {
  name: string;
  version: string;
  title?: string;
  description?: string;
  websiteUrl?: string;
  icons?: Icon[];
  /** How to use this server, for the client's model. */
  instructions?: string;
}

/** Everything the server publishes. */
export interface Catalog {
  tools: readonly ToolDefinition[];
  resources?: readonly AnyResource[];
  prompts?: readonly PromptDefinition[];
}

/** SDK server options a project may add. Not `requestState`: the pipeline seals and verifies it (core/request-state.ts). */
export type ExtraServerOptions = Pick<McpServerOptions, 'requestState'>;

/** Builds the server for one request; `settleTasks`, on shutdown after the drain, waits for task outcomes to be written. */
export type ServerFactory = ((context?: McpRequestContext) => McpServer) & {
  settleTasks(): Promise<void>;
};

/** Lists vary per caller (filtered by scopes), so shared caches must not keep them. */
const LIST_TTL_MS = 60_000;

/** A refusal the spec answers as a JSON-RPC error whatever the method (a forged requestState: -32602). */
function protocolRefusal(outcome: Outcome): void {
  if (!outcome.ok && outcome.cause instanceof ProtocolError) throw outcome.cause;
}

/** An outcome as a JSON-RPC result, or the error the client receives. */
function resultOf<T>(outcome: Outcome<T>, uri?: string): T {
  protocolRefusal(outcome);
  if (!outcome.ok) throw toProtocolError(outcome.error, uri);
  return outcome.result;
}

const listed = <T>(listing: Listing<T>) => listing.entries.map((entry) => entry.value);

const notFound = (uri: string) =>
  toProtocolError({ error: 'NOT_FOUND', message: `No resource at ${uri}`, retryable: false }, uri);

/**
 * Builds the per-request server factory. Everything expensive (JSON Schemas, listings, per-item settings)
 * happens here, once. The factory answers every method with its own handler rather than registering items on
 * the McpServer: the stateless protocol builds a server per request, so registering would redo work per
 * request; and each request runs through the one pipeline, so every failure gets the envelope, a log line
 * and an `operation` event instead of the SDK's bare text error.
 */
export function createServerFactory(
  catalog: Catalog,
  pipeline: Pipeline,
  identity: ServerIdentity,
  extra: ExtraServerOptions = {},
  taskStore: TaskStore = new MemoryTaskStore(),
): ServerFactory {
  const { config, logger } = pipeline;
  const tools = new ToolCatalog(catalog.tools, config, logger);
  const resources = new ResourceCatalog(catalog.resources ?? [], config, logger);
  const prompts = new PromptCatalog(catalog.prompts ?? [], config, logger);

  const toolsList = listSpec('tools/list', config, logger, () =>
    tools.listed().map((e) => ({ scopes: e.spec.tool.scopes, value: e.listing })),
  );
  const resourcesList = listSpec('resources/list', config, logger, (ctx) => resources.list(ctx));
  const templatesList = listSpec('resources/templates/list', config, logger, () => resources.templates());
  const promptsList = listSpec('prompts/list', config, logger, () => prompts.list());

  /** A list may be kept until the next sunset changes it, and never by a shared cache. */
  const listHint = (now: number, next: number | undefined) => ({
    ttlMs: Math.max(0, Math.min(LIST_TTL_MS, (next ?? Number.POSITIVE_INFINITY) - now)),
    cacheScope: 'private' as const,
  });

  // The tasks extension is served when a tool can run as a task (SEP-2663).
  const tasks = catalog.tools.some((tool) => tool.task)
    ? new Tasks(taskStore, pipeline, (name) => {
        try {
          return tools.get(name).spec;
        } catch {
          return undefined;
        }
      })
    : undefined;

  const hasResources = resources.size > 0;
  const hasPrompts = prompts.size > 0;
  const { instructions, ...implementation } = identity;
  /** The server's options while the next sunsets are these (they decide the cache hint and listChanged). */
  const serverOptions = (
    now: number,
    toolsChange: number | undefined,
    promptsChange: number | undefined,
  ): McpServerOptions => {
    const hint = listHint(now, nextSunset([toolsChange, promptsChange], now));
    return {
      capabilities: {
        // Declared when a list will change by itself: a deprecated version leaves it at its sunset.
        tools: { listChanged: toolsChange !== undefined },
        ...(hasResources && { resources: { listChanged: false, subscribe: true } }),
        // 2025-11-25 clients set a level with logging/setLevel; 2026-07-28 ones per request (`_meta`).
        logging: {},
        ...(hasPrompts && { prompts: { listChanged: promptsChange !== undefined } }),
        ...((hasResources || hasPrompts) && { completions: {} }),
        ...(tasks && { extensions: { [TASKS_EXTENSION]: {} } }),
      },
      ...extra,
      ...(instructions && { instructions }),
      cacheHints: {
        'tools/list': hint,
        'prompts/list': hint,
        'resources/list': hint,
        'resources/templates/list': hint,
      },
    };
  };
  // The options change only when the next sunsets do, or in the last minute before one (the list TTL counts
  // down to it); otherwise every request shares one object (the SDK copies what it keeps), instead of
  // building it afresh (a measurable share of a call when a deprecated version is listed: issue 15).
  let shared: { toolsChange?: number; promptsChange?: number; until: number; options: McpServerOptions } = {
    until: Number.NEGATIVE_INFINITY,
    options: {},
  };

  const factory = () => {
    // The next sunsets, once per request: they decide both the caching hint and the declared listChanged.
    const now = Date.now();
    const toolsChange = tools.nextChange(now);
    const promptsChange = prompts.nextSunset(now);
    if (now > shared.until || toolsChange !== shared.toolsChange || promptsChange !== shared.promptsChange) {
      const next = nextSunset([toolsChange, promptsChange], now) ?? Number.POSITIVE_INFINITY;
      const options = serverOptions(now, toolsChange, promptsChange);
      // Until a minute before the next sunset the hint is the full TTL; inside that minute, rebuilt per request.
      shared = { toolsChange, promptsChange, until: next - LIST_TTL_MS, options };
    }
    const server = new McpServer(implementation, shared.options);
    const raw = server.server;
    raw.setRequestHandler('tools/list', async (_request, ctx) => ({
      tools: listed(resultOf(await pipeline.run(toolsList, undefined, requestInfo(ctx)))),
    }));
    raw.setRequestHandler('tools/call', async (request, ctx): Promise<CallToolResult> => {
      const { spec, listing } = tools.get(request.params.name);
      const args = request.params.arguments ?? {};
      let outcome: Outcome<CallToolResult>;
      if (tasks && spec.tool.task) {
        const call = await tasks.call(spec, args, requestInfo(ctx));
        // A CreateTaskResult (SEP-2663): the SDK's CallToolResult type does not know the extension's shape.
        if ('task' in call) return call.task as unknown as CallToolResult;
        outcome = call.outcome;
      } else {
        outcome = await pipeline.run(spec, args, requestInfo(ctx));
      }
      protocolRefusal(outcome);
      return raw.projectCallToolResult(toCallToolResult(outcome), listing.outputSchema);
    });
    if (tasks) {
      const taskId = z.string().min(1);
      raw.setRequestHandler('tasks/get', { params: z.object({ taskId }).loose() }, (params, ctx) =>
        tasks.get(params.taskId, requestInfo(ctx)),
      );
      // The SDK lifts `inputResponses` out of the params (SEP-2322), as for any request that answers questions.
      raw.setRequestHandler('tasks/update', { params: z.object({ taskId }).loose() }, (params, ctx) =>
        tasks.update(params.taskId, (ctx.mcpReq.inputResponses ?? {}) as InputResponses, requestInfo(ctx)),
      );
      raw.setRequestHandler('tasks/cancel', { params: z.object({ taskId }).loose() }, (params, ctx) =>
        tasks.cancel(params.taskId, requestInfo(ctx)),
      );
    }
    if (hasResources) {
      raw.setRequestHandler('resources/list', async (_request, ctx) => ({
        resources: listed(resultOf(await pipeline.run(resourcesList, undefined, requestInfo(ctx)))),
      }));
      raw.setRequestHandler('resources/templates/list', async (_request, ctx) => ({
        resourceTemplates: listed(resultOf(await pipeline.run(templatesList, undefined, requestInfo(ctx)))),
      }));
      // Accepted for any resource that exists. Resources here are read on demand, and a stateless server has
      // no session to push `notifications/resources/updated` on; clients re-read when the TTL says so.
      const subscription = (request: { params: { uri: string } }) => {
        if (!resources.resolve(request.params.uri)) throw notFound(request.params.uri);
        return {};
      };
      raw.setRequestHandler('resources/subscribe', subscription);
      raw.setRequestHandler('resources/unsubscribe', subscription);
      raw.setRequestHandler('resources/read', async (request, ctx) => {
        const { uri } = request.params;
        const found = resources.resolve(uri);
        if (!found) throw notFound(uri);
        const args = { uri, variables: found.variables };
        return resultOf(await pipeline.run(found.prepared.spec, args, requestInfo(ctx)), uri);
      });
    }
    // Each 2025 request gets a fresh server (stateless), so there is no session to keep a level in: messages
    // a handler sends with ctx.clientLog go out on that request's own stream.
    raw.setRequestHandler('logging/setLevel', () => ({}));
    if (hasPrompts) {
      raw.setRequestHandler('prompts/list', async (_request, ctx) => ({
        prompts: listed(resultOf(await pipeline.run(promptsList, undefined, requestInfo(ctx)))),
      }));
      raw.setRequestHandler('prompts/get', async (request, ctx) => {
        const prompt = prompts.get(request.params.name);
        if (!prompt)
          throw new ProtocolError(ProtocolErrorCode.InvalidParams, `No prompt named ${request.params.name}`);
        return resultOf(await pipeline.run(prompt.spec, request.params.arguments, requestInfo(ctx)));
      });
    }
    if (hasResources || hasPrompts) {
      raw.setRequestHandler('completion/complete', async (request, ctx) => {
        const spec = completionSpec(request.params, prompts, resources, config, logger);
        if (!spec) return { completion: { values: [], total: 0, hasMore: false } };
        return resultOf(await pipeline.run(spec, request.params.argument.value, requestInfo(ctx)));
      });
    }
    return server;
  };
  return Object.assign(factory, { settleTasks: async () => tasks?.settle() });
}
