import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpServer, type TestServer } from '../helpers/http-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startHttpServer({}, { coreOnly: true });
});
afterAll(() => server.stop());

const list = (id: number) => ({ jsonrpc: '2.0', id, method: 'tools/list', params: {} });

function post(body: unknown, version?: string) {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
  };
  if (version !== undefined) headers['mcp-protocol-version'] = version;
  return fetch(server.url, { method: 'POST', headers, body: JSON.stringify(body) });
}

describe('JSON-RPC batches', () => {
  it.each(['2025-06-18', '2026-07-28'])(
    'refuses a batch under %s with -32600: that version has none',
    async (version) => {
      const res = await post([list(1), list(2)], version);
      expect(res.status).toBe(400);
      const body = (await res.json()) as { id: unknown; error: { code: number; message: string } };
      expect(body.id).toBeNull();
      expect(body.error.code).toBe(-32600);
      expect(body.error.message).toContain(`not part of MCP protocol version ${version}`);
    },
  );

  it('serves a batch under 2025-03-26, and without a version header (which means 2025-03-26)', async () => {
    for (const version of ['2025-03-26', undefined]) {
      const res = await post([list(1), list(2)], version);
      expect(res.status, String(version)).toBe(200);
      const text = await res.text();
      expect(text, String(version)).toContain('"tools"');
    }
  });
});
