import { createHash, randomBytes } from 'node:crypto';
import { Agent, type IncomingHttpHeaders, request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { bootServer, type PreparedProject, prepareProject, type RunningServer } from './harness.js';
import { type RedisServer, startRedis } from './redis.js';
import { envelopeOf } from './results.js';
import { saturateCores } from './saturate.js';

/**
 * Issue 5 against booted generated servers (`node dist/main.js` on the Dockerfile's Node 24), driven over real
 * HTTP: exact limits under concurrency, budgets, the HTTP edge guard, two processes sharing one real Redis,
 * and Redis killed and restarted under both failure policies.
 */
const newKey = () => `mcp_${randomBytes(32).toString('base64url')}`;
const KEY = newKey();
/** Callers with limits of their own, so each round of a test starts from an empty window. */
interface Caller {
  name: string;
  key: string;
}
const CALLERS: Caller[] = ['bob', 'carol', 'dave', 'erin', 'frank'].map((name) => ({ name, key: newKey() }));
const [BOB, CAROL, DAVE, ERIN, FRANK] = CALLERS as [Caller, Caller, Caller, Caller, Caller];
const entry = (name: string, key: string) => `${name}:${createHash('sha256').update(key).digest('hex')}`;
const AUTH = {
  API_KEYS: [entry('alice', KEY), ...CALLERS.map((c) => entry(c.name, c.key))].join(','),
  // Each case turns on only the layer it measures.
  RATE_LIMIT_PER_MINUTE: '0',
  CALL_BUDGET: '0',
  EDGE_RATE_LIMIT_PER_MINUTE: '0',
};
const TOOL = 'convert_temperature_v2';
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
  /** `ok`, or the error code of the envelope (tool result or HTTP body). */
  outcome: string;
  envelope?: { error: string; retryAfter?: number; message: string };
}

/** One 2026-07-28 `tools/call` over node:http (JSON or SSE answer). */
function callTool(server: RunningServer, headers: Record<string, string> = {}): Promise<Reply> {
  const body = JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'tools/call',
    params: {
      name: TOOL,
      arguments: { value: 100, from: 'celsius', to: 'fahrenheit' },
      _meta: {
        'io.modelcontextprotocol/protocolVersion': '2026-07-28',
        'io.modelcontextprotocol/clientCapabilities': {},
      },
    },
  });
  const mcpHeaders = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': '2026-07-28',
    'mcp-method': 'tools/call',
    'mcp-name': TOOL,
    authorization: `Bearer ${KEY}`,
  };
  return new Promise((resolve, reject) => {
    const req = request(new URL('/mcp', server.url), {
      method: 'POST',
      agent,
      headers: { ...mcpHeaders, ...headers },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => resolve(reply(res.statusCode ?? 0, res.headers, text)));
    });
    req.end(body);
  });
}

function reply(status: number, headers: IncomingHttpHeaders, text: string): Reply {
  const sse = headers['content-type']?.startsWith('text/event-stream') ?? false;
  const json = sse
    ? (text
        .split('\n')
        .findLast((line) => line.startsWith('data:'))
        ?.slice(5) ?? '{}')
    : text;
  const body = JSON.parse(json) as Record<string, unknown>;
  const result = body.result as Parameters<typeof envelopeOf>[0] | undefined;
  const failed = status !== 200 || result?.isError === true;
  const envelope =
    result === undefined ? (body as unknown as Reply['envelope']) : failed ? envelopeOf(result) : undefined;
  return { status, headers, body, outcome: failed ? (envelope?.error ?? `HTTP ${status}`) : 'ok', envelope };
}

const count = (replies: Reply[], outcome: string) => replies.filter((r) => r.outcome === outcome).length;
const concurrently = (n: number, call: (i: number) => Promise<Reply>) =>
  Promise.all(Array.from({ length: n }, (_, i) => call(i)));

async function readiness(server: RunningServer): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(new URL('/readyz', server.url));
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Servers booted by the running describe block; stopped before its project is removed. */
const servers: RunningServer[] = [];
async function boot(project: PreparedProject, env: Record<string, string>): Promise<RunningServer> {
  const server = await bootServer(project.dir, { ...AUTH, ...env }, { node: 24 });
  servers.push(server);
  return server;
}
const stopServers = () => Promise.all(servers.splice(0).map((server) => server.stop()));
afterAll(() => agent.destroy());

describe('rate limits, memory store', () => {
  let project: PreparedProject;
  beforeAll(async () => {
    project = await prepareProject({ transport: 'http', auth: 'api-key', rateLimit: 'memory' });
    await project.run('npm', ['run', 'build'], { node: 24 });
  });
  afterAll(async () => {
    await stopServers();
    await project?.remove();
  });

  test('300 concurrent calls against a limit of 100: exactly 100 run', async () => {
    const server = await boot(project, { RATE_LIMIT_PER_MINUTE: '100' });
    const replies = await concurrently(300, () => callTool(server));
    expect([count(replies, 'ok'), count(replies, 'RATE_LIMITED')]).toEqual([100, 200]);
    const waits = replies.flatMap((r) => (r.outcome === 'RATE_LIMITED' ? [r.envelope?.retryAfter] : []));
    expect(waits.every((s) => s !== undefined && s >= 1 && s <= 60)).toBe(true);
  });

  test('a run over its budget gets BUDGET_EXHAUSTED with the time its oldest call leaves the window', async () => {
    const server = await boot(project, { CALL_BUDGET: '5', CALL_BUDGET_WINDOW_SECONDS: '600' });
    const started = Date.now();
    const run = { 'x-run-id': 'run-a' };
    const spent = await concurrently(5, () => callTool(server, run));
    expect(count(spent, 'ok')).toBe(5);
    const refused = await callTool(server, run);
    const elapsed = Math.ceil((Date.now() - started) / 1000);
    expect(refused.outcome).toBe('BUDGET_EXHAUSTED');
    expect(refused.envelope?.retryAfter).toBeGreaterThanOrEqual(600 - elapsed);
    expect(refused.envelope?.retryAfter).toBeLessThanOrEqual(600);
    expect(refused.envelope?.message).toContain('Run run-a has used its budget of 5 calls');
    expect((await callTool(server, { 'x-run-id': 'run-b' })).outcome).toBe('ok');
  });

  test('the HTTP edge answers a flood with 429, Retry-After and the envelope', async () => {
    const server = await boot(project, { EDGE_RATE_LIMIT_PER_MINUTE: '5' });
    const replies = await concurrently(8, () => callTool(server));
    expect(count(replies, 'ok')).toBe(5);
    const flooded = replies.filter((r) => r.status === 429);
    expect(flooded).toHaveLength(3);
    for (const r of flooded) {
      expect(r.body).toMatchObject({ error: 'RATE_LIMITED', retryable: true });
      expect(Number(r.headers['retry-after'])).toBe(r.body.retryAfter);
      expect(typeof r.body.requestId).toBe('string');
    }
  });

  test('50 wrong API keys from one address: refused (403) up to the edge limit, then 429 before authentication', async () => {
    const server = await boot(project, { EDGE_RATE_LIMIT_PER_MINUTE: '10' });
    const statuses: number[] = [];
    for (let i = 0; i < 50; i++) {
      statuses.push((await callTool(server, { authorization: `Bearer mcp_wrong${i}` })).status);
    }
    // A wrong API key is a 403 without a challenge (OAuth-aware clients start discovery on any 401).
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(403));
    expect(statuses.slice(10)).toEqual(Array(40).fill(429));
    // One log line per rejected key up to the limit, then one sampled line for the lock-out.
    expect(server.output().match(/"msg":"auth rejected"/g)).toHaveLength(10);
    expect(server.output().match(/refused before authentication/g)).toHaveLength(1);
  });

  test('JSON-RPC batches: refused under 2025-06-18, and every message counted under 2025-03-26', async () => {
    const server = await boot(project, { EDGE_RATE_LIMIT_PER_MINUTE: '5' });
    const batch = (n: number, version: string) =>
      fetch(new URL('/mcp', server.url), {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'mcp-protocol-version': version,
          authorization: `Bearer ${KEY}`,
        },
        body: JSON.stringify(
          Array.from({ length: n }, (_, id) => ({ jsonrpc: '2.0', id, method: 'tools/list', params: {} })),
        ),
      });
    const refused = await batch(100, '2025-06-18');
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ id: null, error: { code: -32600 } });
    // A limit of 5 per minute: the refused request counted 1, two batches of 2 use up the other 4, and
    // 100 calls in one request do not run.
    expect((await batch(2, '2025-03-26')).status).toBe(200);
    expect((await batch(2, '2025-03-26')).status).toBe(200);
    expect((await batch(100, '2025-03-26')).status).toBe(429);
  });
});

describe('rate limits, Redis store', () => {
  let project: PreparedProject;
  let redis: RedisServer;
  beforeAll(async () => {
    project = await prepareProject({ transport: 'http', auth: 'api-key', rateLimit: 'redis' });
    await project.run('npm', ['run', 'build'], { node: 24 });
    redis = await startRedis();
  });
  afterAll(async () => {
    await stopServers();
    await redis?.stop();
    await project?.remove();
  });

  test("the project's own typecheck, lint and tests pass (its tests start their own redis-server)", async () => {
    await project.run('npm', ['run', 'typecheck']);
    await project.run('npm', ['run', 'lint']);
    const tests = await project.run('npm', ['test']);
    expect(tests.all).toMatch(/rate-limit-redis/);
  });

  test('two replicas, both cores saturated, REDIS_TIMEOUT_MS=25: exactly 100 of 300 three rounds running; Redis stopped: each replica its share; restarted: exact within 5 s', async () => {
    const env = {
      REDIS_URL: redis.url,
      RATE_LIMIT_PER_MINUTE: '100',
      REDIS_KEY_PREFIX: 'e2e:exact:',
      // Far below what a reply takes on a saturated machine: slow replies must be waited for, not allowed.
      REDIS_TIMEOUT_MS: '25',
      REPLICAS_HINT: '2',
    };
    const [a, b] = [await boot(project, env), await boot(project, env)];
    const as = (caller: Caller) => ({ authorization: `Bearer ${caller.key}` });
    const burst = (caller: Caller) => concurrently(300, (i) => callTool(i % 2 === 0 ? a : b, as(caller)));
    const load = saturateCores(60_000);
    try {
      for (const caller of [BOB, CAROL, DAVE]) {
        const replies = await burst(caller);
        expect([count(replies, 'ok'), count(replies, 'RATE_LIMITED')], caller.name).toEqual([100, 200]);
      }

      await redis.stop();
      const perReplica = await Promise.all(
        [a, b].map((server) => concurrently(150, () => callTool(server, as(ERIN)))),
      );
      expect(perReplica.map((replies) => count(replies, 'ok'))).toEqual([50, 50]);
      for (const server of [a, b]) {
        expect(await readiness(server)).toMatchObject({ status: 200, body: { status: 'degraded' } });
      }

      await redis.restart();
      const restarted = Date.now();
      await vi.waitFor(
        async () => {
          for (const server of [a, b]) {
            expect(await readiness(server)).toMatchObject({ body: { status: 'ready' } });
          }
        },
        { timeout: 5_000, interval: 100 },
      );
      const replies = await burst(FRANK);
      const recoveredMs = Date.now() - restarted;
      expect([count(replies, 'ok'), count(replies, 'RATE_LIMITED')]).toEqual([100, 200]);
      console.log(`limits exact again ${recoveredMs} ms after Redis restarted (cores saturated)`);
    } finally {
      await load.stop();
    }
  });

  test('a run budget holds across both processes', async () => {
    const env = { REDIS_URL: redis.url, CALL_BUDGET: '4', REDIS_KEY_PREFIX: 'e2e:budget:' };
    const [a, b] = [await boot(project, env), await boot(project, env)];
    const run = { 'x-run-id': 'shared-run' };
    const spent = await concurrently(4, (i) => callTool(i % 2 === 0 ? a : b, run));
    expect(count(spent, 'ok')).toBe(4);
    expect((await callTool(a, run)).outcome).toBe('BUDGET_EXHAUSTED');
    expect((await callTool(b, run)).outcome).toBe('BUDGET_EXHAUSTED');
  });

  test('Redis killed mid-run: servers stay up, follow their policy, report it, and recover', async () => {
    const env = { REDIS_URL: redis.url, RATE_LIMIT_PER_MINUTE: '2', REDIS_KEY_PREFIX: 'e2e:outage:' };
    const open = await boot(project, { ...env, REDIS_FAILURE_POLICY: 'fail-open' });
    const closed = await boot(project, { ...env, REDIS_FAILURE_POLICY: 'fail-closed' });
    const before = [await callTool(open), await callTool(closed), await callTool(open)];
    expect(before.map((r) => r.outcome)).toEqual(['ok', 'ok', 'RATE_LIMITED']);

    // Traffic keeps flowing while Redis dies: no call may fail for any other reason, hang, or crash the server.
    let flowing = true;
    const crossing: Reply[] = [];
    const traffic = (async () => {
      while (flowing) crossing.push(await callTool(open));
    })();
    await sleep(200);
    await redis.kill();
    await sleep(300);
    flowing = false;
    await traffic;
    expect(crossing.every((r) => r.outcome === 'ok' || r.outcome === 'RATE_LIMITED')).toBe(true);
    expect(crossing[0]?.outcome).toBe('RATE_LIMITED');

    // fail-open is not unlimited: the replica enforces its share (REPLICAS_HINT=1: the whole limit) in memory.
    const openDuring = await concurrently(3, () => callTool(open));
    expect(count(crossing, 'ok') + count(openDuring, 'ok')).toBe(2);
    const closedDuring = await callTool(closed);
    expect(closedDuring.outcome).toBe('UPSTREAM_UNAVAILABLE');
    expect(closedDuring.envelope?.retryAfter).toBe(5);
    expect(await readiness(open)).toMatchObject({ status: 200, body: { status: 'degraded' } });
    expect((await readiness(closed)).status).toBe(503);
    for (const server of [open, closed]) {
      expect((await fetch(new URL('/healthz', server.url))).status).toBe(200);
    }

    await redis.restart();
    const restarted = Date.now();
    await vi.waitFor(
      async () => {
        expect(await readiness(open)).toMatchObject({ status: 200, body: { status: 'ready' } });
        expect((await readiness(closed)).status).toBe(200);
      },
      { timeout: 10_000, interval: 100 },
    );
    console.log(`limits enforced again ${Date.now() - restarted} ms after Redis restarted`);
    const after = [
      await callTool(open),
      await callTool(closed),
      await callTool(open),
      await callTool(closed),
    ];
    expect(after.map((r) => r.outcome)).toEqual(['ok', 'ok', 'RATE_LIMITED', 'RATE_LIMITED']);
    // One outage line (the readiness log may quote the same words in its sampled `checks` detail).
    expect(open.output().match(/"msg":"Redis is unreachable/g)).toHaveLength(1);
    expect(open.output()).toContain('Redis is reachable again');
    expect([open.process.exitCode, closed.process.exitCode]).toEqual([null, null]);
  });
});
