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
  // They read .env like `start` does, so the suite meets the configuration the user runs (limits, secrets, Redis).
  scripts: {
    'conformance:serve': 'node --env-file-if-exists=.env --import tsx test/conformance/serve.ts',
    conformance: 'node --env-file-if-exists=.env --import tsx test/conformance/run.ts',
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
    {
      name: 'MAX_CONNECTIONS',
      description:
        'Open connections in total; new sockets beyond it are dropped. Keep it well below the open-file\n' +
        'limit (LimitNOFILE, ulimit -n): the server lowers it to that limit minus 256 and says so.',
      example: '4096',
      default: '4096',
    },
    {
      name: 'MAX_CONNECTIONS_PER_IP',
      description:
        'Open connections per client address (IPv6: per /64); more are closed at once. 0 turns it off.\n' +
        "Behind a reverse proxy every connection comes from the proxy: raise it above the proxy's pool or use 0.",
      example: '256',
      default: '256',
    },
    {
      name: 'HEADERS_TIMEOUT_MS',
      description: 'Time a client has to send the request headers (a silent socket is closed after it).',
      example: '15000',
      default: '15000',
    },
    {
      name: 'REQUEST_TIMEOUT_MS',
      description:
        'Time a client has to send the whole request, body included (a trickled body gets 408). 0: no limit.',
      example: '30000',
      default: '30000',
    },
    {
      name: 'KEEP_ALIVE_TIMEOUT_MS',
      description:
        "How long an idle keep-alive connection stays open; above the load balancer's idle timeout.",
      example: '65000',
      default: '65000',
    },
  ],
  module: { from: './features/http/index.js', export: 'http' },
  nextSteps: () => [
    'MCP endpoint: http://127.0.0.1:3000/mcp (health: /healthz, /readyz); client snippets in README.md, "HTTP".',
  ],
};
