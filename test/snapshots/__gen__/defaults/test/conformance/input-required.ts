import { randomUUID } from 'node:crypto';
import {
  acceptedContent,
  CLIENT_CAPABILITIES_META_KEY,
  type ClientCapabilities,
  createRequestStateCodec,
  type InputRequests,
  inputRequired,
  ProtocolError,
  ProtocolErrorCode,
} from '@modelcontextprotocol/server';
import { z } from 'zod';
import { content, rawResult, text } from '../../src/core/content.js';
import type { HandlerContext } from '../../src/core/operation.js';
import { definePrompt } from '../../src/core/prompt.js';
import { defineTool } from '../../src/core/tool.js';

/**
 * The suite's multi-round-trip fixtures (SEP-2322, 2026-07-28): a tool or prompt answers `input_required`
 * until the retried request carries the responses it asked for. This project does not wrap that protocol
 * feature yet, so these reach the SDK's request context (`ctx.sdk`) and return its results as they are
 * (`rawResult`); they still run through the pipeline (log line, limits, deadline). Ported from the SDK's own
 * conformance server (typescript-sdk test/conformance/src/everythingServer.ts).
 */

/** requestState comes back from the client, so it is sealed (HMAC, per-process key) and verified on return. */
export const requestStateCodec = createRequestStateCodec<Record<string, unknown>>({
  key: crypto.getRandomValues(new Uint8Array(32)),
});

const none = z.object({});
const nameSchema = {
  type: 'object' as const,
  properties: { name: { type: 'string' as const } },
  required: ['name'],
};
const askName = (message = 'What is your name?') =>
  inputRequired.elicit({ message, requestedSchema: nameSchema });
const confirm = () =>
  inputRequired.elicit({
    message: 'Please confirm',
    requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] },
  });
const ask = (messages: string, maxTokens: number) =>
  inputRequired.createMessage({
    messages: [{ role: 'user', content: { type: 'text', text: messages } }],
    maxTokens,
  });

const mcp = (ctx: HandlerContext) => {
  if (ctx.sdk === undefined) throw new Error('no SDK request context');
  return ctx.sdk.mcpReq;
};
const mint = (state: Record<string, unknown>) => requestStateCodec.mint({ ...state, nonce: randomUUID() });
const done = (message: string) => content([text(message)]);
const needs = (inputRequests: InputRequests, requestState?: string) =>
  rawResult(inputRequired(requestState === undefined ? { inputRequests } : { inputRequests, requestState }));

const fixture = (
  name: string,
  description: string,
  handler: Parameters<typeof defineTool<typeof none>>[0]['handler'],
) => defineTool({ name, version: 1, publishedAs: name, title: name, description, input: none, handler });

export const inputRequiredTools = [
  fixture('test_missing_capability', 'Requires the sampling client capability', async (_args, ctx) =>
    mcp(ctx).inputResponses?.llm_answer === undefined
      ? needs({ llm_answer: ask('Reply with the single word: pong', 16) })
      : done('sampling round-trip complete'),
  ),
  fixture('test_input_required_result_elicitation', 'Asks for the caller name', async (_args, ctx) => {
    const name = acceptedContent<{ name: string }>(mcp(ctx).inputResponses, 'user_name')?.name;
    return typeof name === 'string' ? done(`Hello, ${name}!`) : needs({ user_name: askName() });
  }),
  fixture('test_input_required_result_sampling', 'Asks for an LLM completion', async (_args, ctx) => {
    const response = mcp(ctx).inputResponses?.capital_question as { content?: { text?: string } } | undefined;
    return response === undefined
      ? needs({ capital_question: ask('What is the capital of France?', 100) })
      : done(`Sampling response: ${response.content?.text ?? JSON.stringify(response)}`);
  }),
  fixture('test_input_required_result_list_roots', 'Asks for the client roots', async (_args, ctx) => {
    const roots = (mcp(ctx).inputResponses?.client_roots as { roots?: { uri?: string }[] } | undefined)
      ?.roots;
    return Array.isArray(roots)
      ? done(`Client exposed ${roots.length} root(s): ${roots.map((root) => root.uri).join(', ')}`)
      : needs({ client_roots: inputRequired.listRoots() });
  }),
  fixture(
    'test_input_required_result_request_state',
    'Round-trips sealed requestState',
    async (_args, ctx) => {
      const req = mcp(ctx);
      if (acceptedContent<{ ok: boolean }>(req.inputResponses, 'confirm') === undefined) {
        return needs({ confirm: confirm() }, await mint({ tool: 'request_state' }));
      }
      if (req.requestState<Record<string, unknown>>() === undefined) {
        throw new ProtocolError(
          ProtocolErrorCode.InvalidParams,
          'Invalid requestState: missing or not verified',
        );
      }
      return done('state-ok: requestState verified and confirmation received');
    },
  ),
  fixture(
    'test_input_required_result_multiple_inputs',
    'Asks for three kinds of input at once',
    async (_args, ctx) => {
      const responses = mcp(ctx).inputResponses;
      const name = acceptedContent<{ name: string }>(responses, 'user_name')?.name;
      const greeting = (responses?.greeting as { content?: { text?: string } } | undefined)?.content?.text;
      const roots = (responses?.client_roots as { roots?: unknown[] } | undefined)?.roots;
      if (typeof name === 'string' && typeof greeting === 'string' && Array.isArray(roots)) {
        return done(`${greeting} ${name} — ${roots.length} root(s) visible`);
      }
      const inputs = {
        user_name: askName(),
        greeting: ask('Generate a greeting', 50),
        client_roots: inputRequired.listRoots(),
      };
      return needs(inputs, await mint({ tool: 'multiple_inputs' }));
    },
  ),
  fixture(
    'test_input_required_result_multi_round',
    'Two rounds with evolving requestState',
    async (_args, ctx) => {
      const req = mcp(ctx);
      const state = req.requestState<Record<string, unknown>>();
      const round = state?.tool === 'multi_round' && typeof state.round === 'number' ? state.round : 0;
      if (round === 0)
        return needs(
          { step1: askName('Step 1: What is your name?') },
          await mint({ tool: 'multi_round', round: 1 }),
        );
      if (round === 1) {
        const name = acceptedContent<{ name: string }>(req.inputResponses, 'step1')?.name ?? 'unknown';
        const step2 = inputRequired.elicit({
          message: 'Step 2: What is your favorite color?',
          requestedSchema: { type: 'object', properties: { color: { type: 'string' } }, required: ['color'] },
        });
        return needs({ step2 }, await mint({ tool: 'multi_round', round: 2, name }));
      }
      const color = acceptedContent<{ color: string }>(req.inputResponses, 'step2')?.color ?? 'unknown';
      return done(`Multi-round complete: ${String(state?.name ?? 'unknown')} likes ${color}`);
    },
  ),
  fixture(
    'test_input_required_result_tampered_state',
    'Rejects tampered requestState',
    async (_args, ctx) => {
      const req = mcp(ctx);
      if (req.requestState() !== undefined && acceptedContent(req.inputResponses, 'confirm') !== undefined) {
        return done('integrity-ok: requestState verified');
      }
      return needs({ confirm: confirm() }, await mint({ tool: 'tampered_state' }));
    },
  ),
  fixture(
    'test_input_required_result_capabilities',
    'Asks only for declared capabilities',
    async (_args, ctx) => {
      const req = mcp(ctx);
      if (req.inputResponses !== undefined) return done('Capability-aware input requests fulfilled');
      const declared = (req.envelope as Record<string, ClientCapabilities | undefined> | undefined)?.[
        CLIENT_CAPABILITIES_META_KEY
      ];
      const inputs: InputRequests = {};
      if (declared?.elicitation !== undefined) inputs.user_name = askName();
      if (declared?.sampling !== undefined) inputs.greeting = ask('Generate a short greeting', 50);
      if (declared?.roots !== undefined) inputs.client_roots = inputRequired.listRoots();
      return Object.keys(inputs).length === 0
        ? done('No declared client capability supports an in-band input request')
        : needs(inputs);
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
      const context = acceptedContent<{ context: string }>(mcp(ctx).inputResponses, 'user_context')?.context;
      if (typeof context !== 'string') {
        const user_context = inputRequired.elicit({
          message: 'What context should the prompt use?',
          requestedSchema: {
            type: 'object',
            properties: { context: { type: 'string' } },
            required: ['context'],
          },
        });
        return needs({ user_context });
      }
      return [{ role: 'user', content: { type: 'text', text: `Use the following context: ${context}` } }];
    },
  }),
];
