import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startRedis, type TestRedis } from './redis-server.js';
import {
  ALICE,
  aborted,
  discardV1,
  eraseV1,
  jobV1,
  MALLORY,
  type Replica,
  replica,
  request,
} from './task-replicas.js';

const taskIdOf = (answer: unknown) => {
  expect(answer).toHaveProperty('task.taskId');
  return (answer as { task: { taskId: string } }).task.taskId;
};

/** Polls one replica's tasks/get until the task reaches `status` (a client polls like this). */
async function until(on: Replica, taskId: string, status: string) {
  let task: Record<string, unknown> = {};
  await vi.waitFor(
    async () => {
      task = await on.get(taskId);
      expect(task.status).toBe(status);
    },
    { timeout: 5_000, interval: 25 },
  );
  return task;
}

const accept = { confirm: { action: 'accept', content: { confirm: true } } };

/** Flips one character of a sealed requestState's body (`v1.<body>.<mac>`). */
function flipOneByte(state: string): string {
  const [version, body = '', mac] = state.split('.');
  return [version, `${body[0] === 'A' ? 'B' : 'A'}${body.slice(1)}`, mac].join('.');
}

/**
 * Two replicas on one real Redis, sharing nothing else: a load balancer sends a client's calls to either, so a
 * task created through one must be readable, answerable and cancellable through the other, by its owner only.
 */
describe('tasks across replicas (Redis)', () => {
  let redis: TestRedis;
  let a: Replica;
  let b: Replica;
  beforeAll(async () => {
    redis = await startRedis();
    [a, b] = await Promise.all([replica(redis.url), replica(redis.url)]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await redis?.stop();
  });

  it('a task created through A is read through B, with its progress, and cancelled through B', async () => {
    const taskId = taskIdOf(await a.call(jobV1, { id: 'cancel-me', ms: 10_000 }));
    expect(await b.get(taskId)).toMatchObject({ taskId, status: 'working' });
    await vi.waitFor(async () => expect((await b.get(taskId)).statusMessage).toBe('half way'), {
      interval: 10,
    });
    const cancelledAt = performance.now();
    expect(await b.cancel(taskId)).toEqual({});
    // The cancel reaches the handler running on A (published), well before A's next lease renewal.
    await vi.waitFor(() => expect(aborted.has('cancel-me')).toBe(true), { timeout: 1_000, interval: 5 });
    expect(performance.now() - cancelledAt).toBeLessThan(200);
    expect(await a.get(taskId)).toMatchObject({ status: 'cancelled' });
    // A's run ended by the cancel does not overwrite it.
    await sleep(50);
    expect(await b.get(taskId)).toMatchObject({ status: 'cancelled' });
  });

  it('a question asked in a task on A is answered through B; the result is read on A', async () => {
    const taskId = taskIdOf(await a.call(eraseV1, { what: 'the draft' }));
    const waiting = await until(b, taskId, 'input_required');
    expect(Object.keys(waiting.inputRequests as object)).toEqual(['confirm']);
    expect(await b.update(taskId, accept)).toEqual({});
    const done = await until(a, taskId, 'completed');
    expect(done.result).toMatchObject({ content: [{ type: 'text', text: 'erased the draft' }] });
  });

  it('is its owner alone on every replica: another principal gets the unknown-task error for each method', async () => {
    const taskId = taskIdOf(await a.call(jobV1, { id: 'owned', ms: 10_000 }));
    const refusals = await Promise.all([
      b.get(taskId, MALLORY).catch((e: unknown) => e),
      b.update(taskId, accept, MALLORY).catch((e: unknown) => e),
      b.cancel(taskId, MALLORY).catch((e: unknown) => e),
      a.cancel(taskId, MALLORY).catch((e: unknown) => e),
    ]);
    for (const refusal of refusals)
      expect(refusal).toMatchObject({ code: -32602, message: expect.stringContaining('Unknown taskId') });
    expect(aborted.has('owned')).toBe(false);
    expect(await b.get(taskId, ALICE)).toMatchObject({ status: 'working' });
    await b.cancel(taskId);
  });

  it('keeps a result until the TTL after its last change, on every replica, then forgets it', async () => {
    const short = await replica(redis.url, { TASK_TTL_MS: '1500' });
    try {
      const taskId = taskIdOf(await short.call(jobV1, { id: 'ttl', ms: 100 }));
      const done = await until(b, taskId, 'completed');
      expect(done).toMatchObject({ ttlMs: 1500, result: { content: [{ text: 'job ttl done' }] } });
      await sleep(1_700);
      await expect(b.get(taskId)).rejects.toMatchObject({ code: -32602 });
    } finally {
      await short.stop();
    }
  });

  it('a working task whose lease lapsed (its replica stopped renewing) reads failed, retryable, on B', async () => {
    const doomed = await replica(redis.url, { TASK_LEASE_MS: '300' });
    const taskId = taskIdOf(await doomed.call(jobV1, { id: 'orphan', ms: 10_000 }));
    // The replica loses Redis for good (its connection closes): it can neither renew nor record anything.
    await doomed.stop();
    const failed = await until(b, taskId, 'failed');
    expect(failed.error).toMatchObject({
      code: -32603,
      data: { error: 'UNAVAILABLE', retryable: true },
    });
    expect(b.logs).toContainEqual(
      expect.objectContaining({ msg: expect.stringContaining('task lease lapsed'), taskId }),
    );
  });
});

describe('requestState across replicas', () => {
  let redis: TestRedis;
  let a: Replica;
  let b: Replica;
  let bLater: Replica;
  beforeAll(async () => {
    redis = await startRedis();
    [a, b, bLater] = await Promise.all([
      replica(redis.url),
      replica(redis.url),
      // B's clock eleven minutes on: past the ten minutes a state lives.
      replica(redis.url, {}, { now: () => Date.now() + 11 * 60_000 }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop(), bLater?.stop()]);
    await redis?.stop();
  });

  const stateOf = (outcome: Awaited<ReturnType<Replica['run']>>) => {
    expect(outcome).toMatchObject({ ok: true, result: { resultType: 'input_required' } });
    return (outcome as unknown as { result: { requestState: string } }).result.requestState;
  };

  it('minted by A is accepted by B; refused for another principal, after expiry, or with one byte changed', async () => {
    const minted = stateOf(await a.run(discardV1, { id: 'd1' }));
    const answered = await b.run(
      discardV1,
      { id: 'd1' },
      ALICE,
      request({ requestState: minted, inputResponses: accept }),
    );
    expect(answered).toMatchObject({ ok: true, result: { content: [{ text: 'discarded d1' }] } });

    const attempts = [
      b.run(discardV1, { id: 'd1' }, MALLORY, request({ requestState: minted, inputResponses: accept })),
      bLater.run(discardV1, { id: 'd1' }, ALICE, request({ requestState: minted, inputResponses: accept })),
      b.run(
        discardV1,
        { id: 'd1' },
        ALICE,
        request({ requestState: flipOneByte(minted), inputResponses: accept }),
      ),
    ];
    for (const refused of await Promise.all(attempts)) {
      expect(refused).toMatchObject({ ok: false, cause: { code: -32602 } });
    }
    const reasons = [...b.logs, ...bLater.logs]
      .filter((line) => line.msg === 'requestState refused')
      .map((line) => line.reason);
    expect(reasons.sort()).toEqual(['binding', 'expired', 'mac']);
  });
});
