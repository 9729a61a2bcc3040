import type { FeatureManifest } from '../core/feature.js';

/** Streamable HTTP on node:http with the SDK's `createMcpHandler` (no framework on the hot path). */
export const http: FeatureManifest = {
  id: 'http',
  title: 'Streamable HTTP transport',
  hint: 'MCP on /mcp for 2026-07-28 and 2025 clients, /healthz, /readyz',
  slot: 'transport',
  enabled: (a) => a.transport !== 'stdio',
  dependencies: { '@modelcontextprotocol/node': '^2.1.2' },
  // Pinned: the suite's scenarios and requirement sets move between releases (Node >= 22).
  devDependencies: { '@modelcontextprotocol/conformance': '0.2.0-alpha.12' },
  scripts: {
    'conformance:serve': 'node --import tsx test/conformance/serve.ts',
    conformance: 'node --import tsx test/conformance/run.ts',
  },
  env: [
    {
      name: 'HOST',
      description: 'Interface to listen on; 0.0.0.0 in a container (then ALLOWED_HOSTS is required).',
      example: '127.0.0.1',
      default: '127.0.0.1',
    },
    { name: 'PORT', description: 'TCP port to listen on.', example: '3000', default: '3000' },
    {
      name: 'ALLOWED_HOSTS',
      description:
        'Host names clients use to reach the server, comma-separated (DNS-rebinding protection).\n' +
        'Required when HOST is not loopback; localhost, 127.0.0.1 and [::1] are always allowed.',
      example: 'mcp.example.com',
    },
    {
      name: 'ALLOWED_ORIGINS',
      description:
        'Browser origins allowed to call, by host name, comma-separated. Requests without Origin always pass.',
      example: 'app.example.com',
    },
    {
      name: 'MAX_BODY_BYTES',
      description: 'Largest request body accepted; larger ones get 413 with the error envelope.',
      example: '1048576',
      default: '1048576',
    },
  ],
  module: { from: './features/http/index.js', export: 'http' },
  nextSteps: () => [
    'MCP endpoint: http://127.0.0.1:3000/mcp (health: /healthz, /readyz); client snippets in README.md, "HTTP".',
  ],
};
