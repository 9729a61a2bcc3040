import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { print, readPlan, runSteps, thrown } from './plan.mjs';

/** The v2 TypeScript SDK client (the generated project's own), driven like the v1 one. */
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
const client = new Client({ name: 'matrix-v2', version: '1.0.0' });
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
print({ outcomes, era: client.getProtocolEra?.(), stderr });
