import type { Client } from '@modelcontextprotocol/client';
import { afterEach, describe, expect, it } from 'vitest';
import { testAuth } from '../../helpers/auth.js';
import { envelopeOf } from '../../helpers/results.js';
import { connectAs, startLimitedServer } from '../rate-limit/limited-server.js';

describe('limits over HTTP with the memory store', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  async function serve(env: Record<string, string>) {
    const server = await startLimitedServer(env);
    cleanups.push(server.stop);
    return server;
  }
  async function connect(url: URL, headers: Record<string, string> = {}) {
    const client = await connectAs(url, headers);
    cleanups.push(() => client.close());
    return client;
  }
  const ping = (client: Client) => client.callTool({ name: 'ping_v1', arguments: {} });

  it('answers a call over the per-tool limit with RATE_LIMITED and when a slot frees', async () => {
    const server = await serve({ RATE_LIMIT_PER_MINUTE: '2' });
    const client = await connect(server.url);
    expect((await ping(client)).structuredContent).toEqual({ pong: true });
    expect((await ping(client)).structuredContent).toEqual({ pong: true });

    const error = envelopeOf(await ping(client));
    expect(error).toMatchObject({ error: 'RATE_LIMITED', retryable: true });
    expect(error.retryAfter).toBeGreaterThanOrEqual(59);
    expect(error.retryAfter).toBeLessThanOrEqual(60);
    expect(error.requestId).toEqual(expect.any(String));
    expect(
      server.logs.filter((line) => line.msg === 'tool call').map((line) => [line.outcome, line.cost]),
    ).toEqual([
      ['ok', 1],
      ['ok', 1],
      ['RATE_LIMITED', 0],
    ]);
  });

  it('exhausts the budget of the run named by X-Run-Id, and only that run', async () => {
    const server = await serve({ CALL_BUDGET: '3', CALL_BUDGET_WINDOW_SECONDS: '600' });
    const run1 = await connect(server.url, { 'x-run-id': 'run-1' });
    for (let i = 0; i < 3; i++) expect((await ping(run1)).isError).toBeFalsy();

    const error = envelopeOf(await ping(run1));
    expect(error).toMatchObject({ error: 'BUDGET_EXHAUSTED', retryable: true });
    expect(error.retryAfter).toBeGreaterThanOrEqual(599);
    expect(error.retryAfter).toBeLessThanOrEqual(600);
    expect(error.message).toContain('Run run-1 has used its budget of 3 calls per 600 s');

    const run2 = await connect(server.url, { 'x-run-id': 'run-2' });
    expect((await ping(run2)).isError).toBeFalsy();
  });

  it('takes the run from `_meta.runId` as well', async () => {
    const server = await serve({ CALL_BUDGET: '2' });
    const client = await connect(server.url);
    const call = () => client.callTool({ name: 'ping_v1', arguments: {}, _meta: { runId: 'run-3' } });
    expect((await call()).isError).toBeFalsy();
    expect((await call()).isError).toBeFalsy();
    expect(envelopeOf(await call()).message).toContain('Run run-3 has used its budget');
    expect((await ping(client)).isError).toBeFalsy();
  });

  it('answers an HTTP flood with 429, Retry-After and the envelope before MCP parses anything', async () => {
    const server = await serve({ EDGE_RATE_LIMIT_PER_MINUTE: '2' });
    const headers = { ...(await testAuth.headers()), 'content-type': 'application/json' };
    const post = () => fetch(server.url, { method: 'POST', headers, body: 'not json' });
    const first = [await post(), await post()];
    expect(first.map((res) => res.status)).not.toContain(429);

    const flooded = await post();
    expect(flooded.status).toBe(429);
    const body = (await flooded.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ error: 'RATE_LIMITED', retryable: true, requestId: expect.any(String) });
    expect(flooded.headers.get('retry-after')).toBe(String(body.retryAfter));
  });

  it('holds at most RATE_LIMIT_MAX_KEYS keys under caller-chosen run ids, and reports what it forgets', async () => {
    const server = await serve({ CALL_BUDGET: '1', RATE_LIMIT_MAX_KEYS: '3' });
    const evicted: string[] = [];
    server.events.on('store.evicted', (event) => evicted.push(event.store));
    const client = await connect(server.url);
    const call = (runId: string) => client.callTool({ name: 'ping_v1', arguments: {}, _meta: { runId } });
    for (let run = 0; run < 10; run++) expect((await call(`run-${run}`)).isError).toBeFalsy();

    // 10 run keys and the caller's all-runs key, 3 held: 8 forgotten, each one an event (the metric's source).
    expect(evicted).toEqual(Array(8).fill('rate-limit-calls'));
    const warnings = server.logs.filter((line) => line.level === 'warn' && line.store === 'rate-limit-calls');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.msg).toContain('RATE_LIMIT_MAX_KEYS=3');
    // The newest run is still counted; the oldest was forgotten, so its budget starts afresh (the price).
    expect(envelopeOf(await call('run-9')).error).toBe('BUDGET_EXHAUSTED');
    expect((await call('run-0')).isError).toBeFalsy();
  });
});
