import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import { envelope } from '../../core/errors.js';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/** Compares digests, so the time taken says nothing about how much of the token matched. */
function authorized(header: string | undefined, expected: Buffer): boolean {
  const match = /^Bearer (.+)$/.exec(header ?? '');
  return match?.[1] !== undefined && timingSafeEqual(digest(match[1]), expected);
}

/** `GET /metrics` in the Prometheus text format, behind `Authorization: Bearer <token>` when a token is set. */
export function metricsHandler(
  registry: Registry,
  token: string | undefined,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const expected = token === undefined ? undefined : digest(token);
  return async (req, res) => {
    if (expected && !authorized(req.headers.authorization, expected)) {
      const body = envelope(
        'UNAUTHENTICATED',
        'GET /metrics needs the header Authorization: Bearer <METRICS_TOKEN>.',
      );
      res.writeHead(401, {
        'content-type': 'application/json',
        'www-authenticate': 'Bearer realm="metrics"',
      });
      res.end(JSON.stringify(body));
      return;
    }
    const text = await registry.metrics();
    res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' });
    res.end(text);
  };
}

/** A listener of its own (METRICS_PORT) that serves `/metrics` and nothing else. */
export async function listenMetrics(
  handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
  port: number,
  host: string,
): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url?.split('?')[0] === '/metrics') {
      handler(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(envelope('NOT_FOUND', 'Only GET /metrics is served on this port.')));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}
