import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startRedis, type TestRedis } from './redis-server.js';
import { jobV1, type Replica, replica } from './task-replicas.js';

const ERROR = 'error';
const INFO = 'info';

/** The envelope every task-store failure carries: retryable, with no word of Redis's own error. */
const UNAVAILABLE = {
  error: 'UPSTREAM_UNAVAILABLE',
  message: 'Tasks cannot be read or stored right now (the task store is unreachable).',
  retryable: true,
  retryAfter: 5,
  requestId: 'r',
  correlationId: 'c',
};

const taskIdOf = (answer: unknown) => {
  expect(answer).toHaveProperty('task.taskId');
  return (answer as { task: { taskId: string } }).task.taskId;
};

/**
 * Tasks live in Redis: while it is down, tasks/* and task-creating calls must answer like any other
 * dependency failure (the envelope, retryable), never with the driver's raw error, and work again after.
 */
describe('tasks while Redis is down', () => {
  let redis: TestRedis;
  let a: Replica | undefined;
  beforeEach(async () => {
    redis = await startRedis();
  });
  afterEach(async () => {
    await a?.stop();
    await redis.stop();
  });

  it('tasks/* fail with UPSTREAM_UNAVAILABLE as a JSON-RPC error, a call with a failed result; logged once; recovers', async () => {
    const replicaA = await replica(redis.url);
    a = replicaA;
    // Finished before the outage: no run of this replica is left to renew a lease or record an outcome.
    const known = taskIdOf(await replicaA.call(jobV1, { id: 'before', ms: 10 }));
    await vi.waitFor(async () => expect(await replicaA.get(known)).toMatchObject({ status: 'completed' }));
    await redis.kill();

    const refusals = await Promise.all([
      replicaA.get(known).catch((error: unknown) => error),
      replicaA.update(known, {}).catch((error: unknown) => error),
      replicaA.cancel(known).catch((error: unknown) => error),
    ]);
    for (const refusal of refusals) {
      // What the SDK sends the client: code -32000, the sentence an agent reads, the envelope in `data`.
      expect(refusal).toMatchObject({
        code: -32000,
        message: expect.stringContaining('UPSTREAM_UNAVAILABLE: Tasks cannot be read or stored right now'),
        data: UNAVAILABLE,
      });
      expect(JSON.stringify(refusal)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|closed|Redis/);
    }

    // A task-creating call: not a task (nothing durable), a failed tool result carrying the same envelope.
    const created = await replicaA.call(jobV1, { id: 'during', ms: 10_000 });
    expect(created).toEqual({
      outcome: { ok: false, error: UNAVAILABLE, cause: expect.any(Error) },
    });

    const outageLogs = replicaA.logs.filter((line) => line.level === ERROR);
    expect(outageLogs.map((line) => line.msg)).toEqual([expect.stringContaining('task store unreachable')]);

    await redis.restart();
    // Redis restarts empty (nothing persisted): the old task is gone, an unknown task as any other.
    const fresh = await vi.waitFor(
      async () => taskIdOf(await replicaA.call(jobV1, { id: 'after', ms: 10_000 })),
      { timeout: 5_000, interval: 100 },
    );
    expect(await replicaA.get(fresh)).toMatchObject({ taskId: fresh, status: 'working' });
    await expect(replicaA.get(known)).rejects.toMatchObject({ code: -32602 });
    expect(await replicaA.cancel(fresh)).toEqual({});
    const recovered = replicaA.logs.filter((line) => line.level === INFO).at(-1);
    expect(recovered?.msg).toBe('task store reachable again');
    // The four above, and any call of the wait that came before the client reconnected.
    expect(recovered?.affectedCalls).toBeGreaterThanOrEqual(4);
  });
});
