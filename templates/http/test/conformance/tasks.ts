import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { content, text } from '../../src/core/content.js';
import { ToolError } from '../../src/core/errors.js';
import { elicitForm } from '../../src/core/input-required.js';
import { defineTool, type ToolDefinition } from '../../src/core/tool.js';

/**
 * The suite's tasks fixtures (SEP-2663, `tasks-*` scenarios), written with the API every tool has: `task`
 * on the definition, `ctx.signal` for cancellation, `ctx.ask` for input inside a task. Names and behaviour are
 * the ones the scenarios hard-code (conformance src/scenarios/server/tasks/*.ts).
 */

const none = z.object({});
const Name = z.object({ name: z.string() });
const Confirm = z.object({ confirm: z.boolean() });
const done = (message: string) => content([text(message)]);

const fixture = <I extends z.ZodObject>(
  name: string,
  input: I,
  rest: Pick<ToolDefinition<I>, 'description' | 'task' | 'handler'>,
) => defineTool({ name, version: 1, publishedAs: name, title: name, input, ...rest });

export const taskTools = [
  fixture('greet', Name, {
    description: 'Sync-only: says hello',
    handler: async ({ name }) => done(`Hello, ${name}!`),
  }),
  fixture('slow_compute', z.object({ seconds: z.number().min(0).max(120), label: z.string().optional() }), {
    description: 'Task-capable: sleeps `seconds`, reporting progress; cancelled when asked',
    task: {},
    handler: async ({ seconds, label }, ctx) => {
      for (let second = 0; second < seconds; second++) {
        await ctx.progress(second, seconds, `second ${second} of ${seconds}`);
        // Rejects with the abort reason when the task is cancelled: the run ends at once.
        await sleep(1_000, undefined, { signal: ctx.signal });
      }
      return done(`computed ${label ?? 'result'} after ${seconds}s`);
    },
  }),
  fixture('failing_job', none, {
    description: 'Task-required: fails with a tool error after about a second',
    task: { required: true },
    handler: async (_args, ctx) => {
      await sleep(1_000, undefined, { signal: ctx.signal });
      throw new ToolError('UPSTREAM_UNAVAILABLE', 'The job failed upstream.', { retryable: false });
    },
  }),
  fixture('protocol_error_job', none, {
    description: 'Task-capable: crashes (a protocol-level failure)',
    task: {},
    handler: async (_args, ctx) => {
      await sleep(500, undefined, { signal: ctx.signal });
      throw new Error('protocol_error_job crashed on purpose');
    },
  }),
  fixture('confirm_delete', z.object({ filename: z.string() }), {
    description: 'Task-capable: asks for confirmation inside the task, then deletes (nothing)',
    task: { immediateMs: 0 },
    handler: async ({ filename }, ctx) => {
      const answer = ctx.accepted('confirm', Confirm);
      if (!answer) return ctx.ask({ confirm: elicitForm(`Delete ${filename}?`, Confirm) });
      return done(answer.confirm ? `deleted ${filename}` : `kept ${filename}`);
    },
  }),
  fixture('multi_input', none, {
    description: 'Task-capable: asks two questions at once',
    task: { immediateMs: 0 },
    handler: async (_args, ctx) => {
      const first = ctx.input('first');
      const second = ctx.input('second');
      if (first.kind === 'missing' || second.kind === 'missing') {
        return ctx.ask({
          first: elicitForm('First name?', Name),
          second: elicitForm('Second name?', Name),
        });
      }
      return done('both answered');
    },
  }),
  fixture('test_tool_with_task', none, {
    description: 'Task-required: asks for a name in the call (input-required), then works on it as a task',
    task: { required: true },
    handler: async (_args, ctx) => {
      const name = ctx.accepted('user_name', Name)?.name;
      if (name === undefined) return ctx.ask({ user_name: elicitForm('What is your name?', Name) });
      await sleep(1_000, undefined, { signal: ctx.signal });
      return done(`Hello, ${name}! Your task is done.`);
    },
  }),
];
