import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePrompts } from '../fixtures/prompts.js';
import { fixtureResources } from '../fixtures/resources.js';
import { fixtureTools } from '../fixtures/tools.js';
import { connectClient, startHttpServer, type TestServer } from '../helpers/http-server.js';
import { primitivesBattery } from '../helpers/primitives.js';
import { envelopeOf } from '../helpers/results.js';

let server: TestServer;

beforeAll(async () => {
  server = await startHttpServer(
    { TOOL_TIMEOUT_MS: '300' },
    { tools: fixtureTools, resources: fixtureResources, prompts: fixturePrompts, coreOnly: true },
  );
});
afterAll(() => server.stop());

it('warns at startup that multi-round state is sealed with a per-process key (MCP_STATE_SECRET unset)', () => {
  const warning = server.logs.find((line) => String(line.msg).startsWith('MCP_STATE_SECRET is not set'));
  expect(warning).toMatchObject({ level: 'warn' });
});

describe.each(['modern', 'legacy'] as const)('MCP over HTTP, %s client', (era) => {
  let client: Client;
  beforeAll(async () => {
    client = await connectClient(server.url, { 'x-correlation-id': `turn-${era}` }, { era });
  });
  afterAll(() => client.close());

  it('negotiates the expected protocol era', () => {
    expect(client.getProtocolEra()).toBe(era);
  });

  describe('resources, prompts, completion, progress and rich results', () => {
    primitivesBattery(() => ({
      client,
      logs: server.logs,
      principal: 'anonymous',
      tag: era,
      answersQuestions: era === 'modern',
    }));
  });

  it('lists the tools with their schemas, marking deprecated ones and hiding retired ones', async () => {
    const { tools } = await client.listTools();
    const names = tools.map((tool) => tool.name);
    expect(names).toEqual(expect.arrayContaining(['convert_temperature_v2', 'slow_v1', 'sunset_v1']));
    expect(names).not.toContain('retired_v1');
    const sunset = tools.find((tool) => tool.name === 'sunset_v1');
    expect(sunset?._meta).toEqual({ deprecated: { replacedBy: 'sunset_v2', sunset: '2999-01-01' } });
    expect(sunset?.description).toContain('use sunset_v2 instead');
    expect(tools.find((tool) => tool.name === 'slow_v1')?.inputSchema.properties).toHaveProperty('ms');
  });

  it('calls a tool and gets structured content', async () => {
    const result = await client.callTool({
      name: 'convert_temperature_v2',
      arguments: { value: 0, from: 'celsius', to: 'kelvin' },
    });
    expect(result.structuredContent).toEqual({ value: 273.15, unit: 'kelvin' });
  });

  it('refuses an unknown tool as a protocol error naming the tools, and the likely one', async () => {
    // -32602 as the spec asks for unknown tools; the message is what the calling model reads.
    await expect(client.callTool({ name: 'convert_temperature', arguments: {} })).rejects.toMatchObject({
      code: -32602,
      message: expect.stringMatching(
        /Unknown tool "convert_temperature"\. Did you mean convert_temperature_v2\?/,
      ),
    });
    await expect(client.callTool({ name: 'nope', arguments: {} })).rejects.toMatchObject({
      code: -32602,
      message: expect.stringContaining('Tools: '),
      data: { error: 'NOT_FOUND', tools: expect.arrayContaining(['convert_temperature_v2']) },
    });
  });

  it('answers bad arguments with INVALID_ARGUMENT', async () => {
    const result = await client.callTool({ name: 'convert_temperature_v2', arguments: { value: 'hot' } });
    expect(envelopeOf(result)).toMatchObject({ error: 'INVALID_ARGUMENT', retryable: false });
  });

  it('answers TIMEOUT at the deadline', async () => {
    const started = performance.now();
    const result = await client.callTool({ name: 'slow_v1', arguments: { ms: 10_000 } });
    expect(envelopeOf(result)).toMatchObject({ error: 'TIMEOUT', retryable: true });
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('answers INTERNAL for a thrown error, without the error text, with IDs to quote', async () => {
    const result = await client.callTool({ name: 'broken_v1', arguments: {} });
    const error = envelopeOf(result);
    expect(error).toMatchObject({ error: 'INTERNAL', retryable: false, correlationId: `turn-${era}` });
    expect(error.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.stringify(result)).not.toContain('hunter2');
    const logged = server.logs.find((line) => line.msg === 'tool call' && line.requestId === error.requestId);
    expect(JSON.stringify(logged?.err)).toContain('hunter2');
  });

  it('still serves a deprecated tool, and refuses a retired one naming its replacement', async () => {
    expect((await client.callTool({ name: 'sunset_v1', arguments: {} })).structuredContent).toEqual({
      ok: true,
    });
    const retired = envelopeOf(await client.callTool({ name: 'retired_v1', arguments: {} }));
    expect(retired).toMatchObject({ error: 'TOOL_RETIRED', retryable: false });
    expect(retired.message).toContain('retired_v2');
  });

  it('carries the correlation ID from the header, or from _meta, into the tool and its log line', async () => {
    const fromHeader = await client.callTool({ name: 'whoami_v1', arguments: {} });
    expect(fromHeader.structuredContent).toMatchObject({
      principal: 'anonymous',
      correlationId: `turn-${era}`,
    });
    const fromMeta = await client.callTool({
      name: 'whoami_v1',
      arguments: {},
      _meta: { correlationId: 'turn-meta', runId: 'run-1' },
    });
    expect(fromMeta.structuredContent).toMatchObject({ correlationId: 'turn-meta', runId: 'run-1' });
    const line = server.logs.find((l) => l.msg === 'tool call' && l.correlationId === 'turn-meta');
    expect(line).toMatchObject({ tool: 'whoami_v1', runId: 'run-1', principal: 'anonymous', outcome: 'ok' });
  });
});
