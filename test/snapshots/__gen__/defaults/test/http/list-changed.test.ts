import { setTimeout as sleep } from 'node:timers/promises';
import { Client, StreamableHTTPClientTransport, type Tool } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tools } from '../../src/tools/index.js';
import { fadingTool } from '../fixtures/fading.js';
import { startHttpServer, type TestServer } from '../helpers/http-server.js';

/** The cache hint (`ttlMs`) a 2026-07-28 `tools/list` answer carries. */
async function listTtl(url: URL): Promise<unknown> {
  const meta = {
    'io.modelcontextprotocol/protocolVersion': '2026-07-28',
    'io.modelcontextprotocol/clientCapabilities': {},
  };
  const answer = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': 'tools/list',
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: meta } }),
  });
  return ((await answer.json()) as { result?: { ttlMs?: unknown } }).result?.ttlMs;
}

/**
 * The sunset is counted from here: starting the server, connecting and the first tools/list must fit before it.
 * 1.5 s was too tight with the suite's files running two at a time on a loaded 2-core machine.
 */
const SUNSET_IN_MS = 3_000;

describe('list changes over HTTP', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startHttpServer({}, { coreOnly: true, tools: fadingTool(SUNSET_IN_MS).tools });
  });
  afterAll(() => server.stop());

  it('tells a 2026-07-28 client listening on subscriptions/listen when a version passes its sunset', async () => {
    let changed: (tools: Tool[]) => void = () => {};
    const refreshed = new Promise<Tool[]>((resolve) => {
      changed = resolve;
    });
    const client = new Client(
      { name: 'test-client', version: '1.0.0' },
      {
        versionNegotiation: { mode: { pin: '2026-07-28' } },
        listChanged: { tools: { onChanged: (_error, tools) => tools && changed(tools) } },
      },
    );
    await client.connect(new StreamableHTTPClientTransport(server.url));
    try {
      expect(client.getServerCapabilities()?.tools?.listChanged).toBe(true);
      expect((await client.listTools()).tools.map((tool) => tool.name)).toContain('fading_v1');
      const after = (await refreshed).map((tool) => tool.name);
      expect(after).not.toContain('fading_v1');
      expect(after).toContain('fading_v2');
    } finally {
      await client.close();
    }
  });

  it('declares listChanged exactly when a published version is due to retire', async () => {
    const plain = await startHttpServer({}, { coreOnly: true });
    const client = new Client(
      { name: 'test-client', version: '1.0.0' },
      { versionNegotiation: { mode: { pin: '2026-07-28' } } },
    );
    try {
      await client.connect(new StreamableHTTPClientTransport(plain.url));
      const retiring = tools.some(
        (tool) => tool.deprecated && Date.parse(tool.deprecated.sunset) > Date.now(),
      );
      expect(client.getServerCapabilities()?.tools?.listChanged).toBe(retiring);
    } finally {
      await client.close();
      await plain.stop();
    }
  });

  it('hints the full list TTL while the next sunset is over a minute off, and the time left within that minute', async () => {
    const far = await startHttpServer({}, { coreOnly: true, tools: fadingTool(120_000).tools });
    const near = await startHttpServer({}, { coreOnly: true, tools: fadingTool(20_000).tools });
    try {
      expect([await listTtl(far.url), await listTtl(far.url)]).toEqual([60_000, 60_000]);
      const first = Number(await listTtl(near.url));
      await sleep(50);
      const second = Number(await listTtl(near.url));
      expect(first).toBeGreaterThan(10_000);
      expect(first).toBeLessThanOrEqual(20_000);
      expect(second).toBeLessThan(first);
    } finally {
      await far.stop();
      await near.stop();
    }
  });
});
