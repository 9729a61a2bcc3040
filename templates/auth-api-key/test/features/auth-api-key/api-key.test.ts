import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../../src/features/auth-api-key/keys.js';
import { connectClient, startHttpServer, type TestServer } from '../../helpers/http-server.js';
import { callTool } from '../../helpers/mcp-request.js';
import { handlerRuns, probes, scopeTests } from '../../helpers/probe-tools.js';

const newKey = () => `mcp_${randomBytes(32).toString('base64url')}`;
const ALICE = newKey();
const BOB = newKey();
const hash = (key: string) => sha256(key).toString('hex');

let server: TestServer;
beforeAll(async () => {
  server = await startHttpServer({ API_KEYS: `alice:${hash(ALICE)}, bob:${hash(BOB)}:reports:read` }, probes);
});
afterAll(() => server.stop());

describe('api-key auth: hostile battery (every case must be rejected before any tool runs)', () => {
  const wrongKey = newKey();
  const hostile: Array<{
    name: string;
    status: 400 | 403;
    /** The logged reason: proves the case failed on the check it targets, not on something incidental. */
    reason: string;
    headers: Record<string, string>;
    query?: string;
  }> = [
    { name: 'no credentials', status: 403, reason: 'no credentials', headers: {} },
    {
      name: 'empty Authorization header',
      status: 403,
      reason: 'empty authorization header',
      headers: { authorization: '' },
    },
    {
      name: 'empty X-API-Key header',
      status: 403,
      reason: 'empty x-api-key header',
      headers: { 'x-api-key': '' },
    },
    {
      name: 'garbage Authorization header',
      status: 403,
      reason: 'unsupported authorization scheme',
      headers: { authorization: 'garbage' },
    },
    {
      name: 'Basic credentials instead of a key',
      status: 403,
      reason: 'unsupported authorization scheme',
      headers: { authorization: `Basic ${btoa(ALICE)}` },
    },
    {
      name: 'Bearer without a key',
      status: 400,
      reason: 'malformed Authorization',
      headers: { authorization: 'Bearer' },
    },
    {
      name: 'Bearer with garbage',
      status: 400,
      reason: 'malformed Authorization',
      headers: { authorization: 'Bearer {"not":"a key"}' },
    },
    {
      name: 'wrong key (Bearer)',
      status: 403,
      reason: 'unknown api key',
      headers: { authorization: `Bearer ${wrongKey}` },
    },
    {
      name: 'wrong key (X-API-Key)',
      status: 403,
      reason: 'unknown api key',
      headers: { 'x-api-key': wrongKey },
    },
    {
      name: 'valid key with a character appended',
      status: 403,
      reason: 'unknown api key',
      headers: { authorization: `Bearer ${ALICE}x` },
    },
    {
      name: 'valid key truncated',
      status: 403,
      reason: 'unknown api key',
      headers: { authorization: `Bearer ${ALICE.slice(0, -1)}` },
    },
    {
      name: 'the stored hash presented as the key',
      status: 403,
      reason: 'unknown api key',
      headers: { authorization: `Bearer ${hash(ALICE)}` },
    },
    // Trailing spaces and tabs never reach an application (the HTTP parser strips them, RFC 9110 §5.5); the
    // whitespace that does get through must not be trimmed into a match.
    {
      name: 'valid key + trailing no-break space',
      status: 400,
      reason: 'malformed Authorization',
      headers: { authorization: `Bearer ${ALICE}\u00a0` },
    },
    {
      name: 'valid X-API-Key + trailing no-break space',
      status: 400,
      reason: 'malformed X-API-Key',
      headers: { 'x-api-key': `${ALICE}\u00a0` },
    },
    {
      name: 'valid key + space + more',
      status: 400,
      reason: 'malformed Authorization',
      headers: { authorization: `Bearer ${ALICE} ${BOB}` },
    },
    {
      name: 'valid key in query string',
      status: 400,
      reason: 'credential in query string',
      headers: {},
      query: `?api_key=${ALICE}`,
    },
    {
      name: 'valid key in query string beside a valid header',
      status: 400,
      reason: 'credential in query string',
      headers: { authorization: `Bearer ${ALICE}` },
      query: `?access_token=${ALICE}`,
    },
    {
      name: 'valid keys in both headers',
      status: 400,
      reason: 'api key sent twice',
      headers: { authorization: `Bearer ${ALICE}`, 'x-api-key': BOB },
    },
  ];

  it.each(hostile)('$name → $status', async ({ status, reason, headers, query }) => {
    const runsBefore = handlerRuns.count;
    const rejected: number[] = [];
    const onRejected = (event: { status: number }) => rejected.push(event.status);
    server.events.on('auth.rejected', onRejected);
    const res = await callTool(server.url, 'whoami_v1', headers, query);
    server.events.off('auth.rejected', onRejected);

    expect(res.status).toBe(status);
    // Never a 401 or an OAuth challenge: OAuth-aware clients would go looking for an authorization server.
    expect(res.headers['www-authenticate']).toBeUndefined();
    const body = JSON.parse(res.body);
    expect(body).toMatchObject({ error: 'UNAUTHENTICATED', retryable: false, requestId: expect.any(String) });
    expect(res.body).not.toContain(ALICE);
    expect(rejected).toEqual([status]);
    const line = server.logs.find((l) => l.msg === 'auth rejected' && l.requestId === body.requestId);
    expect(line?.reason).toBe(reason);
    expect(handlerRuns.count).toBe(runsBefore);
  });
});

describe('api-key auth: scopes (alice has none, bob has reports:read)', () => {
  scopeTests({
    url: () => server.url,
    without: async () => ({ authorization: `Bearer ${ALICE}` }),
    with: async () => ({ 'x-api-key': BOB }),
  });
});

describe('api-key auth: valid keys reach the tool as their principal', () => {
  it.each(['modern', 'legacy'] as const)('Authorization: Bearer, %s client → alice', async (era) => {
    const client = await connectClient(server.url, { authorization: `Bearer ${ALICE}` }, { era });
    const result = await client.callTool({ name: 'whoami_v1', arguments: {} });
    await client.close();
    expect(result.structuredContent).toEqual({ id: 'alice', scopes: [], source: 'api-key' });
  });

  it('X-API-Key → bob, with the scopes configured for his key', async () => {
    const client = await connectClient(server.url, { 'x-api-key': BOB });
    const me = await client.callTool({ name: 'whoami_v1', arguments: {} });
    const scoped = await client.callTool({ name: 'report_v1', arguments: {} });
    await client.close();
    expect(me.structuredContent).toEqual({ id: 'bob', scopes: ['reports:read'], source: 'api-key' });
    expect(scoped.structuredContent).toEqual({ ok: true });
  });

  it("the battery's own request, with a valid key, reaches the tool", async () => {
    const runsBefore = handlerRuns.count;
    const res = await callTool(server.url, 'whoami_v1', { authorization: `Bearer ${ALICE}` });
    expect(res.status).toBe(200);
    expect(res.body).toContain('"id":"alice"');
    expect(handlerRuns.count).toBe(runsBefore + 1);
  });

  it('health endpoints need no credentials', async () => {
    const res = await fetch(new URL('/healthz', server.url));
    expect(res.status).toBe(200);
  });
});
