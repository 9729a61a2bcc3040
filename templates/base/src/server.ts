import {
  type CallToolResult,
  type McpRequestContext,
  McpServer,
  PROTOCOL_VERSION_META_KEY,
  ProtocolError,
  ProtocolErrorCode,
  type ServerContext,
  type Tool,
} from '@modelcontextprotocol/server';
import { envelope } from './core/errors.js';
import { publishedName, type ToolDefinition } from './core/tool.js';
import type { McpCallInfo, ToolHandler, ToolRunner } from './core/tool-runner.js';
import { toolSchemas } from './core/tool-schema.js';

export interface ServerIdentity {
  name: string;
  version: string;
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
 * A call to a tool that does not exist is a protocol error (-32602), as the spec asks ("Unknown tools" are
 * protocol errors, not tool results). The message is written for the model that made the call: it names the
 * tools it can call and, when the name lacks its version or names another one, the version it likely meant.
 */
function unknownTool(name: string, listed: readonly string[]): ProtocolError {
  const base = (tool: string) => tool.replace(/_v\d+$/, '');
  const guess = listed.filter((tool) => base(tool) === base(name)).at(-1);
  const message = `Unknown tool "${name}".${guess ? ` Did you mean ${guess}?` : ''} Tools: ${listed.join(', ')}.`;
  return new ProtocolError(ProtocolErrorCode.InvalidParams, message, {
    ...envelope('NOT_FOUND', message),
    tools: listed,
  });
}

/**
 * Builds the per-request server factory. Everything expensive (JSON Schemas, listings, per-tool settings)
 * happens here, once. The factory answers `tools/list` and `tools/call` itself rather than registering each
 * tool on the McpServer: the stateless protocol builds a server per request, so registering would redo work
 * per request; and the ToolRunner validates arguments and results itself, so every failure gets the envelope,
 * a log line and a `tool.call` event instead of the SDK's bare text error.
 */
export function createServerFactory(
  tools: readonly ToolDefinition[],
  runner: ToolRunner,
  identity: ServerIdentity,
): (context?: McpRequestContext) => McpServer {
  const entries = tools.map((tool) => entry(tool, runner));
  const byName = new Map<string, Entry>();
  for (const e of entries) {
    if (byName.has(e.name))
      throw new Error(`Two tools are published as ${e.name}: give one of them another name or version`);
    byName.set(e.name, e);
  }
  // Retired versions stay callable, so a late caller gets TOOL_RETIRED naming the replacement, but leave the list.
  const listed = () => {
    const now = Date.now();
    return entries.filter((e) => e.sunsetMs === undefined || now < e.sunsetMs).map((e) => e.listing);
  };
  const listedNames = () => listed().map((tool) => tool.name);

  return () => {
    const server = new McpServer(identity, { capabilities: { tools: { listChanged: false } } });
    server.server.setRequestHandler('tools/list', () => ({ tools: listed() }));
    server.server.setRequestHandler('tools/call', async (request, ctx): Promise<CallToolResult> => {
      const { name, arguments: args } = request.params;
      const found = byName.get(name);
      if (!found) throw unknownTool(name, listedNames());
      const result = await found.handler(args ?? {}, callInfo(ctx));
      return server.server.projectCallToolResult(result, found.listing.outputSchema);
    });
    return server;
  };
}
