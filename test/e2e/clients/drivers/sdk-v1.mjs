import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { print, readPlan, runSteps, thrown } from './plan.mjs';

/**
 * The v1 TypeScript SDK client, used the way a host embeds it: connect, list the tools (which also caches
 * their output schemas for validation), call them, hand each result or thrown error to the agent.
 */
const plan = readPlan();
const { transport: t } = plan;
const transport =
  t.type === 'http'
    ? new StreamableHTTPClientTransport(new URL(t.url), { requestInit: { headers: t.headers ?? {} } })
    : new StdioClientTransport({ command: t.command, args: t.args, env: t.env, stderr: 'pipe' });
let stderr = '';
transport.stderr?.on('data', (chunk) => {
  stderr += chunk;
});
const client = new Client({ name: 'matrix-v1', version: '1.0.0' });
try {
  await client.connect(transport);
} catch (error) {
  print({ connect: thrown(error), stderr });
  process.exit(0);
}
const outcomes = await runSteps(plan, {
  list: async () => (await client.listTools()).tools.map((tool) => tool.name),
  call: ({ tool, arguments: args }) => client.callTool({ name: tool, arguments: args }),
});
await client.close();
print({ outcomes, stderr });
