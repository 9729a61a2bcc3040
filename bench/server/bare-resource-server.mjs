// The baseline for resources/read: a bare SDK v2 server on node:http serving one fixed resource with the very
// text the generated server's `catalogue://tools` returns (RESOURCE_FILE, written by the bench), so the two
// send the same bytes. Copied into the generated project at bench time so it resolves the same SDK packages.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler, McpServer } from '@modelcontextprotocol/server';

const text = readFileSync(process.env.RESOURCE_FILE, 'utf8');

function factory() {
  const server = new McpServer({ name: 'bare', version: '1.0.0' });
  server.registerResource(
    'tool-index',
    'catalogue://tools',
    { title: 'Tool catalogue', mimeType: 'application/json' },
    async (uri) => ({ contents: [{ uri: uri.href, mimeType: 'application/json', text }] }),
  );
  return server;
}

const handler = toNodeHandler(createMcpHandler(factory, { legacy: 'stateless' }));
createServer((req, res) => {
  if (req.url === '/healthz') return res.writeHead(200).end('ok');
  void handler(req, res);
}).listen(Number(process.env.PORT), '127.0.0.1');
