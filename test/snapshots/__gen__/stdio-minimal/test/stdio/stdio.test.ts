import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishedName } from '../../src/core/tool.js';
import { tools } from '../../src/tools/index.js';
import { fixtureTools } from '../fixtures/tools.js';
import { primitivesBattery } from '../helpers/primitives.js';
import { BUILT_ENTRY, FIXTURE_ENTRY, spawnServer } from '../helpers/process.js';
import { envelopeOf } from '../helpers/results.js';
import { connectStdioClient, spawnStdioServer } from '../helpers/stdio.js';

describe.each(['modern', 'legacy'] as const)('the server with the SDK stdio client, %s era', (era) => {
  let connection: Awaited<ReturnType<typeof connectStdioClient>>;
  beforeAll(async () => {
    connection = await connectStdioClient({}, { era, entry: FIXTURE_ENTRY });
  });
  afterAll(() => connection.client.close());

  it('lists every published tool, and keeps stdout for the protocol (logs go to stderr)', async () => {
    const { tools: listed } = await connection.client.listTools();
    const live = [...tools, ...fixtureTools].filter(
      (tool) => !tool.deprecated || Date.parse(tool.deprecated.sunset) > Date.now(),
    );
    expect(listed.map((tool) => tool.name).sort()).toEqual(live.map(publishedName).sort());
    expect(connection.logs.some((line) => line.msg === 'ready' && line.transport === 'stdio')).toBe(true);
  });

  describe('resources, prompts, completion, progress and rich results', () => {
    primitivesBattery(() => ({ ...connection, principal: 'stdio', tag: era, answersQuestions: true }));
  });
});

describe('stdio where the environment is set up for HTTP', () => {
  it('starts with HOST=0.0.0.0 and no ALLOWED_HOSTS, as in the Docker image: HTTP settings do not apply', async () => {
    const server = await spawnStdioServer(FIXTURE_ENTRY, { HOST: '0.0.0.0', PORT: '3000' });
    const { tools: listed } = await server.client.listTools();
    expect(listed.length).toBeGreaterThan(0);
    await server.client.close();
    server.child.kill();
  });
});

describe('stdio behaviour (fixture tools)', () => {
  let server: Awaited<ReturnType<typeof spawnStdioServer>>;
  beforeAll(async () => {
    server = await spawnStdioServer(FIXTURE_ENTRY);
  });
  afterAll(() => {
    server.child.kill();
  });

  it('calls tools as the stdio principal', async () => {
    const result = await server.client.callTool({ name: 'whoami_v1', arguments: {} });
    expect(result.structuredContent).toMatchObject({ principal: 'stdio' });
  });

  it('answers INVALID_ARGUMENT, TIMEOUT, INTERNAL and TOOL_RETIRED envelopes', async () => {
    const call = async (name: string, args: Record<string, unknown>) =>
      envelopeOf(await server.client.callTool({ name, arguments: args }));
    expect(await call('slow_v1', { ms: 'later' })).toMatchObject({ error: 'INVALID_ARGUMENT' });
    expect(await call('stubborn_v1', { ms: 2_000 })).toMatchObject({ error: 'TIMEOUT', retryable: true });
    const internal = await call('broken_v1', {});
    expect(internal).toMatchObject({ error: 'INTERNAL' });
    expect(internal.message).not.toContain('hunter2');
    expect((await call('retired_v1', {})).message).toContain('retired_v2');
  });

  it('shuts down cleanly when the client closes stdin', async () => {
    await server.client.close();
    expect(await server.exited).toBe(0);
    expect(server.logs.some((line) => line.msg === 'stopped')).toBe(true);
  });
});

describe('stdio process lifecycle', () => {
  it('drains an in-flight call on SIGTERM, then exits 0', async () => {
    const server = await spawnStdioServer(FIXTURE_ENTRY);
    const call = server.client.callTool({ name: 'slow_v1', arguments: { ms: 800 } });
    await new Promise((resolve) => setTimeout(resolve, 200));
    server.child.kill('SIGTERM');
    expect((await call).structuredContent).toEqual({ waitedMs: 800 });
    expect(await server.exited).toBe(0);
  });

  it('exits 1 on bad configuration, naming the variable', async () => {
    const server = spawnServer(BUILT_ENTRY, { TOOL_TIMEOUT_MS: 'ten seconds' }, ['--stdio']);
    expect(await server.exited).toBe(1);
    expect(server.stderr()).toContain('TOOL_TIMEOUT_MS: expected a duration in milliseconds');
  });
});
