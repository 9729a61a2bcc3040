import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bareServerScores } from './bare-server.js';
import {
  CONFORMANCE_VERSION,
  describeScore,
  parseProjectRun,
  parseTasks,
  TASK_SCENARIOS,
} from './conformance.js';
import { bootServer, type PreparedProject, prepareProject, type RunningServer } from './harness.js';
import { type FakeRegistry, fakeRegistry } from './registry.js';
import { envelopeOf } from './results.js';

/**
 * Issue 3's promise, on the built artefact: the project generated with `--transport both --auth none
 * --rate-limit none` boots and serves the official SDK client in both protocol eras over HTTP and stdio, answers
 * the unhappy paths with the envelope, passes the official conformance scenarios that apply to any server,
 * and exits 0 on SIGTERM.
 */
type Era = 'legacy' | 'modern';
const clientFor = (era: Era) =>
  new Client(
    { name: 'e2e', version: '1.0.0' },
    { versionNegotiation: { mode: era === 'legacy' ? 'legacy' : { pin: '2026-07-28' } } },
  );

const structured = (result: { structuredContent?: unknown }) =>
  result.structuredContent as Record<string, unknown>;

describe('the generated server, --transport both --auth none --rate-limit none', () => {
  let project: PreparedProject;
  let registry: FakeRegistry;
  let server: RunningServer;
  let mcp: URL;
  const env = () => ({ NPM_REGISTRY_URL: registry.url, EXTERNAL_TOOL_TIMEOUT_MS: '500' });

  beforeAll(async () => {
    project = await prepareProject({ transport: 'both', auth: 'none', rateLimit: 'none' });
    await project.run('npm', ['run', 'build']);
    registry = await fakeRegistry();
    server = await bootServer(project.dir, env());
    mcp = new URL('/mcp', server.url);
  });
  afterAll(async () => {
    await server?.stop();
    registry?.close();
    await project?.remove();
  });

  describe.each(['modern', 'legacy'] as const)('over HTTP with the SDK client (%s era)', (era) => {
    let client: Client;
    beforeAll(async () => {
      client = clientFor(era);
      await client.connect(new StreamableHTTPClientTransport(mcp));
    });
    afterAll(() => client.close());

    test('negotiates the era and lists the example tools, v1 marked deprecated', async () => {
      expect(client.getProtocolEra()).toBe(era);
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name).sort()).toEqual([
        'convert_temperature_v1',
        'convert_temperature_v2',
        'npm_package_v1',
        'npm_report_v1',
      ]);
      const v1 = tools.find((tool) => tool.name === 'convert_temperature_v1');
      expect(v1?._meta).toMatchObject({ deprecated: { replacedBy: 'convert_temperature_v2' } });
    });

    test('calls tools, and answers failures with the envelope', async () => {
      const converted = await client.callTool({
        name: 'convert_temperature_v2',
        arguments: { value: 100, from: 'celsius', to: 'fahrenheit' },
      });
      expect(converted.structuredContent).toEqual({ value: 212, unit: 'fahrenheit' });

      const invalid = await client.callTool({ name: 'convert_temperature_v2', arguments: { value: 'hot' } });
      expect(envelopeOf(invalid)).toMatchObject({ error: 'INVALID_ARGUMENT', retryable: false });

      const found = await client.callTool({ name: 'npm_package_v1', arguments: { name: 'zod' } });
      expect(found.structuredContent).toEqual({ name: 'zod', version: '4.6.7', license: 'MIT' });

      const started = Date.now();
      const slow = await client.callTool({ name: 'npm_package_v1', arguments: { name: 'hangs' } });
      expect(envelopeOf(slow)).toMatchObject({
        error: 'TIMEOUT',
        retryable: true,
        requestId: expect.any(String),
      });
      expect(Date.now() - started).toBeLessThan(3_000);
    });
  });

  test('refuses a foreign Host (DNS rebinding) and an oversized body, with the envelope', async () => {
    const post = (headers: Record<string, string>, body: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request(
          mcp,
          { method: 'POST', headers: { 'content-type': 'application/json', ...headers } },
          (res) => {
            let text = '';
            res.on('data', (chunk) => {
              text += chunk;
            });
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    const rebinding = await post({ host: 'attacker.example' }, '{}');
    expect(rebinding.status).toBe(403);
    expect(JSON.parse(rebinding.body)).toMatchObject({ error: 'FORBIDDEN' });
    const big = await post({}, JSON.stringify({ pad: 'x'.repeat(2_000_000) }));
    expect(big.status).toBe(413);
    expect(JSON.parse(big.body)).toMatchObject({ error: 'PAYLOAD_TOO_LARGE', retryable: false });
  });

  test('an idle-socket flood from one peer is capped, and /healthz keeps answering within 1 s', async () => {
    // Issue 12: ~1,100 idle sockets from one peer used to make /healthz unreachable. The flood comes from
    // 127.0.0.2 (Linux routes all of 127/8 to loopback) so the probe from 127.0.0.1 is another peer.
    const capped = await bootServer(project.dir, { ...env(), MAX_CONNECTIONS_PER_IP: '50' });
    const sockets: Socket[] = [];
    let closedByServer = 0;
    const openOne = () =>
      new Promise<void>((resolve) => {
        const socket = connect({ port: capped.port, host: '127.0.0.1', localAddress: '127.0.0.2' });
        sockets.push(socket);
        socket.on('error', () => {});
        socket.once('close', () => {
          closedByServer += 1;
        });
        socket.once('connect', () => resolve());
        socket.once('close', () => resolve());
      });
    const healthz = new URL('/healthz', capped.url);
    const probe = async () => (await fetch(healthz, { signal: AbortSignal.timeout(1_000) })).status;
    try {
      const probes: number[] = [];
      for (let wave = 0; wave < 6; wave++) {
        const flood = Promise.all(Array.from({ length: 50 }, openOne));
        probes.push(await probe());
        await flood;
      }
      await sleep(200);
      probes.push(await probe());
      expect(probes).toEqual(Array(7).fill(200));
      // 300 sockets against a cap of 50: the server closed the other 250 on arrival.
      expect(closedByServer).toBe(250);
      expect(capped.output()).toMatch(/connections refused/);
    } finally {
      for (const socket of sockets) socket.destroy();
      await capped.stop();
    }
  });

  test('npm run conformance: every scored scenario of the official suite passes, 2026-07-28 and 2025-11-25', async () => {
    const run = await project.run('npm', ['run', 'conformance'], { node: 24 });
    const output = String(run.all ?? '');
    const scores = parseProjectRun(output);
    // The bare SDK server (one tool, nothing of ours) in the same run, for comparison.
    const bare = await bareServerScores(project.dir);
    console.log(
      `conformance ${CONFORMANCE_VERSION}: generated ${scores.map(describeScore).join('; ')} | bare SDK ${bare.map(describeScore).join('; ')}`,
    );
    for (const score of scores) {
      expect(score.total, output).toBeGreaterThanOrEqual(30);
      expect(score.failing, output).toEqual([]);
      expect(score.passed).toBe(score.total);
    }
    expect(output).toContain(
      'every scored scenario passes for 2026-07-28 and 2025-11-25, and every tasks-* scenario',
    );
    // The tasks extension (SEP-2663): every tasks-* scenario the suite runs passes (it leaves them unscored).
    const tasks = parseTasks(output);
    console.log(`tasks extension: ${tasks.passed.length}/${tasks.passed.length + tasks.failing.length}`);
    expect(tasks.failing, output).toEqual([]);
    expect(tasks.passed).toHaveLength(TASK_SCENARIOS);
    expect(bare.map((b) => b.total)).toEqual(scores.map((s) => s.total));
  });

  test.each(['modern', 'legacy'] as const)('serves the SDK client over stdio (%s era)', async (era) => {
    const client = clientFor(era);
    await client.connect(
      new StdioClientTransport({
        command: 'node',
        args: ['dist/main.js', '--stdio'],
        cwd: project.dir,
        env: { PATH: process.env.PATH ?? '', ...env() },
        stderr: 'pipe', // the server's JSON logs; not echoed into the test output
      }),
    );
    expect(client.getProtocolEra()).toBe(era);
    const result = await client.callTool({ name: 'convert_temperature_v1', arguments: { celsius: 37 } });
    expect(structured(result).fahrenheit).toBeCloseTo(98.6);
    await client.close();
  });

  test('exits 0 on SIGTERM', async () => {
    expect(await server.stop()).toBe(0);
  });
});
