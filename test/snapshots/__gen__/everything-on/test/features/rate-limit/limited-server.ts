import { z } from 'zod';
import { startApp } from '../../../src/app.js';
import { defineTool } from '../../../src/core/tool.js';
import { features } from '../../../src/features.generated.js';
import { captureLogs } from '../../helpers/logs.js';

/** A tool that does nothing: the calls under test are about limits, not about what a tool does. */
export const ping = defineTool({
  name: 'ping',
  version: 1,
  title: 'Ping',
  description: 'Answers pong.',
  input: z.object({}),
  output: z.object({ pong: z.boolean() }),
  handler: async () => ({ pong: true }),
});

/**
 * The project's server in-process over HTTP with its rate-limit backend, but without its auth feature:
 * limits key on the caller whatever vouched for it, and anonymous callers (keyed by IP) need no credentials.
 * Every limit layer starts off; `env` turns on the one under test.
 */
export async function startLimitedServer(env: Record<string, string>) {
  const logs = captureLogs();
  const app = await startApp({
    env: {
      MCP_TRANSPORT: 'http',
      HOST: '127.0.0.1',
      PORT: '0',
      RATE_LIMIT_PER_MINUTE: '0',
      CALL_BUDGET: '0',
      EDGE_RATE_LIMIT_PER_MINUTE: '0',
      ...env,
    },
    features: features.filter((feature) => !feature.id.startsWith('auth-')),
    tools: [ping],
    logDestination: logs.stream,
  });
  if (app.url === undefined) throw new Error('the http transport did not report its URL');
  return { url: app.url, stop: () => app.shutdown('test finished'), logs: logs.lines };
}
