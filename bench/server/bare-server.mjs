// The baseline: a bare SDK v2 server on node:http, nothing but `createMcpHandler` + `toNodeHandler` and the
// same tool the generated server is measured with (convert_temperature_v2: same schemas, same logic), zod
// schemas built once at module scope. Copied into the generated project at bench time so it resolves the
// very same SDK packages. PORT (and TOOLS) from the environment.
import { createServer } from 'node:http';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';

const Unit = z.enum(['celsius', 'fahrenheit', 'kelvin']);
const input = z.object({ value: z.number(), from: Unit, to: Unit });
const output = z.object({ value: z.number(), unit: Unit });
const toKelvin = {
  celsius: (c) => c + 273.15,
  fahrenheit: (f) => ((f - 32) * 5) / 9 + 273.15,
  kelvin: (k) => k,
};
const fromKelvin = {
  celsius: (k) => k - 273.15,
  fahrenheit: (k) => ((k - 273.15) * 9) / 5 + 32,
  kelvin: (k) => k,
};

// TOOLS=<n> serves n tools (the measured one and n - 1 copies): what a bare server with a real catalogue pays
// per request, since the stateless protocol builds the server, and registers every tool, for each request.
const names = Array.from({ length: Number(process.env.TOOLS ?? 1) }, (_, i) =>
  i === 0 ? 'convert_temperature_v2' : `convert_temperature_copy${i}_v1`,
);

function factory() {
  const server = new McpServer({ name: 'bare', version: '1.0.0' });
  for (const name of names) {
    server.registerTool(
      name,
      { title: 'Convert a temperature', inputSchema: input, outputSchema: output },
      async ({ value, from, to }) => {
        const result = { value: Math.round(fromKelvin[to](toKelvin[from](value)) * 1e6) / 1e6, unit: to };
        return { content: [{ type: 'text', text: JSON.stringify(result) }], structuredContent: result };
      },
    );
  }
  return server;
}

const handler = toNodeHandler(createMcpHandler(factory, { legacy: 'stateless' }));
createServer((req, res) => {
  if (req.url === '/healthz') return res.writeHead(200).end('ok');
  void handler(req, res);
}).listen(Number(process.env.PORT), '127.0.0.1');
