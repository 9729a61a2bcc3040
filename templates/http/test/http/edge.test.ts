import { request } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { FeatureModule } from '../../src/core/feature.js';
import { startHttpServer, type TestServer } from '../helpers/http-server.js';

/** A feature whose dependency check fails on demand, to drive /readyz. */
const dependency = { up: true };
const flakyDependency: FeatureModule = {
  id: 'flaky-dependency',
  env: z.object({}),
  setup: () => ({
    readiness: [
      { name: 'flaky-db', check: async () => ({ ok: dependency.up, detail: 'connection refused' }) },
    ],
  }),
};

const MCP_HEADERS = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
};
const listTools = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} });

let server: TestServer;
beforeAll(async () => {
  server = await startHttpServer(
    { MAX_BODY_BYTES: '2048', ALLOWED_ORIGINS: 'app.example.com' },
    { features: [flakyDependency], coreOnly: true },
  );
});
afterAll(() => server.stop());

/** Header lines from name, value pairs; a raw socket, because node:http will not send a header twice. */
const pairs = (list: string[]) =>
  list.flatMap((item, i) => (i % 2 === 0 ? [`${item}: ${list[i + 1]}\r\n`] : [])).join('');

function raw(text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(server.url.port), server.url.hostname);
    let answer = '';
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString();
    });
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
    socket.end(text);
  });
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
}

/** node:http rather than fetch: fetch will not let a test set Host, and we need to. */
function send(
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
) {
  return new Promise<Answer>((resolve, reject) => {
    const req = request(
      new URL(path, server.url),
      { method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        let text = '';
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () => {
          const json = res.headers['content-type']?.startsWith('application/json');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: json ? JSON.parse(text) : {} });
        });
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const post = (headers: Record<string, string>, body = listTools) =>
  send('/mcp', { method: 'POST', headers: { ...MCP_HEADERS, ...headers }, body });

describe('HTTP edge', () => {
  it('refuses a foreign Host header (DNS rebinding) with the FORBIDDEN envelope', async () => {
    const refused = await post({ host: 'evil.example' });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({
      error: 'FORBIDDEN',
      retryable: false,
      requestId: expect.any(String),
    });
  });

  it('judges every Host the same once accepted ones are remembered, past the bound of remembered ones', async () => {
    // 120 accepted Host values (more than the guard remembers), each twice; foreign ones refused all along.
    for (let port = 1000; port < 1120; port++) {
      expect((await post({ host: `localhost:${port}` })).status).toBe(200);
      expect((await post({ host: `localhost:${port}` })).status).toBe(200);
      if (port % 40 === 0) expect((await post({ host: `evil.example:${port}` })).status).toBe(403);
    }
    expect((await post({ host: 'evil.example' })).status).toBe(403);
  });

  it('refuses a browser Origin that is not allowed, and serves an allowed one', async () => {
    const refused = await post({ origin: 'https://evil.example' });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({
      error: 'FORBIDDEN',
      message: expect.stringContaining('evil.example'),
    });
    expect((await post({ origin: 'http://localhost:5173' })).status).toBe(200);
  });

  it('lets browsers on an allowed origin call, preflight included (CORS)', async () => {
    const origin = 'https://app.example.com';
    const preflight = await send('/mcp', {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-headers': 'content-type, mcp-protocol-version' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(origin);
    expect(preflight.headers['access-control-allow-headers']).toBe('content-type, mcp-protocol-version');
    const call = await post({ origin });
    expect(call.status).toBe(200);
    expect(call.headers['access-control-allow-origin']).toBe(origin);
    const foreign = await send('/mcp', { method: 'OPTIONS', headers: { origin: 'https://evil.example' } });
    expect(foreign.status).toBe(403);
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses a body over MAX_BODY_BYTES with 413 and the envelope, declared or chunked', async () => {
    const big = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/list',
      params: { pad: 'x'.repeat(4096) },
    });
    const declared = await post({}, big);
    expect(declared.status).toBe(413);
    expect(declared.body).toMatchObject({ error: 'PAYLOAD_TOO_LARGE', retryable: false });

    const chunked = await fetch(server.url, {
      method: 'POST',
      headers: MCP_HEADERS,
      body: new Blob([big]).stream(),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
    expect(await chunked.json()).toMatchObject({ error: 'PAYLOAD_TOO_LARGE' });
  });

  it('serves a chunked body under the limit', async () => {
    const chunked = await fetch(server.url, {
      method: 'POST',
      headers: MCP_HEADERS,
      body: new Blob([listTools]).stream(),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(200);
  });

  it('echoes a client X-Request-Id, or generates one', async () => {
    const echoed = await post({ 'x-request-id': 'client-req-42' });
    expect(echoed.headers['x-request-id']).toBe('client-req-42');
    const generated = await post({ 'x-request-id': 'bad id with spaces' });
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers 400 to a repeated Host or Authorization header, and to a Host with user info', async () => {
    for (const headers of [
      ['Host', 'localhost', 'Host', '127.0.0.1'],
      ['Host', '127.0.0.1', 'Authorization', 'Bearer a', 'Authorization', 'Bearer b'],
      ['Host', 'x@127.0.0.1'],
    ]) {
      const answer = await raw(`POST /mcp HTTP/1.1\r\n${pairs(headers)}Content-Length: 2\r\n\r\n{}`);
      expect(answer, headers.join(' ')).toMatch(/^HTTP\/1\.1 400 /);
      expect(answer).toContain('"error":"INVALID_ARGUMENT"');
    }
  });

  it('answers 405 with Allow to methods /mcp does not serve, such as TRACE', async () => {
    const response = await send('/mcp', { method: 'TRACE' });
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe('GET, POST, DELETE, OPTIONS');
    expect(response.body).toMatchObject({ error: 'INVALID_ARGUMENT' });
  });

  it('answers unknown paths with the NOT_FOUND envelope', async () => {
    const response = await send('/nope');
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ error: 'NOT_FOUND', requestId: expect.any(String) });
  });

  it('answers /healthz with 200 and /readyz with 503 naming the failing check, whatever the Host', async () => {
    const probe = { host: '10.1.2.3:3000' }; // Kubernetes probes address the pod by IP
    expect(await send('/healthz', { headers: probe })).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(await send('/readyz', { headers: probe })).toMatchObject({
      status: 200,
      body: { status: 'ready' },
    });
    dependency.up = false;
    const notReady = await send('/readyz');
    expect(notReady.status).toBe(503);
    expect(notReady.body).toMatchObject({
      error: 'UNAVAILABLE',
      message: expect.stringContaining('flaky-db'),
      checks: { 'flaky-db': { ok: false } },
    });
    // The detail is for the operator, not for whoever asks: it is in the log, not in the answer.
    expect(JSON.stringify(notReady.body)).not.toContain('connection refused');
    const logged = server.logs.find((line) => /readiness: a dependency check/.test(String(line.msg)));
    expect(JSON.stringify(logged?.checks)).toContain('connection refused');
    dependency.up = true;
  });

  it('emits one http.request event per request', async () => {
    const seen: string[] = [];
    const listener = (event: { route: string; status: number }) =>
      seen.push(`${event.route} ${event.status}`);
    server.events.on('http.request', listener);
    await send('/healthz');
    await post({});
    await new Promise((resolve) => setTimeout(resolve, 50));
    server.events.off('http.request', listener);
    expect(seen).toEqual(['/healthz 200', '/mcp 200']);
  });
});
