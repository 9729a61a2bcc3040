import { Client, StreamableHTTPClientTransport, type Tool } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tools } from '../../src/tools/index.js';
import { fadingTool } from '../fixtures/fading.js';
import { startHttpServer, type TestServer } from '../helpers/http-server.js';

describe('list changes over HTTP', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startHttpServer({}, { coreOnly: true, tools: fadingTool(1_500).tools });
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
});
