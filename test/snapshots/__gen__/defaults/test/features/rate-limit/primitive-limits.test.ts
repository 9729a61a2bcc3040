import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishedName } from '../../../src/core/tool.js';
import { tools } from '../../../src/tools/index.js';
import type { TestServer } from '../../helpers/http-server.js';
import { connectAs, startLimitedServer } from './limited-server.js';

/**
 * Resource reads and prompt gets are limited exactly as tool calls are (one pipeline): per item and caller
 * (RATE_LIMITED), and per agent run (BUDGET_EXHAUSTED). They have no error *result*, so the refusal is a
 * JSON-RPC error whose `data` is the envelope. The shipped catalogue resource and use-tool prompt are read.
 */
const REFUSED = -32000;
const someTool = tools[0] ? publishedName(tools[0]) : 'none';

// The client keeps a read for the TTL the server allows (an hour for the catalogue): always ask the server.
const read = (client: Client, uri = 'catalogue://tools') =>
  client.readResource({ uri }, { cacheMode: 'bypass' });
const get = (client: Client) =>
  client.getPrompt({ name: 'use_tool_v1', arguments: { tool: someTool, task: 'anything' } });
const refusal = (pending: Promise<unknown>) =>
  pending.then(
    () => undefined,
    (error: unknown) => error,
  );

describe('per-item rate limit on a resource read and a prompt get', () => {
  let server: TestServer;
  let client: Client;
  beforeAll(async () => {
    server = await startLimitedServer({ RATE_LIMIT_PER_MINUTE: '2' });
    client = await connectAs(server.url);
  });
  afterAll(async () => {
    await client.close();
    await server.stop();
  });

  it('answers the read over the limit with RATE_LIMITED and when a slot frees', async () => {
    await read(client);
    await read(client);
    const error = await refusal(read(client));
    expect(error).toMatchObject({ code: REFUSED, data: { error: 'RATE_LIMITED', retryable: true } });
    const { retryAfter, requestId } = (error as { data: { retryAfter: number; requestId: string } }).data;
    expect(retryAfter).toBeGreaterThanOrEqual(59);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const line = server.logs.find((l) => l.msg === 'resource read' && l.requestId === requestId);
    expect(line).toMatchObject({ resource: 'tool-index', outcome: 'RATE_LIMITED', cost: 0 });
  });

  it('counts each item on its own: prompt gets have their own allowance, refused the same way', async () => {
    expect((await get(client)).messages).toHaveLength(2);
    expect((await get(client)).messages).toHaveLength(2);
    const error = await refusal(get(client));
    expect(error).toMatchObject({ code: REFUSED, data: { error: 'RATE_LIMITED', retryable: true } });
    expect((error as { data: { message: string } }).data.message).toContain(
      'use_tool_v1 allows 2 calls per minute',
    );
  });
});

describe('run budget across reads and gets', () => {
  let server: TestServer;
  let client: Client;
  beforeAll(async () => {
    server = await startLimitedServer({ CALL_BUDGET: '3', CALL_BUDGET_WINDOW_SECONDS: '600' });
    client = await connectAs(server.url, { 'x-run-id': 'primitives-run' });
  });
  afterAll(async () => {
    await client.close();
    await server.stop();
  });

  it('spends one budget on reads and gets of any item, then answers BUDGET_EXHAUSTED', async () => {
    await read(client);
    await read(client, `catalogue://tools/${someTool}`);
    await get(client);
    for (const call of [read, get]) {
      const error = await refusal(call(client));
      expect(error).toMatchObject({ code: REFUSED, data: { error: 'BUDGET_EXHAUSTED', retryable: true } });
      const { retryAfter, message } = (error as { data: { retryAfter: number; message: string } }).data;
      expect(retryAfter).toBeGreaterThanOrEqual(599);
      expect(retryAfter).toBeLessThanOrEqual(600);
      expect(message).toContain('Run primitives-run has used its budget of 3 calls per 600 s');
    }
  });
});
