import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client } from '@modelcontextprotocol/client';
import { context, ROOT_CONTEXT, TraceFlags, trace } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningApp, startApp } from '../../../src/app.js';
import { features } from '../../../src/features.generated.js';
import { prompts } from '../../../src/prompts/index.js';
import { resources } from '../../../src/resources/index.js';
import { tools } from '../../../src/tools/index.js';
import { connectClient } from '../../helpers/http-server.js';
import { captureLogs } from '../../helpers/logs.js';
import { envelopeOf } from '../../helpers/results.js';
import { type ReceivedSpan, startOtlpReceiver } from './otlp-receiver.js';

/**
 * Real tool calls over HTTP with the real SDK client; the spans they produce are exported over OTLP/HTTP to a
 * collector on loopback and asserted as an APM would receive them. The server is this project's composition
 * root with its HTTP transport and the observability features: auth and limits are tested in their own files
 * (and together with tracing in the generator's end-to-end tests), so no credentials or Redis are needed here.
 */
const SERVER = 2;
const CLIENT = 3;
const ERROR = 2;

// The agent's trace: the client span that made the call, as carried in `params._meta` (SEP-414).
const AGENT_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const AGENT_SPAN = '00f067aa0ba902b7';
const AGENT_SPAN_2 = '1111111111111111';
const AGENT_SPAN_READ = '2222222222222222';
const AGENT_SPAN_GET = '3333333333333333';
// The trace the HTTP requests belong to (their `traceparent` header): a different trace on purpose.
const HTTP_TRACE = '0af7651916cd43dd8448eb211c80319c';
const HTTP_SPAN = 'b7ad6b7169203331';

const OBSERVED = ['http', 'otel', 'metrics'];

const traceparent = (traceId: string, spanId: string) => `00-${traceId}-${spanId}-01`;
const agentMeta = (spanId: string) => ({ traceparent: traceparent(AGENT_TRACE, spanId), runId: 'run-7' });

/**
 * Client and server share this process, so the client's fetch() is instrumented too and writes the
 * `traceparent` header itself, from the active context, as a traced agent's HTTP client does: run the calls
 * under HTTP_SPAN and each request carries a client span of HTTP_TRACE.
 */
const underHttpTrace = <T>(call: () => Promise<T>): Promise<T> =>
  context.with(
    trace.setSpanContext(ROOT_CONTEXT, {
      traceId: HTTP_TRACE,
      spanId: HTTP_SPAN,
      traceFlags: TraceFlags.SAMPLED,
      isRemote: true,
    }),
    call,
  );
const { name: packageName } = JSON.parse(readFileSync('package.json', 'utf8')) as { name: string };

type Result = Awaited<ReturnType<Client['callTool']>>;
let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
let registry: Server;
let app: RunningApp;
let ok: Result;
let failed: Result;
let headerOnly: Result;
const logs = captureLogs();

/** The `baggage` header of every request the stand-in registry received (it must never get the caller's). */
const upstreamBaggage: (string | undefined)[] = [];

/** A stand-in npm registry, so the npm_package tool makes a real outbound HTTP call. */
async function startRegistry(): Promise<Server> {
  const server = createServer((req, res) => {
    const { baggage } = req.headers;
    upstreamBaggage.push(Array.isArray(baggage) ? baggage.join() : baggage);
    if (req.url === '/zod/latest') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ name: 'zod', version: '4.0.0', license: 'MIT' }));
      return;
    }
    res.writeHead(404).end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
}

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  registry = await startRegistry();
  app = await startApp({
    env: {
      PORT: '0',
      HOST: '127.0.0.1',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      NPM_REGISTRY_URL: `http://127.0.0.1:${(registry.address() as AddressInfo).port}`,
    },
    features: features.filter((feature) => OBSERVED.includes(feature.id)),
    catalog: { tools, resources, prompts },
    logDestination: logs.stream,
  });
  if (app.url === undefined) throw new Error('the HTTP transport did not report its URL');
  // The caller's W3C baggage: arbitrary key-values that must not travel on to the APIs our tools call.
  const client = await connectClient(app.url, {
    'x-correlation-id': 'turn-42',
    baggage: 'user.id=alice,tenant=acme',
  });
  ok = await underHttpTrace(() =>
    client.callTool({ name: 'npm_package_v1', arguments: { name: 'zod' }, _meta: agentMeta(AGENT_SPAN) }),
  );
  failed = await underHttpTrace(() =>
    client.callTool({
      name: 'npm_package_v1',
      arguments: { name: 'no-such-package' },
      _meta: agentMeta(AGENT_SPAN_2),
    }),
  );
  headerOnly = await underHttpTrace(() =>
    client.callTool({ name: 'convert_temperature_v1', arguments: { celsius: 100 } }),
  );
  await underHttpTrace(() => client.listTools());
  await underHttpTrace(() =>
    client.readResource({ uri: 'catalogue://tools', _meta: agentMeta(AGENT_SPAN_READ) }),
  );
  await underHttpTrace(() =>
    client.getPrompt({
      name: 'use_tool_v1',
      arguments: { tool: 'npm_package_v1', task: 'look up zod' },
      _meta: agentMeta(AGENT_SPAN_GET),
    }),
  );
  await client.close();
  // A key in the URL (refused by every auth mode) must not reach the trace backend either.
  await fetch(new URL('/mcp?api_key=secret-in-the-url&x=1', app.url), { method: 'POST', body: '{}' });
  // Shutting down flushes the span batch to the collector.
  await app.shutdown('test finished');
});

afterAll(async () => {
  await receiver.close();
  await new Promise((resolve) => registry.close(resolve));
});

/** The HTTP client span of HTTP_TRACE that carried a request, i.e. what its `traceparent` header named. */
const isHttpRequestSpan = (traceId: string, spanId: string) =>
  receiver.spans.some(
    (s) => s.traceId === traceId && s.spanId === spanId && s.kind === CLIENT && s.parentSpanId === HTTP_SPAN,
  );

function onlySpan(name: string, match: (span: ReceivedSpan) => boolean = () => true): ReceivedSpan {
  const found = receiver.spans.filter((span) => span.name === name && match(span));
  expect(found, `spans named ${name} among: ${receiver.spans.map((s) => s.name).join(', ')}`).toHaveLength(1);
  return found[0] as ReceivedSpan;
}

describe('tool call spans', () => {
  it('follow the MCP conventions and take their parent from params._meta.traceparent', () => {
    expect(ok.isError).toBeFalsy();
    const span = onlySpan('tools/call npm_package_v1', (s) => s.parentSpanId === AGENT_SPAN);
    expect(span).toMatchObject({ traceId: AGENT_TRACE, kind: SERVER, service: packageName });
    expect(span.attributes).toMatchObject({
      'mcp.method.name': 'tools/call',
      'gen_ai.tool.name': 'npm_package_v1',
      'gen_ai.operation.name': 'execute_tool',
      'mcp.protocol.version': '2026-07-28',
      'network.transport': 'tcp',
      'app.correlation_id': 'turn-42',
      'app.run_id': 'run-7',
    });
    expect(span.attributes['jsonrpc.request.id']).toMatch(/.+/);
    expect(span.attributes['error.type']).toBeUndefined();
    // The HTTP request it arrived on is linked, not its parent: MCP and transport contexts are independent.
    expect(span.links).toHaveLength(1);
    expect(span.links[0]?.traceId).toBe(HTTP_TRACE);
    expect(isHttpRequestSpan(HTTP_TRACE, span.links[0]?.spanId ?? '')).toBe(true);
  });

  it('parent the outbound HTTP call the tool made', () => {
    const tool = onlySpan('tools/call npm_package_v1', (s) => s.parentSpanId === AGENT_SPAN);
    const outbound = onlySpan('GET', (s) => s.parentSpanId === tool.spanId);
    expect(outbound).toMatchObject({ traceId: AGENT_TRACE, kind: CLIENT });
    expect(String(outbound.attributes['url.full'])).toMatch(/\/zod\/latest$/);
    expect(outbound.attributes['http.response.status_code']).toBe(200);
  });

  it('fall back to the HTTP traceparent header when the request carries no trace context', () => {
    expect(headerOnly.isError).toBeFalsy();
    const span = onlySpan('tools/call convert_temperature_v1');
    expect(span).toMatchObject({ traceId: HTTP_TRACE, links: [] });
    expect(isHttpRequestSpan(HTTP_TRACE, span.parentSpanId)).toBe(true);
  });

  it('exist for the other methods too, named from the Mcp-Method header', () => {
    const span = onlySpan('tools/list');
    expect(span).toMatchObject({ traceId: HTTP_TRACE, kind: SERVER });
    expect(isHttpRequestSpan(HTTP_TRACE, span.parentSpanId)).toBe(true);
    expect(span.attributes['mcp.method.name']).toBe('tools/list');
  });
});

describe('resource read and prompt get spans', () => {
  it.each([
    [
      'resources/read tool-index',
      AGENT_SPAN_READ,
      'resource read',
      { 'mcp.resource.uri': 'catalogue://tools' },
    ],
    ['prompts/get use_tool_v1', AGENT_SPAN_GET, 'prompt get', { 'gen_ai.prompt.name': 'use_tool_v1' }],
  ])('%s: one span, one log line, the same request and correlation IDs', (name, parent, msg, item) => {
    const span = onlySpan(name);
    expect(span).toMatchObject({ traceId: AGENT_TRACE, parentSpanId: parent, kind: SERVER });
    expect(span.attributes).toMatchObject({
      ...item,
      'mcp.method.name': name.split(' ')[0],
      'app.correlation_id': 'turn-42',
      'app.run_id': 'run-7',
    });
    expect(span.attributes['error.type']).toBeUndefined();
    const requestId = span.attributes['app.request_id'];
    expect(requestId).toMatch(/.+/);
    const lines = logs.lines.filter((line) => line.msg === msg);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      requestId,
      correlationId: 'turn-42',
      runId: 'run-7',
      outcome: 'ok',
      traceId: span.traceId,
      spanId: span.spanId,
    });
  });
});

describe('what never leaves the server', () => {
  it("the caller's baggage: only trace context is propagated to upstream APIs", () => {
    expect(upstreamBaggage.length).toBeGreaterThan(0);
    expect(upstreamBaggage.every((header) => header === undefined)).toBe(true);
  });

  it('query string values: a key sent as ?api_key= is REDACTED in every exported span', () => {
    expect(JSON.stringify(receiver.spans)).not.toContain('secret-in-the-url');
    // The request's fetch() span here (node:http is instrumented only when preloaded, as `npm start` does;
    // the redaction is a span processor, the same for every span whatever instrumentation made it).
    const span = onlySpan('POST', (s) => String(s.attributes['url.query']).includes('api_key'));
    expect(span.attributes).toMatchObject({
      'url.query': expect.stringMatching(/^\??api_key=REDACTED&x=REDACTED$/),
      'url.full': expect.stringMatching(/\/mcp\?api_key=REDACTED&x=REDACTED$/),
    });
  });
});

describe('a failed call', () => {
  it('carries the same IDs in its error envelope, its span and its log line', () => {
    const envelope = envelopeOf(failed);
    expect(envelope).toMatchObject({ error: 'NOT_FOUND', correlationId: 'turn-42', traceId: AGENT_TRACE });
    expect(envelope.requestId).toMatch(/.+/);

    const span = onlySpan('tools/call npm_package_v1', (s) => s.parentSpanId === AGENT_SPAN_2);
    expect(span.status).toMatchObject({ code: ERROR });
    expect(span.attributes).toMatchObject({
      'error.type': 'tool_error',
      'app.error.code': 'NOT_FOUND',
      'app.request_id': envelope.requestId,
      'app.correlation_id': 'turn-42',
      'app.run_id': 'run-7',
    });

    const line = logs.lines.find((l) => l.msg === 'tool call' && l.outcome === 'NOT_FOUND');
    expect(line).toMatchObject({
      tool: 'npm_package_v1',
      requestId: envelope.requestId,
      correlationId: 'turn-42',
      runId: 'run-7',
      traceId: span.traceId,
      spanId: span.spanId,
    });
  });
});

describe('log lines written while serving a traced request', () => {
  it('all carry the trace ID', () => {
    const requestLines = logs.lines.filter((line) => typeof line.requestId === 'string');
    expect(requestLines.length).toBeGreaterThan(0);
    for (const line of requestLines) expect(line.traceId, JSON.stringify(line)).toMatch(/^[0-9a-f]{32}$/);
  });
});
