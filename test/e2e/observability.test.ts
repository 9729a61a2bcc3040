import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bootServer, type PreparedProject, prepareProject, type RunningServer } from './harness.js';
import { type Span, startOtlpCollector } from './otlp.js';
import { type RedisServer, startRedis } from './redis.js';
import { envelopeOf } from './results.js';

/**
 * Issue 8 against a booted generated server (`--otel --metrics`, API keys, Redis limits) on the Dockerfile's
 * Node 24, started with the OpenTelemetry preload exactly as `npm start` does, driven by the real SDK client:
 * spans reach a collector on loopback, /metrics is scraped after a known sequence of calls, and the log line,
 * span and error envelope of one failed call share their IDs.
 */
const KEY = `mcp_${randomBytes(32).toString('base64url')}`;
const METRICS_TOKEN = randomBytes(24).toString('hex');
const PRELOAD = './dist/features/otel/register.js';
const AGENT_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SERVER = 2;
const CLIENT = 3;

const agentSpan = (n: number) => n.toString(16).padStart(16, '0');
const meta = (n: number) => ({ traceparent: `00-${AGENT_TRACE}-${agentSpan(n)}-01`, runId: 'run-A' });

type ToolResult = Awaited<ReturnType<Client['callTool']>>;

/** A stand-in npm registry for the npm_package tool: `zod` exists, nothing else does. */
async function startRegistry(): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.url === '/zod/latest') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"name":"zod","version":"4.0.0"}');
    } else {
      res.writeHead(404).end();
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
}

function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels)
    .map(([key, value]) => `${key}="${value}"`)
    .sort();
  for (const line of text.split('\n')) {
    const match = /^(\w+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (match?.[1] !== name) continue;
    const have = (match[2] ?? '').match(/\w+="[^"]*"/g) ?? [];
    if (have.length === wanted.length && [...have].sort().every((pair, i) => pair === wanted[i])) {
      return Number(match[3]);
    }
  }
  return undefined;
}

describe('observability of a generated server: both transports, --otel --metrics, API keys, Redis limits', () => {
  let project: PreparedProject;
  let redis: RedisServer;
  let registry: Server;
  let collector: Awaited<ReturnType<typeof startOtlpCollector>>;
  let server: RunningServer;
  let metricsText: string;
  let logLines: Record<string, unknown>[];
  const results: ToolResult[] = [];

  beforeAll(async () => {
    project = await prepareProject({
      transport: 'both',
      auth: 'api-key',
      rateLimit: 'redis',
      otel: true,
      metrics: true,
    });
    redis = await startRedis();
    registry = await startRegistry();
    collector = await startOtlpCollector();
  });
  afterAll(async () => {
    await server?.stop();
    await redis?.stop();
    await collector?.close();
    await new Promise((resolve) => registry?.close(resolve));
    await project?.remove();
  });

  // On the Node the server below runs on (the Dockerfile's), once: default.test.ts boots a server on Node 20.
  test('typecheck, lint, build and its own tests pass on Node 24', async () => {
    const node = 24;
    await project.run('npm', ['run', 'typecheck'], { node });
    await project.run('npm', ['run', 'lint'], { node });
    await project.run('npm', ['run', 'build'], { node });
    const tests = await project.run('npm', ['test'], { node });
    expect(tests.all).toMatch(/test\/features\/otel\/http\.test\.ts/);
    expect(tests.all).toMatch(/test\/features\/otel\/stdio\.test\.ts/);
    expect(tests.all).toMatch(/test\/features\/metrics\/metrics\.test\.ts/);
    expect(tests.all).toMatch(/test\/usage\.test\.ts/);
  });

  test('npm start preloads the instrumentation', async () => {
    const pkg = JSON.parse(await readFile(join(project.dir, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts.start).toBe(`node --import ${PRELOAD} --env-file-if-exists=.env dist/main.js`);
  });

  test('a known sequence of calls', async () => {
    await project.run('npm', ['run', 'build']);
    server = await bootServer(
      project.dir,
      {
        // What `npm start` passes on its command line, here through the environment.
        NODE_OPTIONS: `--import ${PRELOAD}`,
        API_KEYS: `alice:${createHash('sha256').update(KEY).digest('hex')}`,
        REDIS_URL: redis.url,
        RATE_LIMIT_PER_MINUTE: '3',
        CALL_BUDGET: '5',
        METRICS_TOKEN,
        METRICS_PRINCIPAL_LABELS: '10',
        OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint,
        NPM_REGISTRY_URL: `http://127.0.0.1:${(registry.address() as AddressInfo).port}`,
      },
      { node: 24 },
    );
    const mcp = new URL('/mcp', server.url);
    // Two requests without a key.
    for (let i = 0; i < 2; i++) {
      const refused = await fetch(mcp, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect(refused.status).toBe(403);
    }
    const client = new Client(
      { name: 'e2e-agent', version: '1.0.0' },
      { versionNegotiation: { mode: { pin: '2026-07-28' } } },
    );
    await client.connect(
      new StreamableHTTPClientTransport(mcp, {
        requestInit: { headers: { authorization: `Bearer ${KEY}`, 'x-correlation-id': 'turn-1' } },
      }),
    );
    const call = async (n: number, name: string, args: Record<string, unknown>) =>
      results.push(await client.callTool({ name, arguments: args, _meta: meta(n) }));
    // 3 calls per minute per tool, 5 per run: the fourth conversion is rate limited (and spends no budget),
    // the next call then finds run-A's budget spent.
    await call(1, 'npm_package_v1', { name: 'zod' });
    await call(2, 'npm_package_v1', { name: 'no-such-package' });
    for (let n = 3; n <= 6; n++) await call(n, 'convert_temperature_v1', { celsius: n });
    await call(7, 'npm_package_v1', { name: 'zod' });
    await client.close();

    expect(results.map((r) => (r.isError ? envelopeOf(r).error : 'ok'))).toEqual([
      'ok',
      'NOT_FOUND',
      'ok',
      'ok',
      'ok',
      'RATE_LIMITED',
      'BUDGET_EXHAUSTED',
    ]);
    expect((await fetch(new URL('/readyz', server.url))).status).toBe(200);
    const scrape = await fetch(new URL('/metrics', server.url), {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    expect(scrape.status).toBe(200);
    metricsText = await scrape.text();
    // SIGTERM: drains, then the otel feature closes last and flushes the span batch.
    expect(await server.stop()).toBe(0);
    logLines = server
      .output()
      .split('\n')
      .flatMap((line) => {
        try {
          return [JSON.parse(line) as Record<string, unknown>];
        } catch {
          return [];
        }
      });
  });

  test('/metrics shows the exact counts', () => {
    const calls = (tool: string, outcome: string) =>
      sample(metricsText, 'mcp_tool_calls_total', { tool, outcome });
    expect(calls('npm_package_v1', 'ok')).toBe(1);
    expect(calls('npm_package_v1', 'NOT_FOUND')).toBe(1);
    expect(calls('npm_package_v1', 'BUDGET_EXHAUSTED')).toBe(1);
    expect(calls('convert_temperature_v1', 'ok')).toBe(3);
    expect(calls('convert_temperature_v1', 'RATE_LIMITED')).toBe(1);
    expect(sample(metricsText, 'mcp_auth_rejections_total', { status: '403' })).toBe(2);
    expect(
      sample(metricsText, 'mcp_rate_limit_rejections_total', {
        scope: 'item',
        kind: 'tools/call',
        item: 'convert_temperature_v1',
      }),
    ).toBe(1);
    expect(
      sample(metricsText, 'mcp_budget_exhaustions_total', { kind: 'tools/call', item: 'npm_package_v1' }),
    ).toBe(1);
    expect(sample(metricsText, 'mcp_dependency_up', { dependency: 'redis' })).toBe(1);
    expect(sample(metricsText, 'mcp_tool_calls_in_flight', { tool: 'npm_package_v1' })).toBe(0);
    // Cost is charged when a handler ran: 3 conversions; the lookup that found zod and the one that did not.
    expect(
      sample(metricsText, 'mcp_tool_cost_total', { tool: 'convert_temperature_v1', principal: 'alice' }),
    ).toBe(3);
    expect(sample(metricsText, 'mcp_tool_cost_total', { tool: 'npm_package_v1', principal: 'alice' })).toBe(
      2,
    );
  });

  const spanOf = (n: number): Span => {
    const found = collector.spans.filter((s) => s.parentSpanId === agentSpan(n) && s.traceId === AGENT_TRACE);
    expect(found, collector.spans.map((s) => s.name).join(', ')).toHaveLength(1);
    return found[0] as Span;
  };

  test('each tool call is a span parented on the traceparent in its _meta, linked to its HTTP span', () => {
    const span = spanOf(1);
    expect(span).toMatchObject({ name: 'tools/call npm_package_v1', kind: SERVER });
    expect(span.attributes).toMatchObject({
      'mcp.method.name': 'tools/call',
      'gen_ai.tool.name': 'npm_package_v1',
      'mcp.protocol.version': '2026-07-28',
      'app.principal.id': 'alice',
      'app.correlation_id': 'turn-1',
      'app.run_id': 'run-A',
    });
    const [link] = span.links;
    const http = collector.spans.find((s) => s.spanId === link?.spanId);
    expect(http).toMatchObject({ kind: SERVER, name: 'POST' });
    expect(http?.attributes['url.path'] ?? http?.attributes['http.target']).toBe('/mcp');
  });

  test('the Redis commands of the limits and the outbound HTTP call are child spans of the tool span', () => {
    const span = spanOf(1);
    const children = collector.spans.filter((s) => s.parentSpanId === span.spanId);
    expect(
      children.filter(
        (s) => s.attributes['db.system'] === 'redis' || s.attributes['db.system.name'] === 'redis',
      ).length,
    ).toBeGreaterThanOrEqual(2);
    const outbound = children.find((s) => s.kind === CLIENT && s.name === 'GET');
    expect(String(outbound?.attributes['url.full'])).toMatch(/\/zod\/latest$/);
  });

  test('a failed call: its log line, span and error envelope share the IDs', () => {
    const envelope = envelopeOf(results[1] ?? {});
    const span = spanOf(2);
    expect(envelope).toMatchObject({ error: 'NOT_FOUND', correlationId: 'turn-1', traceId: AGENT_TRACE });
    expect(span.attributes).toMatchObject({
      'error.type': 'tool_error',
      'app.error.code': 'NOT_FOUND',
      'app.request_id': envelope.requestId,
      'app.correlation_id': 'turn-1',
    });
    const line = logLines.find((l) => l.msg === 'tool call' && l.outcome === 'NOT_FOUND');
    expect(line).toMatchObject({
      requestId: envelope.requestId,
      correlationId: 'turn-1',
      runId: 'run-A',
      traceId: AGENT_TRACE,
      spanId: span.spanId,
    });
  });

  test('every log line of a request carries its trace ID', () => {
    const requestLines = logLines.filter((l) => typeof l.requestId === 'string');
    expect(requestLines.length).toBeGreaterThanOrEqual(7);
    for (const line of requestLines) expect(line.traceId, JSON.stringify(line)).toMatch(/^[0-9a-f]{32}$/);
  });

  test('npm run usage summarises cost per principal and tool from those logs', async () => {
    await writeFile(join(project.dir, 'server.log'), server.output());
    const { stdout } = await project.run('sh', ['-c', 'npm run --silent usage -- --json < server.log']);
    expect(JSON.parse(String(stdout))).toEqual([
      expect.objectContaining({
        principal: 'alice',
        tool: 'convert_temperature_v1',
        calls: 4,
        errors: 1,
        cost: 3,
      }),
      expect.objectContaining({ principal: 'alice', tool: 'npm_package_v1', calls: 3, errors: 2, cost: 2 }),
    ]);
  });
});

describe('without --otel', () => {
  test('no OpenTelemetry package is installed; with --metrics only the API prom-client depends on', async () => {
    const plain = await prepareProject({ transport: 'both', otel: false, metrics: false });
    const metricsOnly = await prepareProject({ transport: 'http', otel: false, metrics: true });
    try {
      const otelPackages = async (dir: string) => {
        const lock = JSON.parse(await readFile(join(dir, 'package-lock.json'), 'utf8')) as {
          packages: Record<string, { dependencies?: Record<string, string> }>;
        };
        return Object.keys(lock.packages).filter((path) => path.includes('node_modules/@opentelemetry/'));
      };
      expect(await otelPackages(plain.dir)).toEqual([]);
      expect(await otelPackages(metricsOnly.dir)).toEqual(['node_modules/@opentelemetry/api']);
    } finally {
      await plain.remove();
      await metricsOnly.remove();
    }
  });
});
