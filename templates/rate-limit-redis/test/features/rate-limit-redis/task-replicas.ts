import { setTimeout as sleep } from 'node:timers/promises';
import type { CallToolResult, ServerContext } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { baseEnv } from '../../../src/config.js';
import { content, text } from '../../../src/core/content.js';
import { requestContext } from '../../../src/core/context.js';
import { AppEventBus } from '../../../src/core/events.js';
import { elicitForm } from '../../../src/core/input-required.js';
import { createLogger } from '../../../src/core/logger.js';
import type { McpRequestInfo, Outcome } from '../../../src/core/operation.js';
import { Pipeline } from '../../../src/core/pipeline.js';
import type { Principal } from '../../../src/core/principal.js';
import { RequestStateSealer } from '../../../src/core/request-state.js';
import { TASKS_EXTENSION, Tasks } from '../../../src/core/tasks.js';
import { defineTool, type ToolDefinition } from '../../../src/core/tool.js';
import { type ToolSpec, toolSpec } from '../../../src/core/tool-operation.js';
import { createRedisClient } from '../../../src/features/rate-limit-redis/redis-client.js';
import { RedisTaskStore } from '../../../src/features/rate-limit-redis/task-store.js';
import { captureLogs } from '../../helpers/logs.js';

/** What each replica's handlers saw, so a test can tell which process a cancel reached. */
export const aborted = new Map<string, unknown>();

/** Works for `ms`, reporting progress, until its signal aborts; `id` names the run in `aborted`. */
export const jobV1 = defineTool({
  name: 'job',
  version: 1,
  title: 'A long job',
  description: 'Works for `ms` milliseconds, reporting progress, until cancelled',
  input: z.object({ id: z.string(), ms: z.number() }),
  task: { immediateMs: 0 },
  handler: async ({ id, ms }, ctx) => {
    ctx.signal.addEventListener('abort', () => aborted.set(id, ctx.signal.reason), { once: true });
    await ctx.progress(1, 2, 'half way');
    await sleep(ms, undefined, { signal: ctx.signal });
    return content([text(`job ${id} done`)]);
  },
});

const Confirm = z.object({ confirm: z.boolean() });
/** Asks inside the task before it acts (a tasks/update through another replica answers). */
export const eraseV1 = defineTool({
  name: 'erase',
  version: 1,
  title: 'Erase',
  description: 'Asks for confirmation inside the task, then erases (nothing)',
  input: z.object({ what: z.string() }),
  task: { immediateMs: 0 },
  handler: async ({ what }, ctx) => {
    const answer = ctx.accepted('confirm', Confirm);
    if (!answer) return ctx.ask({ confirm: elicitForm(`Erase ${what}?`, Confirm) });
    return content([text(answer.confirm ? `erased ${what}` : `kept ${what}`)]);
  },
});

/** Asks without a task (a plain multi-round call): the requestState round trip across replicas. */
export const discardV1 = defineTool({
  name: 'discard',
  version: 1,
  title: 'Discard',
  description: 'Discards the draft `id` after the user confirms',
  input: z.object({ id: z.string() }),
  handler: async ({ id }, ctx) => {
    if (!ctx.accepted('confirm', Confirm)?.confirm)
      return ctx.ask({ confirm: elicitForm(`Discard ${id}?`, Confirm) });
    return content([text(`discarded ${id}`)]);
  },
});

export const ALICE: Principal = { id: 'alice', scopes: [], source: 'api-key' };
export const MALLORY: Principal = { id: 'mallory', scopes: [], source: 'api-key' };
export const SECRET = 'replicas-share-this-secret-'.padEnd(44, 'z');

/** A 2026-07-28 request that declared the tasks extension, with the round's requestState and answers. */
export function request(round: { requestState?: string; inputResponses?: unknown } = {}): McpRequestInfo {
  const sdk = {
    mcpReq: { requestState: () => round.requestState, inputResponses: round.inputResponses },
  } as unknown as ServerContext;
  return {
    signal: new AbortController().signal,
    meta: { 'io.modelcontextprotocol/clientCapabilities': { extensions: { [TASKS_EXTENSION]: {} } } },
    sdk,
  };
}

export type Replica = Awaited<ReturnType<typeof replica>>;

/**
 * One replica as the composition root wires it, minus HTTP: its own pipeline, requestState sealer (the shared
 * secret), Redis connection and Tasks. Nothing is shared with another replica but Redis and the secret.
 */
export async function replica(
  redisUrl: string,
  env: Record<string, string> = {},
  options: { now?: () => number } = {},
) {
  const config = baseEnv.parse({ TASK_LEASE_MS: '600', ...env });
  const logs = captureLogs();
  const logger = createLogger({ name: 'replica', level: 'debug', destination: logs.stream });
  const states = new RequestStateSealer({ secret: SECRET, ...(options.now && { now: options.now }) });
  const pipeline = new Pipeline({ config, logger, events: new AppEventBus(), middleware: [], states });
  const specs = new Map<string, ToolSpec>(
    [jobV1, eraseV1, discardV1].map((tool) => {
      const spec = toolSpec(tool as ToolDefinition, config, logger);
      return [spec.name, spec];
    }),
  );
  const client = createRedisClient(redisUrl);
  // The feature's limits store listens in production; without a listener a lost connection crashes the test.
  client.on('error', (err: unknown) => logger.debug({ err }, 'redis client error'));
  await client.connect();
  const store = await RedisTaskStore.connect(client, 'test:tasks:', logger);
  const tasks = new Tasks(store, pipeline, (name) => specs.get(name));
  const as = <T>(principal: Principal, work: () => Promise<T>) =>
    requestContext.run({ requestId: 'r', correlationId: 'c', principal }, work);
  const spec = (tool: ToolDefinition) => specs.get(`${tool.name}_v${tool.version}`) as ToolSpec;
  return {
    tasks,
    pipeline,
    logs: logs.lines,
    /** A tools/call as `principal`: the task it became (its id), or the outcome when it answered at once. */
    call: (tool: ToolDefinition, args: Record<string, unknown>, principal = ALICE, info = request()) =>
      as(principal, () => tasks.call(spec(tool), args, info)),
    /** A plain (non-task) call through the pipeline, as the tools/call handler runs it. */
    run: (
      tool: ToolDefinition,
      args: Record<string, unknown>,
      principal = ALICE,
      info = request(),
    ): Promise<Outcome<CallToolResult>> => as(principal, () => pipeline.run(spec(tool), args, info)),
    get: (taskId: string, principal = ALICE) =>
      as(principal, () => tasks.get(taskId, request())) as Promise<Record<string, unknown>>,
    update: (taskId: string, responses: Record<string, unknown>, principal = ALICE) =>
      as(principal, () => tasks.update(taskId, responses as never, request())),
    cancel: (taskId: string, principal = ALICE) => as(principal, () => tasks.cancel(taskId, request())),
    async stop() {
      await store.close();
      await client.close();
    },
  };
}
