import type { Client } from '@modelcontextprotocol/client';
import { afterEach, describe, expect, it } from 'vitest';
import { publishedName } from '../../../src/core/tool.js';
import { tools } from '../../../src/tools/index.js';
import type { TestServer } from '../../helpers/http-server.js';
import { connectAs, startLimitedServer } from '../rate-limit/limited-server.js';
import { parseMetrics, type Sample, sampleValue } from './prometheus.js';

/**
 * Limit refusals in /metrics name the operation kind and the item, as `mcp_operations_total` does: a refused
 * resource read or prompt get is counted as what it is, not as a tool call. The server is this project's own
 * composition (auth and limits included) with one limit layer on at a time, driven by the real SDK client.
 */
const TOKEN = 'metrics-token-for-tests-0123456789';
// Keys of this file's own in the shared Redis: other test files count the same items for the same caller.
const ENV = { METRICS_TOKEN: TOKEN, REDIS_KEY_PREFIX: 'metrics-limits-test:' };
const someTool = tools[0] ? publishedName(tools[0]) : 'none';

let server: TestServer | undefined;
let client: Client | undefined;
afterEach(async () => {
  await client?.close();
  await server?.stop();
});

const read = (c: Client) => c.readResource({ uri: 'catalogue://tools' }, { cacheMode: 'bypass' });
const get = (c: Client) =>
  c.getPrompt({ name: 'use_tool_v1', arguments: { tool: someTool, task: 'anything' } });
const call = (c: Client) => c.callTool({ name: 'ping_v1', arguments: {} });
const refused = (pending: Promise<unknown>) =>
  pending.then(
    () => 'answered',
    (error: { data?: { error?: string } }) => error.data?.error,
  );

async function scrape(url: URL): Promise<Sample[]> {
  const response = await fetch(new URL('/metrics', url), { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(response.status).toBe(200);
  return parseMetrics(await response.text());
}

describe('limit refusals in /metrics', () => {
  it('count a read, a get and a call over their per-item limit under their kind and item', async () => {
    server = await startLimitedServer({ ...ENV, RATE_LIMIT_PER_MINUTE: '1' });
    client = await connectAs(server.url);
    for (const operation of [read, get]) {
      await operation(client);
      expect(await refused(operation(client))).toBe('RATE_LIMITED');
    }
    await call(client);
    expect(await call(client)).toMatchObject({ isError: true });
    const samples = await scrape(server.url);
    const rejections = (kind: string, item: string) =>
      sampleValue(samples, 'mcp_rate_limit_rejections_total', { scope: 'item', kind, item });
    expect(rejections('resources/read', 'tool-index')).toBe(1);
    expect(rejections('prompts/get', 'use_tool_v1')).toBe(1);
    expect(rejections('tools/call', 'ping_v1')).toBe(1);
    expect(sampleValue(samples, 'mcp_rate_limit_rejections_total', { scope: 'item' })).toBeUndefined();
  });

  it('count a read and a get refused by the run budget under their kind and item', async () => {
    server = await startLimitedServer({ ...ENV, CALL_BUDGET: '1' });
    client = await connectAs(server.url, { 'x-run-id': 'metrics-budget-run' });
    await call(client);
    expect(await refused(read(client))).toBe('BUDGET_EXHAUSTED');
    expect(await refused(get(client))).toBe('BUDGET_EXHAUSTED');
    const samples = await scrape(server.url);
    const exhausted = (kind: string, item: string) =>
      sampleValue(samples, 'mcp_budget_exhaustions_total', { kind, item });
    expect(exhausted('resources/read', 'tool-index')).toBe(1);
    expect(exhausted('prompts/get', 'use_tool_v1')).toBe(1);
    expect(exhausted('tools/call', 'ping_v1')).toBeUndefined();
  });
});
