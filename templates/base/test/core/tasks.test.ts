import { setTimeout as sleep } from 'node:timers/promises';
import { ProtocolError } from '@modelcontextprotocol/server';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { baseEnv } from '../../src/config.js';
import { content, text } from '../../src/core/content.js';
import { requestContext } from '../../src/core/context.js';
import { AppEventBus } from '../../src/core/events.js';
import { elicitForm } from '../../src/core/input-required.js';
import { createLogger } from '../../src/core/logger.js';
import type { McpRequestInfo } from '../../src/core/operation.js';
import { Pipeline } from '../../src/core/pipeline.js';
import type { Principal } from '../../src/core/principal.js';
import { MemoryTaskStore, type TaskRecord } from '../../src/core/task-store.js';
import { TASKS_EXTENSION, Tasks } from '../../src/core/tasks.js';
import { defineTool, type ToolDefinition } from '../../src/core/tool.js';
import { toolSpec } from '../../src/core/tool-operation.js';
import { captureLogs } from '../helpers/logs.js';

/** What the handlers saw, so a test can tell that cancellation reached the AbortSignal. */
const seen: { abortedBy?: unknown } = {};

const job = defineTool({
  name: 'job',
  version: 1,
  title: 'A job',
  description: 'Works for `ms`, reporting progress, until cancelled',
  input: z.object({ ms: z.number() }),
  task: {},
  handler: async ({ ms }, ctx) => {
    ctx.signal.addEventListener('abort', () => {
      seen.abortedBy = ctx.signal.reason;
    });
    await ctx.progress(1, 2, 'half way');
    await sleep(ms, undefined, { signal: ctx.signal });
    return content([text(`worked ${ms} ms`)]);
  },
});

const Confirm = z.object({ confirm: z.boolean() });
const erase = defineTool({
  name: 'erase',
  version: 1,
  title: 'Erase',
  description: 'Asks inside the task before it erases',
  input: z.object({ what: z.string() }),
  task: { required: true, immediateMs: 0 },
  handler: async ({ what }, ctx) => {
    const answer = ctx.accepted('confirm', Confirm);
    if (!answer) return ctx.ask({ confirm: elicitForm(`Erase ${what}?`, Confirm) });
    return content([text(answer.confirm ? `erased ${what}` : `kept ${what}`)]);
  },
});

const ALICE: Principal = { id: 'alice', scopes: [], source: 'api-key' };
const MALLORY: Principal = { id: 'mallory', scopes: [], source: 'api-key' };

/** A client that declared the extension on this request, as 2026-07-28 clients do. */
const speaking = (): McpRequestInfo => ({
  signal: new AbortController().signal,
  meta: { 'io.modelcontextprotocol/clientCapabilities': { extensions: { [TASKS_EXTENSION]: {} } } },
});
const silent = (): McpRequestInfo => ({ signal: new AbortController().signal });

function setup(env: Record<string, string> = {}, store = new MemoryTaskStore()) {
  const config = baseEnv.parse(env);
  const logs = captureLogs();
  const logger = createLogger({ name: 'test', level: 'debug', destination: logs.stream });
  const pipeline = new Pipeline({ config, logger, events: new AppEventBus(), middleware: [] });
  const specs = new Map(
    [job, erase].map((tool) => [tool.name, toolSpec(tool as ToolDefinition, config, logger)]),
  );
  const byName = new Map([...specs.values()].map((spec) => [spec.name, spec]));
  const tasks = new Tasks(store, pipeline, (name) => byName.get(name));
  const as = <T>(principal: Principal, work: () => Promise<T>) =>
    requestContext.run({ requestId: 'r', correlationId: 'c', principal }, work);
  const call = (tool: ToolDefinition, args: Record<string, unknown>, info = speaking()) =>
    as(ALICE, () => tasks.call(specs.get(tool.name) as never, args, info));
  const get = (taskId: string, principal = ALICE) =>
    as(principal, () => tasks.get(taskId, speaking())) as Promise<TaskRecord & Record<string, unknown>>;
  const until = async (taskId: string, status: string) => {
    for (let i = 0; i < 100; i++) {
      const task = await get(taskId);
      if (task.status === status) return task;
      await sleep(20);
    }
    throw new Error(`task ${taskId} never reached ${status}`);
  };
  return { tasks, pipeline, call, get, until, as, logs: logs.lines };
}

const taskIdOf = (answer: unknown) => {
  expect(answer).toHaveProperty('task');
  return (answer as { task: { taskId: string } }).task.taskId;
};

describe('tasks (SEP-2663)', () => {
  it('a call still running after a moment becomes a task; tasks/get shows progress, then the result', async () => {
    const { call, get, until } = setup();
    const answer = await call(job, { ms: 600 });
    const { task } = answer as { task: Record<string, unknown> };
    expect(task).toMatchObject({
      resultType: 'task',
      status: 'working',
      ttlMs: 3_600_000,
      pollIntervalMs: 1_000,
    });
    expect(task).not.toHaveProperty('result');
    const working = await get(task.taskId as string);
    expect(working).toMatchObject({ status: 'working', statusMessage: 'half way' });
    const done = await until(task.taskId as string, 'completed');
    expect(done.result).toMatchObject({ content: [{ type: 'text', text: 'worked 600 ms' }] });
  });

  it('a call that finishes at once answers at once, with no task (the immediate-result shortcut)', async () => {
    const { call } = setup();
    const answer = await call(job, { ms: 0 });
    expect(answer).toMatchObject({ outcome: { ok: true, result: { content: [{ text: 'worked 0 ms' }] } } });
  });

  it('without the extension: an optional task runs as a plain call, a required one is refused with -32021', async () => {
    const { call } = setup();
    expect(await call(job, { ms: 0 }, silent())).toMatchObject({ outcome: { ok: true } });
    const refused = await call(erase, { what: 'x' }, silent()).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ProtocolError);
    expect((refused as ProtocolError).code).toBe(-32021);
  });

  it('a task is its owner alone: another principal gets the unknown-task error on get, update and cancel', async () => {
    const { call, get, as, tasks } = setup();
    const taskId = taskIdOf(await call(job, { ms: 5_000 }));
    const refusals = await Promise.all([
      get(taskId, MALLORY).catch((e: unknown) => e),
      as(MALLORY, () => tasks.update(taskId, {}, speaking())).catch((e: unknown) => e),
      as(MALLORY, () => tasks.cancel(taskId, speaking())).catch((e: unknown) => e),
    ]);
    for (const refusal of refusals)
      expect(refusal).toMatchObject({ code: -32602, message: expect.stringContaining('Unknown taskId') });
    expect((await get(taskId)).status).toBe('working');
    await as(ALICE, () => tasks.cancel(taskId, speaking()));
  });

  it('tasks/cancel reaches the handler through its AbortSignal and the task ends cancelled', async () => {
    const { call, get, as, tasks } = setup();
    seen.abortedBy = undefined;
    const taskId = taskIdOf(await call(job, { ms: 5_000 }));
    expect(await as(ALICE, () => tasks.cancel(taskId, speaking()))).toEqual({});
    await sleep(50);
    expect(seen.abortedBy).toBeDefined();
    expect(await get(taskId)).toMatchObject({ status: 'cancelled' });
    // Cancelling a finished task is acknowledged the same way, and changes nothing.
    expect(await as(ALICE, () => tasks.cancel(taskId, speaking()))).toEqual({});
  });

  it('is held to TASK_TIMEOUT_MS, not the tool deadline; past it the task fails, retryable', async () => {
    const { call, until } = setup({ TOOL_TIMEOUT_MS: '100', TASK_TIMEOUT_MS: '700' });
    const longer = taskIdOf(await call(job, { ms: 400 }));
    expect((await until(longer, 'completed')).result).toMatchObject({ content: [{ text: 'worked 400 ms' }] });
    const tooLong = taskIdOf(await call(job, { ms: 5_000 }));
    const failed = await until(tooLong, 'failed');
    expect(failed.error).toMatchObject({ code: -32603, data: { error: 'TIMEOUT', retryable: true } });
    expect(failed).not.toHaveProperty('result');
  });

  it('asks inside a task: input_required with the question, then tasks/update resumes it with the answer', async () => {
    const { call, until, as, tasks } = setup();
    const taskId = taskIdOf(await call(erase, { what: 'the draft' }));
    const waiting = await until(taskId, 'input_required');
    expect(Object.keys(waiting.inputRequests ?? {})).toEqual(['confirm']);
    expect(waiting).not.toHaveProperty('requestState');
    // An answer to a question nobody asked is ignored; the task keeps waiting.
    await as(ALICE, () =>
      tasks.update(taskId, { other: { action: 'accept', content: {} } } as never, speaking()),
    );
    expect((await until(taskId, 'input_required')).inputRequests).toHaveProperty('confirm');
    const ack = await as(ALICE, () =>
      tasks.update(
        taskId,
        { confirm: { action: 'accept', content: { confirm: true } } } as never,
        speaking(),
      ),
    );
    expect(ack).toEqual({});
    const done = await until(taskId, 'completed');
    expect(done.result).toMatchObject({ content: [{ text: 'erased the draft' }] });
  });

  it('on shutdown, a task still running after the drain timeout fails retryable: never lost silently', async () => {
    const { call, get, pipeline } = setup();
    const taskId = taskIdOf(await call(job, { ms: 5_000 }));
    expect(await pipeline.drain(50)).toBe(1);
    await sleep(20);
    const failed = await get(taskId);
    expect(failed).toMatchObject({
      status: 'failed',
      error: { data: { error: 'UNAVAILABLE', retryable: true } },
    });
  });

  it('a cancel recorded by another process reaches the run at its next lease renewal', async () => {
    // Two processes sharing one store that announces nothing: only the lease renewal can tell the runner.
    const store = new MemoryTaskStore();
    const here = setup({ TASK_LEASE_MS: '300' }, store);
    const there = setup({ TASK_LEASE_MS: '300' }, store);
    seen.abortedBy = undefined;
    const taskId = taskIdOf(await here.call(job, { ms: 5_000 }));
    const cancelledAt = performance.now();
    await there.as(ALICE, () => there.tasks.cancel(taskId, speaking()));
    await vi.waitFor(() => expect(seen.abortedBy).toBeDefined(), { timeout: 1_000, interval: 5 });
    // A renewal every third of the lease: 100 ms here.
    expect(performance.now() - cancelledAt).toBeLessThan(300);
    expect(await here.get(taskId)).toMatchObject({ status: 'cancelled' });
  });

  it('a working task whose lease lapsed reads failed, retryable, once; never working forever', async () => {
    const store = new MemoryTaskStore();
    const { get, logs } = setup({}, store);
    const now = Date.now();
    await store.create({
      taskId: 'orphan',
      owner: ALICE.id,
      tool: 'job_v1',
      args: { ms: 1 },
      status: 'working',
      createdAt: now - 20_000,
      lastUpdatedAt: now - 20_000,
      ttlMs: 3_600_000,
      pollIntervalMs: 1_000,
      leaseUntil: now - 1,
    });
    const failed = await get('orphan');
    expect(failed).toMatchObject({
      status: 'failed',
      error: { code: -32603, data: { error: 'UNAVAILABLE', retryable: true } },
    });
    expect(await get('orphan')).toEqual(failed);
    expect(logs.filter((line) => String(line.msg).startsWith('task lease lapsed'))).toHaveLength(1);
  });

  it('the memory store forgets a task at its TTL after the last change, not before', async () => {
    let now = 1_000;
    const store = new MemoryTaskStore(() => now);
    const task = { taskId: 't', owner: 'a', tool: 'job_v1', args: {}, status: 'working' as const };
    await store.create({ ...task, createdAt: now, lastUpdatedAt: now, ttlMs: 500, pollIntervalMs: 1_000 });
    now += 500;
    expect(await store.get('t')).toBeDefined();
    now += 1;
    expect(await store.get('t')).toBeUndefined();
  });
});
