import type { CallToolResult } from '@modelcontextprotocol/server';
import { type BaseConfig, baseEnv } from '../../src/config.js';
import { AppEventBus } from '../../src/core/events.js';
import { createLogger } from '../../src/core/logger.js';
import type { McpRequestInfo, OperationMiddleware } from '../../src/core/operation.js';
import { Pipeline } from '../../src/core/pipeline.js';
import type { ToolDefinition } from '../../src/core/tool.js';
import { checkToolTimeouts, toolSpec } from '../../src/core/tool-operation.js';
import { toCallToolResult } from '../../src/core/tool-result.js';
import { captureLogs, type LogLine } from './logs.js';

export interface ToolCallerOptions {
  env?: Record<string, string>;
  middleware?: OperationMiddleware[];
  /** The published tools, for TOOL_TIMEOUTS validation (default: just the tool called). */
  tools?: readonly ToolDefinition[];
}

/**
 * The server's pipeline (middleware, validation, deadline, envelopes, log line, events) without a transport.
 * `call` runs a tool the way the server does; `info` stands in for what the SDK passes (signal, `_meta`).
 */
export function toolCaller(options: ToolCallerOptions = {}) {
  const config: BaseConfig = baseEnv.parse(options.env ?? {});
  if (options.tools) checkToolTimeouts(config, options.tools);
  const logs = captureLogs();
  const logger = createLogger({ name: 'test', level: 'debug', destination: logs.stream });
  const events = new AppEventBus();
  const pipeline = new Pipeline({ config, logger, events, middleware: options.middleware ?? [] });
  const specs = new Map<ToolDefinition, ReturnType<typeof toolSpec>>();
  const call = async (
    tool: ToolDefinition,
    args: unknown,
    info: Partial<McpRequestInfo> = {},
  ): Promise<CallToolResult> => {
    const spec = specs.get(tool) ?? toolSpec(tool, config, logger);
    specs.set(tool, spec);
    const outcome = await pipeline.run(spec, args, { signal: new AbortController().signal, ...info });
    return toCallToolResult(outcome);
  };
  return { pipeline, call, events, logs: logs.lines };
}

/**
 * Calls one tool the way the server does (validation, deadline, envelopes), without a transport: the
 * quickest way to test a tool. `env` sets configuration (e.g. an upstream URL) as the environment would.
 */
export async function callTool(
  tool: ToolDefinition,
  args: unknown,
  env: Record<string, string> = {},
): Promise<CallToolResult & { logs: LogLine[] }> {
  const { call, logs } = toolCaller({ env, tools: [tool] });
  const result = await call(tool, args);
  return { ...result, logs };
}
