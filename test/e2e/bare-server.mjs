// The bare SDK server the conformance totals are compared with: the SDK's own handler on node:http, one
// tool, nothing of ours. Copied into a generated project's directory to resolve the SDK from its node_modules.
import { createServer } from 'node:http';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';

const handler = createMcpHandler(
  () => {
    const server = new McpServer({ name: 'bare', version: '1.0.0' });
    server.registerTool(
      'echo',
      { description: 'Echoes its text.', inputSchema: z.object({ text: z.string() }) },
      async ({ text }) => ({
        content: [{ type: 'text', text }],
      }),
    );
    return server;
  },
  { legacy: 'stateless' },
);
const server = createServer(toNodeHandler(handler));
server.listen(0, '127.0.0.1', () => console.log(`http://127.0.0.1:${server.address().port}/mcp`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
