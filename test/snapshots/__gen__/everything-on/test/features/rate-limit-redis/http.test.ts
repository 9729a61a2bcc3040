import type { Client } from '@modelcontextprotocol/client';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { envelopeOf } from '../../helpers/results.js';
import { connectAs, startLimitedServer } from '../rate-limit/limited-server.js';
import { startRedis, type TestRedis } from './redis-server.js';

describe('limits over HTTP with the Redis store', () => {
  let redis: TestRedis;
  const cleanups: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  afterAll(() => redis?.stop());

  async function serve(env: Record<string, string>) {
    const server = await startLimitedServer({ REDIS_URL: redis.url, ...env });
    const client = await connectAs(server.url);
    cleanups.push(server.stop, () => client.close());
    return { ...server, client };
  }
  const ping = (client: Client) => client.callTool({ name: 'ping_v1', arguments: {} });
  const readiness = async (url: URL) => {
    const res = await fetch(new URL('/readyz', url));
    return { status: res.status, body: await res.json() };
  };

  it('two servers sharing one Redis allow exactly the limit in total', async () => {
    const env = { RATE_LIMIT_PER_MINUTE: '10', REDIS_KEY_PREFIX: 'http-test:shared:' };
    const [a, b] = [await serve(env), await serve(env)];
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => ping(i % 2 === 0 ? a.client : b.client)),
    );
    expect(results.filter((result) => !result.isError)).toHaveLength(10);
    expect(results.filter((result) => result.isError).map((result) => envelopeOf(result).error)).toEqual(
      Array(20).fill('RATE_LIMITED'),
    );
  });

  it('reports Redis in /readyz and follows each failure policy while it is down, then recovers', async () => {
    const env = { RATE_LIMIT_PER_MINUTE: '1', REDIS_KEY_PREFIX: 'http-test:outage:' };
    const open = await serve({ ...env, REDIS_FAILURE_POLICY: 'fail-open' });
    const closed = await serve({ ...env, REDIS_FAILURE_POLICY: 'fail-closed' });
    expect(await readiness(open.url)).toEqual({
      status: 200,
      body: { status: 'ready', checks: { redis: { ok: true } } },
    });

    await redis.kill();
    try {
      // fail-open is not unlimited: this replica enforces its share (REPLICAS_HINT=1: all of it) in memory.
      expect((await ping(open.client)).isError).toBeFalsy();
      expect(envelopeOf(await ping(open.client)).error).toBe('RATE_LIMITED');
      expect(envelopeOf(await ping(closed.client))).toMatchObject({
        error: 'UPSTREAM_UNAVAILABLE',
        retryAfter: 5,
      });
      expect(await readiness(open.url)).toMatchObject({
        status: 200,
        body: { status: 'degraded', checks: { redis: { ok: true, degraded: true } } },
      });
      expect((await readiness(closed.url)).status).toBe(503);
    } finally {
      await redis.restart();
    }

    await vi.waitFor(async () => expect((await readiness(closed.url)).status).toBe(200), { timeout: 5000 });
    expect((await ping(closed.client)).isError).toBeFalsy();
    expect(envelopeOf(await ping(open.client)).error).toBe('RATE_LIMITED');
  });
});
