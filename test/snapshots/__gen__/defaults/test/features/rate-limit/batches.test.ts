import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testAuth } from '../../helpers/auth.js';
import type { TestServer } from '../../helpers/http-server.js';
import { startLimitedServer } from './limited-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startLimitedServer({ EDGE_RATE_LIMIT_PER_MINUTE: '5' });
});
afterAll(() => server.stop());

const list = (id: number) => ({ jsonrpc: '2.0', id, method: 'tools/list', params: {} });

async function post(body: unknown): Promise<number> {
  const res = await fetch(server.url, {
    method: 'POST',
    headers: {
      ...(await testAuth.headers()),
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2025-03-26',
    },
    body: JSON.stringify(body),
  });
  await res.arrayBuffer();
  return res.status;
}

describe('the HTTP edge limit and JSON-RPC batches (2025-03-26)', () => {
  it('counts every message of a batch: 3 + 1 + 1 use up 5, the next request is refused', async () => {
    expect(await post([list(1), list(2), list(3)])).toBe(200);
    expect(await post(list(4))).toBe(200);
    expect(await post(list(5))).toBe(200);
    expect(await post(list(6))).toBe(429);
  });

  it('refuses a batch of 100 calls with 429 instead of running them under a limit of 5', async () => {
    const batch = Array.from({ length: 100 }, (_, i) => list(i));
    expect(await post(batch)).toBe(429);
  });
});
