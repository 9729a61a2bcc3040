import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { TASKS_EXTENSION } from '../../../src/core/tasks.js';
import { type ServerProcess, spawnServer } from '../../helpers/process.js';
import { startRedis, type TestRedis } from './redis-server.js';

const ENTRY = ['--import', 'tsx', 'test/features/rate-limit-redis/task-server.ts'];
const LEASE_MS = 600;

interface Replica {
  process: ServerProcess;
  url: URL;
}

/** One 2026-07-28 JSON-RPC request from a client that declared the tasks extension; its result or error. */
async function rpc(replica: Replica, method: string, params: Record<string, unknown>) {
  const response = await fetch(replica.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': method,
      // What the request names: the tool, or the task (tasks/*).
      'mcp-name': String(params.name ?? params.taskId),
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method,
      params: {
        ...params,
        _meta: {
          'io.modelcontextprotocol/protocolVersion': '2026-07-28',
          'io.modelcontextprotocol/clientCapabilities': { extensions: { [TASKS_EXTENSION]: {} } },
        },
      },
    }),
  });
  const text = await response.text();
  // The reply comes as JSON, or as one SSE `data:` line.
  const json = text.startsWith('{') ? text : (/^data: (.*)$/m.exec(text)?.[1] ?? text);
  return JSON.parse(json) as { result?: Record<string, unknown>; error?: { code: number } };
}

async function startTask(replica: Replica, id: string, ms: number): Promise<string> {
  const answer = await rpc(replica, 'tools/call', { name: 'job_v1', arguments: { id, ms } });
  expect(answer.result).toMatchObject({ resultType: 'task', status: 'working' });
  return String(answer.result?.taskId);
}

const taskOn = async (replica: Replica, taskId: string) =>
  (await rpc(replica, 'tasks/get', { taskId })).result ?? {};

/**
 * Replicas as separate processes on one real Redis, for what in-process tests cannot show: a replica killed
 * mid-task (SIGKILL: no goodbye), and one stopped by its orchestrator (SIGTERM: drain).
 */
describe('a replica running a task stops (processes on one Redis)', () => {
  let redis: TestRedis;
  const started: ServerProcess[] = [];
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterEach(() => {
    for (const process of started.splice(0)) process.child.kill('SIGKILL');
  });
  afterAll(() => redis?.stop());

  async function start(env: Record<string, string> = {}): Promise<Replica> {
    const process = spawnServer(ENTRY, {
      MCP_TRANSPORT: 'http',
      PORT: '0',
      REDIS_URL: redis.url,
      TASK_LEASE_MS: String(LEASE_MS),
      RATE_LIMIT_PER_MINUTE: '0',
      CALL_BUDGET: '0',
      EDGE_RATE_LIMIT_PER_MINUTE: '0',
      ...env,
    });
    started.push(process);
    const ready = await process.waitForLog('the "ready" line', (line) => line.msg === 'ready');
    return { process, url: new URL(String(ready.url)) };
  }

  it('killed (SIGKILL): the task reads failed, retryable, on the other replica within the lease', async () => {
    const [a, b] = await Promise.all([start(), start()]);
    const taskId = await startTask(a, 'killed', 60_000);
    expect(await taskOn(b, taskId)).toMatchObject({ status: 'working' });
    a.process.child.kill('SIGKILL');
    await a.process.exited;
    const killedAt = performance.now();
    let failed: Record<string, unknown> = {};
    await vi.waitFor(
      async () => {
        failed = await taskOn(b, taskId);
        expect(failed.status).toBe('failed');
      },
      { timeout: 5_000, interval: 25 },
    );
    // The last renewal was at most a third of the lease before the kill.
    expect(performance.now() - killedAt).toBeLessThan(LEASE_MS + 250);
    expect(failed.error).toMatchObject({ code: -32603, data: { error: 'UNAVAILABLE', retryable: true } });
  });

  it('stopped (SIGTERM): a task that finishes within the drain completes; one that does not is stored failed, retryable, before exit', async () => {
    const [a, b] = await Promise.all([start({ DRAIN_TIMEOUT_MS: '400' }), start()]);
    const quick = await startTask(a, 'quick', 200);
    const long = await startTask(a, 'long', 60_000);
    a.process.child.kill('SIGTERM');
    expect(await a.process.exited).toBe(0);
    // Recorded by A on its way out: no lease to wait for.
    expect(await taskOn(b, quick)).toMatchObject({
      status: 'completed',
      result: { content: [{ type: 'text', text: 'job quick done' }] },
    });
    expect(await taskOn(b, long)).toMatchObject({
      status: 'failed',
      error: { code: -32603, data: { error: 'UNAVAILABLE', retryable: true } },
    });
  });
});
