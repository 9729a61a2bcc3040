import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type RunningApp, startApp } from '../../../src/app.js';
import { BoundedMap, evictionReporter } from '../../../src/core/bounded-map.js';
import type { FeatureModule } from '../../../src/core/feature.js';
import type { ToolDefinition } from '../../../src/core/tool.js';
import { features } from '../../../src/features.generated.js';
import { prompts } from '../../../src/prompts/index.js';
import { resources } from '../../../src/resources/index.js';
import { tools } from '../../../src/tools/index.js';
import { connectClient } from '../../helpers/http-server.js';
import { captureLogs } from '../../helpers/logs.js';
import { parseMetrics, type Sample, sampleValue } from './prometheus.js';

/**
 * A known sequence of real tool calls (real SDK client, real HTTP), then a scrape of /metrics: every count is
 * exact. The server is this project's composition root with its HTTP transport and the observability features:
 * auth and limits are tested in their own files (and with metrics in the generator's end-to-end tests).
 */
const TOKEN = 'metrics-token-for-tests-0123456789';
const observed = features.filter((feature) => ['http', 'otel', 'metrics'].includes(feature.id));

async function start(
  env: Record<string, string>,
  extraTools: readonly ToolDefinition[] = [],
  extraFeatures: readonly FeatureModule[] = [],
) {
  const logs = captureLogs();
  const app = await startApp({
    env: { PORT: '0', HOST: '127.0.0.1', ...env },
    features: [...observed, ...extraFeatures],
    catalog: { tools: [...tools, ...extraTools], resources, prompts },
    logDestination: logs.stream,
  });
  if (app.url === undefined) throw new Error('the HTTP transport did not report its URL');
  return { app, url: app.url, logs };
}

async function freePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

const scrape = (url: URL, token?: string) =>
  fetch(new URL('/metrics', url), { headers: token ? { authorization: `Bearer ${token}` } : {} });

describe('/metrics on the MCP port', () => {
  let app: RunningApp;
  let samples: Sample[];
  let url: URL;

  beforeAll(async () => {
    ({ app, url } = await start({ METRICS_TOKEN: TOKEN, NPM_REGISTRY_URL: 'http://127.0.0.1:9/' }));
    const client = await connectClient(url);
    for (const celsius of [0, 37, 100]) {
      await client.callTool({ name: 'convert_temperature_v1', arguments: { celsius } });
    }
    await client.callTool({ name: 'convert_temperature_v1', arguments: { celsius: 'hot' } });
    // Port 9 (discard) refuses the connection: the handler runs and fails with UPSTREAM_UNAVAILABLE.
    await client.callTool({ name: 'npm_package_v1', arguments: { name: 'zod' } });
    // Reads and gets go through the same pipeline: one operation each, counted by kind, item and outcome.
    await client.readResource({ uri: 'catalogue://tools' });
    await client.readResource({ uri: 'catalogue://tools/no_such_tool_v9' }).catch(() => {});
    await client.getPrompt({ name: 'use_tool_v1', arguments: { tool: 'convert_temperature_v1', task: 'x' } });
    await client.close();
    await fetch(new URL('/nothing-here', url));
    const response = await scrape(url, TOKEN);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    samples = parseMetrics(await response.text());
  });
  afterAll(() => app.shutdown('test finished'));

  it('counts tool calls by tool and outcome', () => {
    expect(
      sampleValue(samples, 'mcp_tool_calls_total', { tool: 'convert_temperature_v1', outcome: 'ok' }),
    ).toBe(3);
    expect(
      sampleValue(samples, 'mcp_tool_calls_total', {
        tool: 'convert_temperature_v1',
        outcome: 'INVALID_ARGUMENT',
      }),
    ).toBe(1);
    expect(
      sampleValue(samples, 'mcp_tool_calls_total', {
        tool: 'npm_package_v1',
        outcome: 'UPSTREAM_UNAVAILABLE',
      }),
    ).toBe(1);
    // Every tool has its series from the start, so rate() works before its first call.
    expect(sampleValue(samples, 'mcp_tool_calls_total', { tool: 'npm_package_v1', outcome: 'ok' })).toBe(0);
  });

  it('records latency per tool and outcome', () => {
    const labels = { tool: 'convert_temperature_v1', outcome: 'ok' };
    expect(sampleValue(samples, 'mcp_tool_call_duration_seconds_count', labels)).toBe(3);
    expect(sampleValue(samples, 'mcp_tool_call_duration_seconds_bucket', { ...labels, le: '+Inf' })).toBe(3);
    expect(sampleValue(samples, 'mcp_tool_call_duration_seconds_sum', labels)).toBeGreaterThan(0);
  });

  it('charges cost only for calls whose handler ran, without principal IDs by default', () => {
    // Three conversions and the failed lookup ran their handler; the invalid call did not.
    expect(sampleValue(samples, 'mcp_tool_cost_total', { tool: 'convert_temperature_v1' })).toBe(3);
    expect(sampleValue(samples, 'mcp_tool_cost_total', { tool: 'npm_package_v1' })).toBe(1);
    expect(samples.some((s) => 'principal' in s.labels)).toBe(false);
  });

  it('counts resource reads and prompt gets by kind, item and outcome, with their latency and cost', () => {
    const operations = (kind: string, item: string, outcome: string) =>
      sampleValue(samples, 'mcp_operations_total', { kind, item, outcome });
    expect(operations('resources/read', 'tool-index', 'ok')).toBe(1);
    expect(operations('resources/read', 'tool', 'NOT_FOUND')).toBe(1);
    expect(operations('prompts/get', 'use_tool_v1', 'ok')).toBe(1);
    expect(
      sampleValue(samples, 'mcp_server_operation_duration_seconds_count', {
        kind: 'resources/read',
        outcome: 'ok',
      }),
    ).toBe(1);
    // Cost is charged whenever the handler ran, as for tools (the not-found read ran its handler).
    const cost = (kind: string, item: string) =>
      sampleValue(samples, 'mcp_operation_cost_total', { kind, item });
    expect(cost('resources/read', 'tool-index')).toBe(1);
    expect(cost('resources/read', 'tool')).toBe(1);
    expect(cost('prompts/get', 'use_tool_v1')).toBe(1);
  });

  it('shows no call in flight once they finished', () => {
    expect(sampleValue(samples, 'mcp_tool_calls_in_flight', { tool: 'convert_temperature_v1' })).toBe(0);
  });

  it('counts HTTP requests by route, method and status, with unknown paths in one series', () => {
    // The client's server/discover probe, five tools/call requests, two reads and a get (the failed read is
    // a JSON-RPC error in a 200 response).
    expect(
      sampleValue(samples, 'mcp_http_requests_total', { route: '/mcp', method: 'POST', status: '200' }),
    ).toBe(9);
    expect(
      sampleValue(samples, 'mcp_http_requests_total', { route: 'unmatched', method: 'GET', status: '404' }),
    ).toBe(1);
  });

  it('includes the Node.js process metrics', () => {
    expect(sampleValue(samples, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('refuses a scrape without the token, or with a wrong one', async () => {
    for (const response of [await scrape(url), await scrape(url, `${TOKEN}x`)]) {
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(await response.json()).toMatchObject({ error: 'UNAUTHENTICATED', retryable: false });
    }
  });
});

describe('principal labels, when opted in', () => {
  it('label cost with principal IDs up to the configured number', async () => {
    const { app, url } = await start({ METRICS_TOKEN: TOKEN, METRICS_PRINCIPAL_LABELS: '5' });
    const client = await connectClient(url);
    await client.callTool({ name: 'convert_temperature_v1', arguments: { celsius: 1 } });
    await client.close();
    const samples = parseMetrics(await (await scrape(url, TOKEN)).text());
    await app.shutdown('test finished');
    // Without an auth feature every HTTP caller is the anonymous principal.
    expect(
      sampleValue(samples, 'mcp_tool_cost_total', { tool: 'convert_temperature_v1', principal: 'anonymous' }),
    ).toBe(1);
  });
});

describe('/metrics on METRICS_PORT', () => {
  it('is served on its own port only, and not on the MCP port', async () => {
    const port = await freePort();
    const { app, url } = await start({ METRICS_PORT: String(port) });
    const own = new URL(`http://127.0.0.1:${port}/`);
    const served = await scrape(own);
    const onMcpPort = await scrape(url);
    const elsewhere = await fetch(new URL('/mcp', own));
    await app.shutdown('test finished');
    expect(served.status).toBe(200);
    expect(parseMetrics(await served.text()).some((s) => s.name === 'mcp_tool_calls_total')).toBe(true);
    expect(onMcpPort.status).toBe(404);
    expect(elsewhere.status).toBe(404);
  });
});

describe('with neither METRICS_TOKEN nor METRICS_PORT', () => {
  it('serves no metrics at all and says how to turn them on', async () => {
    const { app, url, logs } = await start({});
    const response = await scrape(url);
    await app.shutdown('test finished');
    expect(response.status).toBe(404);
    expect(
      logs.lines.some((line) => line.level === 'warn' && String(line.msg).includes('METRICS_TOKEN')),
    ).toBe(true);
  });
});

describe('evictions from bounded in-memory stores', () => {
  it('counts every entry a store forgot, by store', async () => {
    // Every bounded store (rate limits, verified tokens) reports through evictionReporter; this one, set up
    // after metrics, forgets 3 of 5 keys as the server starts.
    const overfilled: FeatureModule = {
      id: 'overfilled-store',
      env: z.object({}),
      setup(_env, app) {
        const map = new BoundedMap<string, number>(2, evictionReporter(app, 'probe', '2 keys'));
        for (let i = 0; i < 5; i++) map.set(`key-${i}`, i);
        return {};
      },
    };
    const { app, url } = await start({ METRICS_TOKEN: TOKEN }, [], [overfilled]);
    const response = await scrape(url, TOKEN);
    await app.shutdown('test finished');
    const samples = parseMetrics(await response.text());
    expect(sampleValue(samples, 'mcp_store_evictions_total', { store: 'probe' })).toBe(3);
  });
});
