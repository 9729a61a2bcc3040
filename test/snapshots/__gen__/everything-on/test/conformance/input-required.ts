import type { InputRequests } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { content, text } from '../../src/core/content.js';
import { elicitForm, listRoots, sample } from '../../src/core/input-required.js';
import type { HandlerContext } from '../../src/core/operation.js';
import { definePrompt } from '../../src/core/prompt.js';
import { defineTool } from '../../src/core/tool.js';

/**
 * The suite's multi-round-trip fixtures (SEP-2322, 2026-07-28), written with the handler API every tool has
 * (`ctx.ask`, `ctx.input`, `ctx.accepted`, `ctx.state`; src/core/input-required.ts): a tool or prompt answers
 * `input_required` until the retried request carries the answers it asked for. The requestState is the
 * product's own (sealed, bound to caller, item and arguments). Ported from the SDK's conformance server
 * (typescript-sdk test/conformance/src/everythingServer.ts).
 */

const none = z.object({});
const Name = z.object({ name: z.string() });
const Color = z.object({ color: z.string() });
const Ok = z.object({ ok: z.boolean() });
const Context = z.object({ context: z.string() });
const askName = (message = 'What is your name?') => elicitForm(message, Name);
const confirm = () => elicitForm('Please confirm', Ok);
const done = (message: string) => content([text(message)]);
const sampled = (ctx: HandlerContext, key: string) => {
  const answer = ctx.input(key);
  if (answer.kind !== 'sampling') return undefined;
  const block = answer.result.content;
  return !Array.isArray(block) && block.type === 'text' ? block.text : JSON.stringify(block);
};
const roots = (ctx: HandlerContext, key: string) => {
  const answer = ctx.input(key);
  return answer.kind === 'roots' ? answer.roots : undefined;
};

const fixture = (
  name: string,
  description: string,
  handler: Parameters<typeof defineTool<typeof none>>[0]['handler'],
) => defineTool({ name, version: 1, publishedAs: name, title: name, description, input: none, handler });

export const inputRequiredTools = [
  fixture('test_missing_capability', 'Requires the sampling client capability', async (_args, ctx) =>
    sampled(ctx, 'llm_answer') === undefined
      ? ctx.ask({ llm_answer: sample('Reply with the single word: pong', 16) })
      : done('sampling round-trip complete'),
  ),
  fixture('test_input_required_result_elicitation', 'Asks for the caller name', async (_args, ctx) => {
    const name = ctx.accepted('user_name', Name)?.name;
    return name !== undefined ? done(`Hello, ${name}!`) : ctx.ask({ user_name: askName() });
  }),
  fixture('test_input_required_result_sampling', 'Asks for an LLM completion', async (_args, ctx) => {
    const answer = sampled(ctx, 'capital_question');
    return answer === undefined
      ? ctx.ask({ capital_question: sample('What is the capital of France?', 100) })
      : done(`Sampling response: ${answer}`);
  }),
  fixture('test_input_required_result_list_roots', 'Asks for the client roots', async (_args, ctx) => {
    const listed = roots(ctx, 'client_roots');
    return listed !== undefined
      ? done(`Client exposed ${listed.length} root(s): ${listed.map((root) => root.uri).join(', ')}`)
      : ctx.ask({ client_roots: listRoots() });
  }),
  fixture(
    'test_input_required_result_request_state',
    'Round-trips sealed requestState',
    async (_args, ctx) =>
      // An answer counts only under a verified state naming it, so reaching here proves the state held.
      ctx.accepted('confirm', Ok) === undefined
        ? ctx.ask({ confirm: confirm() }, { tool: 'request_state' })
        : done('state-ok: requestState verified and confirmation received'),
  ),
  fixture(
    'test_input_required_result_multiple_inputs',
    'Asks for three kinds of input at once',
    async (_args, ctx) => {
      const name = ctx.accepted('user_name', Name)?.name;
      const greeting = sampled(ctx, 'greeting');
      const visible = roots(ctx, 'client_roots');
      if (name !== undefined && greeting !== undefined && visible !== undefined) {
        return done(`${greeting} ${name} — ${visible.length} root(s) visible`);
      }
      const inputs = {
        user_name: askName(),
        greeting: sample('Generate a greeting', 50),
        client_roots: listRoots(),
      };
      return ctx.ask(inputs, { tool: 'multiple_inputs' });
    },
  ),
  fixture(
    'test_input_required_result_multi_round',
    'Two rounds with evolving requestState',
    async (_args, ctx) => {
      const state = ctx.state<{ round: number; name?: string }>();
      const round = state?.round ?? 0;
      if (round === 0) return ctx.ask({ step1: askName('Step 1: What is your name?') }, { round: 1 });
      if (round === 1) {
        const name = ctx.accepted('step1', Name)?.name ?? 'unknown';
        const step2 = elicitForm('Step 2: What is your favorite color?', Color);
        return ctx.ask({ step2 }, { round: 2, name });
      }
      const color = ctx.accepted('step2', Color)?.color ?? 'unknown';
      return done(`Multi-round complete: ${state?.name ?? 'unknown'} likes ${color}`);
    },
  ),
  fixture('test_input_required_result_tampered_state', 'Rejects tampered requestState', async (_args, ctx) =>
    // A tampered state never reaches the handler: the pipeline answers -32602.
    ctx.accepted('confirm', Ok) !== undefined
      ? done('integrity-ok: requestState verified')
      : ctx.ask({ confirm: confirm() }, { tool: 'tampered_state' }),
  ),
  fixture(
    'test_input_required_result_capabilities',
    'Asks only for declared capabilities',
    async (_args, ctx) => {
      if (ctx.state() !== undefined) return done('Capability-aware input requests fulfilled');
      const inputs: InputRequests = {};
      if (ctx.clientCan('elicitation')) inputs.user_name = askName();
      if (ctx.clientCan('sampling')) inputs.greeting = sample('Generate a short greeting', 50);
      if (ctx.clientCan('roots')) inputs.client_roots = listRoots();
      return Object.keys(inputs).length === 0
        ? done('No declared client capability supports an in-band input request')
        : ctx.ask(inputs, { tool: 'capabilities' });
    },
  ),
];

export const inputRequiredPrompts = [
  definePrompt({
    name: 'test_input_required_result_prompt',
    version: 1,
    publishedAs: 'test_input_required_result_prompt',
    title: 'MRTR Prompt',
    description: 'Requires elicitation input before rendering',
    async handler(_args, ctx) {
      const context = ctx.accepted('user_context', Context)?.context;
      if (context === undefined) {
        return ctx.ask({ user_context: elicitForm('What context should the prompt use?', Context) });
      }
      return [{ role: 'user', content: { type: 'text', text: `Use the following context: ${context}` } }];
    },
  }),
];
