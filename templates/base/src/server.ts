import {
  type McpRequestContext,
  McpServer,
  PROTOCOL_VERSION_META_KEY,
  type ServerContext,
  type StandardSchemaWithJSON,
  type Tool,
} from '@modelcontextprotocol/server';
import { publishedName, type ToolDefinition } from './core/tool.js';
import type { McpCallInfo, ToolHandler, ToolRunner } from './core/tool-runner.js';
import { type JsonSchema, toolSchemas } from './core/tool-schema.js';

export interface ServerIdentity {
  name: string;
  version: string;
}

/**
 * Hands the SDK a schema already converted to JSON Schema, with a validator that lets every value through.
 * Why: the stateless protocol builds a fresh McpServer per request, and converting zod schemas on every
 * request is what made naive servers slow; and the ToolRunner validates arguments itself, so a bad call
 * gets the INVALID_ARGUMENT envelope, a log line and a `tool.call` event instead of the SDK's bare text error.
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

function callInfo(ctx: ServerContext): McpCallInfo {
  const { mcpReq } = ctx;
  return {
    signal: mcpReq.signal,
    rpcId: mcpReq.id,
    meta: mcpReq._meta,
    protocolVersion:
      (mcpReq.envelope as Record<string, string | undefined> | undefined)?.[PROTOCOL_VERSION_META_KEY] ??
      ctx.http?.req?.headers.get('mcp-protocol-version') ??
      undefined,
  };
}

interface Entry {
  name: string;
  listing: Tool;
  config: { inputSchema: StandardSchemaWithJSON; outputSchema: StandardSchemaWithJSON };
  handler: ToolHandler;
  sunsetMs?: number;
}

function entry(tool: ToolDefinition, runner: ToolRunner): Entry {
  const name = publishedName(tool);
  const schemas = toolSchemas(tool);
  const listing: Tool = {
    name,
    title: tool.title,
    description: tool.description,
    inputSchema: schemas.input as Tool['inputSchema'],
    outputSchema: schemas.output as Tool['outputSchema'],
  };
  if (tool.annotations) listing.annotations = tool.annotations;
  const result: Entry = {
    name,
    listing,
    config: { inputSchema: frozenSchema(schemas.input), outputSchema: frozenSchema(schemas.output) },
    handler: runner.handlerFor(tool),
  };
  if (tool.deprecated) {
    const { replacedBy, sunset } = tool.deprecated;
    // Agents read descriptions; clients and gateways can read `_meta`. Say it in both.
    listing.description = `${tool.description}\n\nDeprecated: use ${replacedBy} instead. This version stops working on ${sunset}.`;
    listing._meta = { deprecated: { replacedBy, sunset } };
    result.sunsetMs = Date.parse(sunset);
  }
  return result;
}

/**
 * Builds the per-request server factory. Everything expensive (JSON Schemas, listings, per-tool settings)
 * happens here, once; the factory itself only registers prepared objects on a fresh McpServer.
 */
export function createServerFactory(
  tools: readonly ToolDefinition[],
  runner: ToolRunner,
  identity: ServerIdentity,
): (context?: McpRequestContext) => McpServer {
  const entries = tools.map((tool) => entry(tool, runner));
  const seen = new Set<string>();
  for (const { name } of entries) {
    if (seen.has(name))
      throw new Error(`Two tools are published as ${name}: give one of them another name or version`);
    seen.add(name);
  }
  // Retired versions stay registered, so a late caller gets TOOL_RETIRED naming the replacement, but leave the list.
  const listed = () => {
    const now = Date.now();
    return entries.filter((e) => e.sunsetMs === undefined || now < e.sunsetMs).map((e) => e.listing);
  };

  const byName = new Map(entries.map((e) => [e.name, e]));
  /**
   * A 2026-07-28 `tools/call` names its tool in the Mcp-Name header (the SDK rejects a header that disagrees
   * with the body), so that request only needs that one tool: the per-request cost stays flat however many
   * tools the server has. Everything else (legacy requests, stdio) gets them all.
   */
  const needed = (context?: McpRequestContext): readonly Entry[] => {
    const headers = context?.era === 'modern' ? context.requestInfo?.headers : undefined;
    const one =
      headers?.get('mcp-method') === 'tools/call' ? byName.get(headers.get('mcp-name') ?? '') : undefined;
    return one ? [one] : entries;
  };

  return (context) => {
    const server = new McpServer(identity, { capabilities: { tools: { listChanged: false } } });
    for (const { name, config, handler } of needed(context)) {
      server.registerTool(name, config, (args, ctx) => handler(args, callInfo(ctx)));
    }
    server.server.removeRequestHandler('tools/list');
    server.server.setRequestHandler('tools/list', () => ({ tools: listed() }));
    return server;
  };
}
