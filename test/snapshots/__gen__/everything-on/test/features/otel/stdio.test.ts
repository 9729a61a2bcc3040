import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorEnvelope } from '../../../src/core/errors.js';
import { envelopeOf } from '../../helpers/results.js';
import { spawnStdioServer } from '../../helpers/stdio.js';
import { type ReceivedSpan, startOtlpReceiver } from './otlp-receiver.js';

/**
 * The server as an MCP client launches it, over stdio, started with the OpenTelemetry preload `npm start` uses:
 * a tool call carrying trace context in `params._meta` becomes a span of the caller's trace, with the tool's
 * outbound HTTP call as its child, exported when the client closes the pipe and the server shuts down. A
 * resource read, a prompt get and a completion get one span each the same way, tied to their log line.
 */
const AGENT_TRACE = '5bf92f3577b34da6a3ce929d0e0e4737';
const AGENT_SPAN = '10f067aa0ba902b8';
const AGENT_SPAN_READ = '20f067aa0ba902b8';
const AGENT_SPAN_GET = '30f067aa0ba902b8';
const AGENT_SPAN_COMPLETE = '40f067aa0ba902b8';
const meta = (spanId: string, correlationId: string) => ({
  traceparent: `00-${AGENT_TRACE}-${spanId}-01`,
  correlationId,
});
const ENTRY = ['--import', './dist/features/otel/register.js', 'test/features/otel/stdio-server.mjs'];

let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
let registry: Server;
let server: Awaited<ReturnType<typeof spawnStdioServer>>;
let envelope: ErrorEnvelope;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  registry = createServer((_req, res) => res.writeHead(404).end());
  registry.listen(0, '127.0.0.1');
  await once(registry, 'listening');
  server = await spawnStdioServer(ENTRY, {
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
    NPM_REGISTRY_URL: `http://127.0.0.1:${(registry.address() as AddressInfo).port}`,
  });
  const result = await server.client.callTool({
    name: 'npm_package_v1',
    arguments: { name: 'no-such-package' },
    _meta: { traceparent: `00-${AGENT_TRACE}-${AGENT_SPAN}-01`, correlationId: 'turn-9' },
  });
  envelope = envelopeOf(result);
  await server.client.readResource({ uri: 'catalogue://tools', _meta: meta(AGENT_SPAN_READ, 'turn-9-read') });
  await server.client.getPrompt({
    name: 'use_tool_v1',
    arguments: { tool: 'npm_package_v1', task: 'look up zod' },
    _meta: meta(AGENT_SPAN_GET, 'turn-9-get'),
  });
  await server.client.complete({
    ref: { type: 'ref/prompt', name: 'use_tool_v1' },
    argument: { name: 'tool', value: 'npm' },
    _meta: meta(AGENT_SPAN_COMPLETE, 'turn-9-complete'),
  });
  // Closing stdin is how a client ends a stdio server: it drains, and the otel feature flushes its spans.
  await server.client.close();
  expect(await server.exited).toBe(0);
});

afterAll(async () => {
  await receiver.close();
  await new Promise((resolve) => registry.close(resolve));
});

describe('over stdio, with the preload', () => {
  it('traces the call under the trace context of its _meta, with its outbound HTTP call as a child', () => {
    const span = receiver.spans.find((s) => s.name === 'tools/call npm_package_v1') as ReceivedSpan;
    expect(span).toMatchObject({ traceId: AGENT_TRACE, parentSpanId: AGENT_SPAN, kind: 2 });
    expect(span.attributes).toMatchObject({ 'network.transport': 'pipe', 'app.correlation_id': 'turn-9' });
    const outbound = receiver.spans.find((s) => s.parentSpanId === span.spanId);
    expect(outbound).toMatchObject({ name: 'GET', kind: 3, traceId: AGENT_TRACE });
  });

  it('puts the trace ID in the error envelope and the log line of the failed call', () => {
    const span = receiver.spans.find((s) => s.name === 'tools/call npm_package_v1') as ReceivedSpan;
    expect(envelope).toMatchObject({ error: 'NOT_FOUND', correlationId: 'turn-9', traceId: AGENT_TRACE });
    const line = server.logs.find((l) => l.msg === 'tool call');
    expect(line).toMatchObject({
      requestId: envelope.requestId,
      correlationId: 'turn-9',
      traceId: AGENT_TRACE,
      spanId: span.spanId,
    });
  });

  it.each([
    ['resources/read tool-index', AGENT_SPAN_READ, 'resource read', 'turn-9-read'],
    ['prompts/get use_tool_v1', AGENT_SPAN_GET, 'prompt get', 'turn-9-get'],
    ['completion/complete use_tool_v1', AGENT_SPAN_COMPLETE, 'completion', 'turn-9-complete'],
  ])(
    '%s: one span under its _meta trace context, one log line with the same IDs',
    (name, parent, msg, id) => {
      const spans = receiver.spans.filter((s) => s.name === name);
      expect(spans, receiver.spans.map((s) => s.name).join(', ')).toHaveLength(1);
      const span = spans[0] as ReceivedSpan;
      expect(span).toMatchObject({ traceId: AGENT_TRACE, parentSpanId: parent, kind: 2 });
      expect(span.attributes).toMatchObject({
        'mcp.method.name': name.split(' ')[0],
        'network.transport': 'pipe',
        'app.correlation_id': id,
      });
      expect(span.attributes['error.type']).toBeUndefined();
      // Every operation over stdio is a request of its own: its ID is not the tool call's.
      const requestId = span.attributes['app.request_id'];
      expect(requestId).toMatch(/.+/);
      expect(requestId).not.toBe(envelope.requestId);
      const lines = server.logs.filter((l) => l.msg === msg);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({
        requestId,
        correlationId: id,
        outcome: 'ok',
        traceId: AGENT_TRACE,
        spanId: span.spanId,
      });
    },
  );

  it('logs no warning about a missing preload', () => {
    expect(server.logs.some((l) => String(l.msg).includes('without its preload'))).toBe(false);
  });
});
