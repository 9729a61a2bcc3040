import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRegistry {
  server: Server;
  /** The value for the generated server's NPM_REGISTRY_URL. */
  url: string;
  close(): void;
}

/**
 * A stand-in for the npm registry the example tool `npm_package_v1` calls, on loopback: `zod` answers,
 * `hangs` never does (TIMEOUT), `throttled` is rate limited upstream (RATE_LIMITED, Retry-After 30), anything
 * else is 404 (NOT_FOUND).
 */
export async function fakeRegistry(): Promise<FakeRegistry> {
  const server = createServer((req, res) => {
    if (req.url === '/zod/latest') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ name: 'zod', version: '4.6.7', license: 'MIT' }));
    } else if (req.url === '/throttled/latest') {
      res.writeHead(429, { 'retry-after': '30' }).end();
    } else if (req.url !== '/hangs/latest') {
      res.writeHead(404).end();
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}
