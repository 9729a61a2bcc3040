import type { Client } from '@modelcontextprotocol/client';
import { z } from 'zod';
import { defineTool } from '../../../src/core/tool.js';
import { testAuth } from '../../helpers/auth.js';
import { connectClient, startHttpServer, type TestServer } from '../../helpers/http-server.js';

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
 * The project's server in-process over HTTP, composed as in production (its auth feature included), with
 * every limit layer off but the ones `env` turns on, and the `ping` tool added.
 */
export function startLimitedServer(env: Record<string, string>): Promise<TestServer> {
  const off = { RATE_LIMIT_PER_MINUTE: '0', CALL_BUDGET: '0', EDGE_RATE_LIMIT_PER_MINUTE: '0' };
  return startHttpServer({ ...testAuth.env, ...off, ...env }, { tools: [ping] });
}

/** An SDK client authenticated as the test principal; `headers` adds e.g. X-Run-Id to every request. */
export async function connectAs(url: URL, headers: Record<string, string> = {}): Promise<Client> {
  return connectClient(url, { ...(await testAuth.headers()), ...headers });
}
