import { createMCPClient } from '@ai-sdk/mcp';
import { Experimental_StdioMCPTransport } from '@ai-sdk/mcp/mcp-stdio';
import { print, readPlan, runSteps, thrown } from './plan.mjs';

/**
 * The Vercel AI SDK's MCP client, used as an app does: `client.tools()` gives AI SDK tools; the model sees
 * what each tool's `toModelOutput` makes of what `execute` returned (or the error `execute` threw).
 */
const plan = readPlan();
const { transport: t } = plan;
const transport =
  t.type === 'http'
    ? { type: 'http', url: t.url, headers: t.headers ?? {} }
    : new Experimental_StdioMCPTransport({ command: t.command, args: t.args, env: t.env, stderr: 'pipe' });
let client;
let tools;
try {
  client = await createMCPClient({ transport });
  tools = await client.tools();
} catch (error) {
  print({ connect: thrown(error) });
  process.exit(0);
}
const outcomes = await runSteps(plan, {
  list: async () => Object.keys(tools),
  call: async ({ tool, arguments: args }) => {
    const aiTool = tools[tool];
    if (aiTool === undefined) throw new Error(`the AI SDK offers the model no tool named ${tool}`);
    const output = await aiTool.execute(args, { toolCallId: 'call-1', messages: [] });
    return { output, modelOutput: await aiTool.toModelOutput({ toolCallId: 'call-1', input: args, output }) };
  },
});
await client.close();
print({ outcomes });
