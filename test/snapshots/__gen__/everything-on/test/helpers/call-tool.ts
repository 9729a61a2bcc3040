import type { CallToolResult } from '@modelcontextprotocol/server';
import { baseEnv } from '../../src/config.js';
import { AppEventBus } from '../../src/core/events.js';
import { createLogger } from '../../src/core/logger.js';
import type { ToolDefinition } from '../../src/core/tool.js';
import { ToolRunner } from '../../src/core/tool-runner.js';
import { captureLogs, type LogLine } from './logs.js';

/**
 * Calls one tool the way the server does (validation, deadline, envelopes), without a transport: the
 * quickest way to test a tool. `env` sets configuration (e.g. an upstream URL) as the environment would.
 */
export async function callTool(
  tool: ToolDefinition,
  args: unknown,
  env: Record<string, string> = {},
): Promise<CallToolResult & { logs: LogLine[] }> {
  const logs = captureLogs();
  const runner = new ToolRunner({
    config: baseEnv.parse(env),
    logger: createLogger({ name: 'test', level: 'debug', destination: logs.stream }),
    events: new AppEventBus(),
    tools: [tool],
    middleware: [],
  });
  const result = await runner.handlerFor(tool)(args, { signal: new AbortController().signal });
  return { ...result, logs: logs.lines };
}
