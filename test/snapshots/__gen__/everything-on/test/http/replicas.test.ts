import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discardV1 } from '../fixtures/tools.js';
import { startHttpServer, type TestServer } from '../helpers/http-server.js';

const SECRET = 'replica-secret-'.padEnd(44, 'x');
const NEXT = 'rotated-secret-'.padEnd(44, 'y');

/** One 2026-07-28 `tools/call` of discard_v1 from a client that can answer forms; the JSON-RPC response. */
async function discard(server: TestServer, id: string, round: Record<string, unknown> = {}) {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': 'tools/call',
      'mcp-name': 'discard_v1',
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: {
        name: 'discard_v1',
        arguments: { id },
        ...round,
        _meta: {
          'io.modelcontextprotocol/protocolVersion': '2026-07-28',
          'io.modelcontextprotocol/clientCapabilities': { elicitation: { form: {} } },
        },
      },
    }),
  });
  const text = await response.text();
  // The reply comes as JSON, or as one SSE `data:` line.
  const json = text.startsWith('{') ? text : (/^data: (.*)$/m.exec(text)?.[1] ?? text);
  return JSON.parse(json) as {
    result?: { resultType?: string; requestState?: string; content?: { text: string }[] };
    error?: { code: number; message: string };
  };
}

const yes = { confirm: { action: 'accept', content: { confirm: true } } };

/**
 * Several replicas behind a load balancer: the round that asks and the round that answers may land on
 * different processes. They share MCP_STATE_SECRET, so the state one seals another opens; a replica with
 * another key refuses it, and during a rotation the previous key is still accepted.
 */
describe('requestState across replicas', () => {
  const servers: TestServer[] = [];
  let a: TestServer;
  let b: TestServer;
  let stranger: TestServer;
  let rotated: TestServer;
  beforeAll(async () => {
    const start = (env: Record<string, string>) =>
      startHttpServer(env, { tools: [discardV1], coreOnly: true }).then((server) => {
        servers.push(server);
        return server;
      });
    [a, b, stranger, rotated] = await Promise.all([
      start({ MCP_STATE_SECRET: SECRET }),
      start({ MCP_STATE_SECRET: SECRET }),
      start({ MCP_STATE_SECRET: NEXT }),
      start({ MCP_STATE_SECRET: NEXT, MCP_STATE_SECRET_PREVIOUS: SECRET }),
    ]);
  });
  afterAll(() => Promise.all(servers.map((server) => server.stop())));

  it('a question asked by replica A is answered through replica B', async () => {
    const asked = await discard(a, 'draft-1');
    expect(asked.result?.resultType).toBe('input_required');
    const requestState = asked.result?.requestState;
    expect(requestState).toEqual(expect.any(String));
    const answered = await discard(b, 'draft-1', { requestState, inputResponses: yes });
    expect(answered.result?.content).toEqual([{ type: 'text', text: 'Discarded draft-1.' }]);
  });

  it('is refused by a replica with another key, or for other arguments, and accepted during a rotation', async () => {
    const requestState = (await discard(a, 'draft-2')).result?.requestState;
    const foreign = await discard(stranger, 'draft-2', { requestState, inputResponses: yes });
    expect(foreign.error).toMatchObject({ code: -32602, message: 'Invalid or expired requestState' });
    const otherArgs = await discard(b, 'draft-3', { requestState, inputResponses: yes });
    expect(otherArgs.error).toMatchObject({ code: -32602 });
    const rotation = await discard(rotated, 'draft-2', { requestState, inputResponses: yes });
    expect(rotation.result?.content).toEqual([{ type: 'text', text: 'Discarded draft-2.' }]);
    expect(stranger.logs).toContainEqual(
      expect.objectContaining({ msg: 'requestState refused', reason: 'mac', operation: 'discard_v1' }),
    );
  });
});
