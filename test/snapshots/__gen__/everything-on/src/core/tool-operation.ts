import type { CallToolResult } from '@modelcontextprotocol/server';
import type { Logger } from 'pino';
import { type BaseConfig, ConfigError } from '../config.js';
import type { OperationSpec } from './pipeline.js';
import { resultShape } from './redact.js';
import { publishedName, type ToolDefinition } from './tool.js';
import { toolOutput } from './tool-result.js';
import { sunsetOf, versionedPrepare } from './versioning.js';

export interface ToolSpec extends OperationSpec<Record<string, unknown>, CallToolResult> {
  name: string;
  tool: ToolDefinition;
  /** When a deprecated version stops being listed and answers TOOL_RETIRED. */
  sunsetMs?: number;
}

/** TOOL_TIMEOUTS may only name published tools: a typo would otherwise silently keep the default. */
export function checkToolTimeouts(config: BaseConfig, tools: readonly ToolDefinition[]): void {
  const names = new Set(tools.map(publishedName));
  const unknown = Object.keys(config.TOOL_TIMEOUTS).filter((name) => !names.has(name));
  if (unknown.length > 0) {
    throw new ConfigError([
      `TOOL_TIMEOUTS: no tool is published as ${unknown.join(', ')} (tools: ${[...names].join(', ')})`,
    ]);
  }
}

/**
 * A tool as one kind of operation: retirement (after its sunset a version answers TOOL_RETIRED naming the
 * replacement), argument validation with its zod schema (INVALID_ARGUMENT), its deadline (TOOL_TIMEOUTS, the
 * tool's own `timeoutMs`, or the default for local or `external` tools), and its output check.
 */
export function toolSpec(tool: ToolDefinition, config: BaseConfig, logger: Logger): ToolSpec {
  const name = publishedName(tool);
  const log = logger.child({ tool: name });
  const sunsetMs = sunsetOf(tool.deprecated);
  const prepare = versionedPrepare<Record<string, unknown>>({
    name,
    deprecated: tool.deprecated,
    schema: tool.input,
    log,
    verb: 'Call',
    warning: 'deprecated tool called',
  });
  const spec: ToolSpec = {
    kind: 'tools/call',
    name,
    tool,
    item: {
      name,
      limitKey: tool.name,
      scopes: tool.scopes,
      rateLimitPerMinute: tool.rateLimitPerMinute,
      cost: tool.cost ?? 1,
    },
    log,
    timeoutMs:
      config.TOOL_TIMEOUTS[name] ??
      tool.timeoutMs ??
      (tool.external ? config.EXTERNAL_TOOL_TIMEOUT_MS : config.TOOL_TIMEOUT_MS),
    prepare,
    handler: (args, ctx) => tool.handler(args, ctx),
    output: (value) => toolOutput(value, tool.output),
    // An input_required result (rawResult) has no content.
    shape: (result) => resultShape((result.content ?? []) as { type: string; text?: string }[]),
  };
  if (sunsetMs !== undefined) spec.sunsetMs = sunsetMs;
  return spec;
}
