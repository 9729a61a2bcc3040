import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testAuth } from '../../helpers/auth.js';
import type { TestServer } from '../../helpers/http-server.js';
import { startLimitedServer } from './limited-server.js';

const LIMIT = 10;
let server: TestServer;
beforeAll(async () => {
  server = await startLimitedServer({ EDGE_RATE_LIMIT_PER_MINUTE: String(LIMIT) });
});
afterAll(() => server.stop());

async function post(headers: Record<string, string>): Promise<number> {
  const res = await fetch(server.url, {
    method: 'POST',
    headers: {
      ...headers,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
  });
  await res.arrayBuffer();
  return res.status;
}

describe('failed authentications are limited per address, before authentication', () => {
  it('answers 50 wrong credentials with their refusal up to the edge limit, then 429, with one log line for the lock-out', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 50; i++) statuses.push(await post({ authorization: `Bearer wrong-credential-${i}` }));
    // 401 for a bad token (jwt), 403 for a wrong API key or gateway proof, 400 for malformed credentials.
    expect(statuses.slice(0, LIMIT).every((status) => [400, 401, 403].includes(status))).toBe(true);
    expect(statuses.slice(LIMIT)).toEqual(Array(50 - LIMIT).fill(429));

    // The auth feature logged the first LIMIT; the lock-out is one sampled line, not one per request.
    const rejected = server.logs.filter((line) => line.msg === 'auth rejected');
    expect(rejected).toHaveLength(LIMIT);
    const lockouts = server.logs.filter((line) => /refused before authentication/.test(String(line.msg)));
    expect(lockouts).toHaveLength(1);
  });

  it('refuses the locked-out address even with valid credentials until its failures leave the window', async () => {
    expect(await post(await testAuth.headers())).toBe(429);
  });
});
