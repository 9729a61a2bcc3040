import {
  type Icon,
  type McpRequestContext,
  McpServer,
  type McpServerOptions,
  PROTOCOL_VERSION_META_KEY,
  ProtocolError,
  ProtocolErrorCode,
  type ServerContext,
  type StandardSchemaWithJSON,
  type Tool,
} from '@modelcontextprotocol/server';
import { completionSpec } from './core/completion.js';
import { type Listing, listSpec } from './core/listing.js';
import type { McpRequestInfo, Outcome } from './core/operation.js';
import type { Pipeline } from './core/pipeline.js';
import type { PromptDefinition } from './core/prompt.js';
import { PromptCatalog } from './core/prompt-operations.js';
import { toProtocolError } from './core/protocol-error.js';
import type { AnyResource } from './core/resource.js';
import { ResourceCatalog } from './core/resource-operations.js';
import type { ToolDefinition } from './core/tool.js';
import { type ToolSpec, toolSpec } from './core/tool-operation.js';
import { toCallToolResult } from './core/tool-result.js';
import { type JsonSchema, toolSchemas } from './core/tool-schema.js';

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

/** SDK server options a project may add (e.g. `requestState` to verify multi-round-trip state, SEP-2322). */
export type ExtraServerOptions = Pick<McpServerOptions, 'requestState'>;

/** Lists vary per caller (filtered by scopes), so shared caches must not keep them. */
const LIST_TTL_MS = 60_000;

/**
 * Hands the SDK a schema already converted to JSON Schema, with a validator that lets every value through.
 * Why: the stateless protocol builds a fresh McpServer per request, and converting zod schemas on every
 * request is what made naive servers slow; and the pipeline validates arguments itself, so a bad call gets
 * the INVALID_ARGUMENT envelope, a log line and an `operation` event instead of the SDK's bare text error.
 */
function frozenSchema(json: JsonSchema): StandardSchemaWithJSON {
  return {
    '~standard': {
      version: 1,
      vendor: 'prod-mcp',
      validate: (value) => ({ value }),
      jsonSchema: { input: () => json, output: () => json },
    },
  };
}

function requestInfo(ctx: ServerContext): McpRequestInfo {
  const { mcpReq } = ctx;
  const progressToken = mcpReq._meta?.progressToken;
  const info: McpRequestInfo = {
    signal: mcpReq.signal,
    rpcId: mcpReq.id,
    meta: mcpReq._meta,
    protocolVersion:
      (mcpReq.envelope as Record<string, string | undefined> | undefined)?.[PROTOCOL_VERSION_META_KEY] ??
      ctx.http?.req?.headers.get('mcp-protocol-version') ??
      undefined,
    clientLog: (level, message) => mcpReq.log(level, message),
    sdk: ctx,
  };
  if (progressToken !== undefined) {
    info.progress = (progress, total, message) =>
      mcpReq.notify({
        method: 'notifications/progress',
        params: {
          progressToken,
          progress,
          ...(total !== undefined && { total }),
          ...(message && { message }),
        },
      });
  }
  return info;
}

interface ToolEntry {
  spec: ToolSpec;
  listing: Tool;
  config: { inputSchema: StandardSchemaWithJSON; outputSchema?: StandardSchemaWithJSON };
}

function toolEntry(spec: ToolSpec): ToolEntry {
  const { tool, name } = spec;
  const schemas = toolSchemas(tool);
  const listing: Tool = {
    name,
    title: tool.title,
    description: tool.description,
    inputSchema: schemas.input as Tool['inputSchema'],
  };
  const config: ToolEntry['config'] = { inputSchema: frozenSchema(schemas.input) };
  if (schemas.output) {
    listing.outputSchema = schemas.output as Tool['outputSchema'];
    config.outputSchema = frozenSchema(schemas.output);
  }
  if (tool.annotations) listing.annotations = tool.annotations;
  if (tool.deprecated) {
    const { replacedBy, sunset } = tool.deprecated;
    // Agents read descriptions; clients and gateways can read `_meta`. Say it in both.
    listing.description = `${tool.description}\n\nDeprecated: use ${replacedBy} instead. This version stops working on ${sunset}.`;
    listing._meta = { deprecated: { replacedBy, sunset } };
  }
  return { spec, listing, config };
}

/** An outcome as a JSON-RPC result, or the error the client receives. */
function resultOf<T>(outcome: Outcome<T>, uri?: string): T {
  if (!outcome.ok) throw toProtocolError(outcome.error, uri);
  return outcome.result;
}

const listed = <T>(listing: Listing<T>) => listing.entries.map((entry) => entry.value);

/**
 * Builds the per-request server factory. Everything expensive (JSON Schemas, listings, per-item settings)
 * happens here, once; the factory only registers prepared objects on a fresh McpServer. Every request it
 * answers runs through the one pipeline.
 */
export function createServerFactory(
  catalog: Catalog,
  pipeline: Pipeline,
  identity: ServerIdentity,
  extra: ExtraServerOptions = {},
): (context?: McpRequestContext) => McpServer {
  const { config, logger } = pipeline;
  const entries = catalog.tools.map((tool) => toolEntry(toolSpec(tool, config, logger)));
  const byName = new Map<string, ToolEntry>();
  for (const entry of entries) {
    if (byName.has(entry.spec.name))
      throw new Error(
        `Two tools are published as ${entry.spec.name}: give one of them another name or version`,
      );
    byName.set(entry.spec.name, entry);
  }
  const resources = new ResourceCatalog(catalog.resources ?? [], config, logger);
  const prompts = new PromptCatalog(catalog.prompts ?? [], config, logger);
  const sunsets = entries.flatMap((e) => (e.spec.sunsetMs === undefined ? [] : [e.spec.sunsetMs]));

  // Retired versions stay registered, so a late caller gets TOOL_RETIRED naming the replacement, but leave the list.
  const toolsList = listSpec('tools/list', config, logger, () => {
    const now = Date.now();
    return entries
      .filter((e) => e.spec.sunsetMs === undefined || now < e.spec.sunsetMs)
      .map((e) => ({ scopes: e.spec.tool.scopes, value: e.listing }));
  });
  const resourcesList = listSpec('resources/list', config, logger, (ctx) => resources.list(ctx));
  const templatesList = listSpec('resources/templates/list', config, logger, () => resources.templates());
  const promptsList = listSpec('prompts/list', config, logger, () => prompts.list());

  /** A list may be kept until the next sunset changes it, and never by a shared cache. */
  const listHint = () => {
    const now = Date.now();
    const next = [...sunsets, prompts.nextSunset(now) ?? Number.POSITIVE_INFINITY].filter((t) => t > now);
    return {
      ttlMs: Math.max(0, Math.min(LIST_TTL_MS, Math.min(...next) - now)),
      cacheScope: 'private' as const,
    };
  };

  /**
   * A 2026-07-28 `tools/call` names its tool in the Mcp-Name header (the SDK rejects a header that disagrees
   * with the body), so that request only needs that one tool: the per-request cost stays flat however many
   * tools the server has. Everything else (legacy requests, stdio) gets them all.
   */
  const needed = (context?: McpRequestContext): readonly ToolEntry[] => {
    const headers = context?.era === 'modern' ? context.requestInfo?.headers : undefined;
    const one =
      headers?.get('mcp-method') === 'tools/call' ? byName.get(headers.get('mcp-name') ?? '') : undefined;
    return one ? [one] : entries;
  };

  const hasResources = resources.size > 0;
  const hasPrompts = prompts.size > 0;
  return (context) => {
    const hint = listHint();
    const server = new McpServer(
      {
        name: identity.name,
        version: identity.version,
        ...(identity.title && { title: identity.title }),
        ...(identity.description && { description: identity.description }),
        ...(identity.websiteUrl && { websiteUrl: identity.websiteUrl }),
        ...(identity.icons && { icons: identity.icons }),
      },
      {
        capabilities: {
          tools: { listChanged: false },
          ...(hasResources && { resources: { listChanged: false, subscribe: true } }),
          // 2025-11-25 clients set a level with logging/setLevel; 2026-07-28 ones per request (`_meta`).
          logging: {},
          ...(hasPrompts && { prompts: { listChanged: false } }),
          ...((hasResources || hasPrompts) && { completions: {} }),
        },
        ...extra,
        ...(identity.instructions && { instructions: identity.instructions }),
        cacheHints: {
          'tools/list': hint,
          'prompts/list': hint,
          'resources/list': hint,
          'resources/templates/list': hint,
        },
      },
    );
    for (const { spec, config: schemas } of needed(context)) {
      server.registerTool(spec.name, schemas, async (args, ctx) => {
        return toCallToolResult(await pipeline.run(spec, args, requestInfo(ctx)));
      });
    }
    const raw = server.server;
    raw.removeRequestHandler('tools/list');
    raw.setRequestHandler('tools/list', async (_request, ctx) => ({
      tools: listed(resultOf(await pipeline.run(toolsList, undefined, requestInfo(ctx)))),
    }));
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
        const { uri } = request.params;
        if (!resources.resolve(uri))
          throw toProtocolError(
            { error: 'NOT_FOUND', message: `No resource at ${uri}`, retryable: false },
            uri,
          );
        return {};
      };
      raw.setRequestHandler('resources/subscribe', subscription);
      raw.setRequestHandler('resources/unsubscribe', subscription);
      raw.setRequestHandler('resources/read', async (request, ctx) => {
        const { uri } = request.params;
        const found = resources.resolve(uri);
        if (!found)
          throw toProtocolError(
            { error: 'NOT_FOUND', message: `No resource at ${uri}`, retryable: false },
            uri,
          );
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
}
