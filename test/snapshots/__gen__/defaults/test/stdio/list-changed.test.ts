import { Client, type Tool } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { describe, expect, it } from 'vitest';

const SUNSET_IN_MS = 1_500;
// Most of it is starting the server from source (tsx) on a busy machine, which is a hook's work elsewhere.
const STARTS_A_SERVER = { timeout: 60_000 };

/**
 * A deprecated version leaves tools/list at its sunset; a client listening for list changes hears it then,
 * in either protocol era (2026-07-28 over `subscriptions/listen`, 2025 as an unsolicited notification).
 */
describe.each(['modern', 'legacy'] as const)('list changes over stdio, %s era', (era) => {
  it(
    'tells the client when a version passes its sunset, and the refreshed list no longer has it',
    STARTS_A_SERVER,
    async () => {
      let changed: (tools: Tool[]) => void = () => {};
      const refreshed = new Promise<Tool[]>((resolve) => {
        changed = resolve;
      });
      const client = new Client(
        { name: 'test-client', version: '1.0.0' },
        {
          versionNegotiation: { mode: era === 'legacy' ? 'legacy' : { pin: '2026-07-28' } },
          listChanged: { tools: { onChanged: (_error, tools) => tools && changed(tools) } },
        },
      );
      await client.connect(
        new StdioClientTransport({
          command: process.execPath,
          args: ['--import', 'tsx', 'test/fixtures/fading-server.ts', '--stdio'],
          env: { PATH: process.env.PATH ?? '', SUNSET_IN_MS: String(SUNSET_IN_MS) },
          stderr: 'pipe',
        }),
      );
      try {
        expect(client.getServerCapabilities()?.tools?.listChanged).toBe(true);
        const before = (await client.listTools()).tools.map((tool) => tool.name);
        expect(before).toContain('fading_v1');
        const after = (await refreshed).map((tool) => tool.name);
        expect(after).not.toContain('fading_v1');
        expect(after).toContain('fading_v2');
      } finally {
        await client.close();
      }
    },
  );
});
