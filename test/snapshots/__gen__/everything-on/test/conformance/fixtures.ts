import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { audio, content, embeddedResource, image, text } from '../../src/core/content.js';
import { definePrompt, userMessage } from '../../src/core/prompt.js';
import { defineResource, defineResourceTemplate } from '../../src/core/resource.js';
import { defineTool } from '../../src/core/tool.js';

/**
 * The fixtures the official conformance suite calls by name (@modelcontextprotocol/conformance: its scenarios
 * hard-code `test_simple_text`, `test://static-text`, `test_simple_prompt`…). They are ordinary definitions
 * served through this project's own pipeline, and live under test/: they never reach the production build.
 */
const PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';
const WAV = 'UklGRiYAAABXQVZFZm10IBAAAAABAAEAQB8AAAB9AAACABAAZGF0YQIAAAA=';
const none = z.object({});

/** A fixture tool: published under the suite's exact name, returning content blocks. */
const fixture = (
  name: string,
  description: string,
  handler: Parameters<typeof defineTool<typeof none>>[0]['handler'],
) => defineTool({ name, version: 1, publishedAs: name, title: name, description, input: none, handler });

export const conformanceTools = [
  fixture('test_simple_text', 'Tests simple text content response', async () =>
    content([text('This is a simple text response for testing.')]),
  ),
  fixture('test_image_content', 'Tests image content response', async () =>
    content([image(PNG, 'image/png')]),
  ),
  fixture('test_audio_content', 'Tests audio content response', async () =>
    content([audio(WAV, 'audio/wav')]),
  ),
  fixture('test_embedded_resource', 'Tests embedded resource content response', async () =>
    content([
      embeddedResource(
        'test://embedded-resource',
        { text: 'This is an embedded resource content.' },
        'text/plain',
      ),
    ]),
  ),
  fixture('test_multiple_content_types', 'Tests response with multiple content types', async () =>
    content([
      text('Multiple content types test:'),
      image(PNG, 'image/png'),
      embeddedResource(
        'test://mixed-content-resource',
        { text: JSON.stringify({ test: 'data', value: 123 }) },
        'application/json',
      ),
    ]),
  ),
  fixture('test_tool_with_progress', 'Tests tool that reports progress notifications', async (_args, ctx) => {
    for (const done of [0, 50, 100]) {
      await ctx.progress(done, 100, `Completed step ${done} of 100`);
      // Past the progress throttle, so every step reaches the client.
      if (done < 100) await sleep(120, undefined, { signal: ctx.signal });
    }
    return content([text('progress reported')]);
  }),
  fixture(
    'test_tool_with_logging',
    'Tests tool that emits log messages during execution',
    async (_args, ctx) => {
      for (const message of ['Tool execution started', 'Tool processing data', 'Tool execution completed']) {
        await ctx.sdk?.mcpReq.notify({
          method: 'notifications/message',
          params: { level: 'info', data: message },
        });
        await sleep(50, undefined, { signal: ctx.signal });
      }
      return content([text('Tool with logging executed successfully')]);
    },
  ),
  fixture('test_error_handling', 'Tests error response handling', async () => {
    throw new Error('This tool intentionally returns an error for testing');
  }),
  fixture(
    'test_logging_tool',
    'Logs through the request-scoped, logLevel-gated channel',
    async (_args, ctx) => {
      await ctx.clientLog('info', 'test_logging_tool ran (delivered only when the request set a log level)');
      return content([text('logged through the request-scoped, logLevel-gated channel')]);
    },
  ),
  fixture('test_streaming_elicitation', 'A response stream carrying result frames only', async () =>
    content([text('stream observed: result frames only, no top-level requests')]),
  ),
];

export const conformanceResources = [
  defineResource({
    name: 'static-text',
    uri: 'test://static-text',
    title: 'Static Text Resource',
    description: 'A static text resource for testing',
    mimeType: 'text/plain',
    read: async () => ({ text: 'This is the content of the static text resource.' }),
  }),
  defineResource({
    name: 'static-binary',
    uri: 'test://static-binary',
    title: 'Static Binary Resource',
    description: 'A static binary resource (image) for testing',
    mimeType: 'image/png',
    read: async () => ({ blob: PNG }),
  }),
  defineResource({
    name: 'watched-resource',
    uri: 'test://watched-resource',
    title: 'Watched Resource',
    description: 'Static resource registered for subscribe/unsubscribe testing',
    mimeType: 'text/plain',
    read: async () => ({ text: 'Watched resource content' }),
  }),
  defineResourceTemplate({
    name: 'template',
    uriTemplate: 'test://template/{id}/data',
    title: 'Resource Template',
    description: 'A resource template with parameter substitution',
    mimeType: 'application/json',
    read: async ({ id }) => ({
      text: JSON.stringify({ id, templateTest: true, data: `Data for ID: ${id}` }),
    }),
  }),
];

const fixturePrompt = <Args extends z.ZodObject>(
  name: string,
  description: string,
  args: Args,
  handler: Parameters<typeof definePrompt<Args>>[0]['handler'],
) => definePrompt({ name, version: 1, publishedAs: name, title: name, description, args, handler });

export const conformancePrompts = [
  fixturePrompt('test_simple_prompt', 'A simple prompt without arguments', none, async () => [
    userMessage({ type: 'text', text: 'This is a simple prompt for testing.' }),
  ]),
  fixturePrompt(
    'test_prompt_with_arguments',
    'A prompt with required arguments',
    z.object({
      arg1: z.string().describe('First test argument'),
      arg2: z.string().describe('Second test argument'),
    }),
    async ({ arg1, arg2 }) => [
      userMessage({ type: 'text', text: `Prompt with arguments: arg1='${arg1}', arg2='${arg2}'` }),
    ],
  ),
  fixturePrompt(
    'test_prompt_with_embedded_resource',
    'A prompt that includes an embedded resource',
    z.object({ resourceUri: z.string().describe('URI of the resource to embed') }),
    async ({ resourceUri }) => [
      userMessage({
        type: 'resource',
        resource: {
          uri: resourceUri,
          mimeType: 'text/plain',
          text: 'Embedded resource content for testing.',
        },
      }),
      userMessage({ type: 'text', text: 'Please process the embedded resource above.' }),
    ],
  ),
  fixturePrompt('test_prompt_with_image', 'A prompt that includes image content', none, async () => [
    userMessage({ type: 'image', data: PNG, mimeType: 'image/png' }),
    userMessage({ type: 'text', text: 'Please analyze the image above.' }),
  ]),
];

/** Server-to-client requests inside a 2025-11-25 tool call (sampling, elicitation). */
const ask = (
  name: string,
  description: string,
  input: z.ZodObject,
  request: (args: Record<string, unknown>) => {
    method: 'sampling/createMessage' | 'elicitation/create';
    params: Record<string, unknown>;
  },
) =>
  defineTool({
    name,
    version: 1,
    publishedAs: name,
    title: name,
    description,
    input,
    async handler(args, ctx) {
      const result = await ctx.sdk?.mcpReq.send(request(args));
      return content([text(`Result: ${JSON.stringify(result)}`)]);
    },
  });

export const serverRequestTools = [
  ask('test_sampling', 'Tests server-initiated sampling', z.object({ prompt: z.string() }), ({ prompt }) => ({
    method: 'sampling/createMessage',
    params: { messages: [{ role: 'user', content: { type: 'text', text: prompt } }], maxTokens: 100 },
  })),
  ask(
    'test_elicitation',
    'Tests server-initiated elicitation',
    z.object({ message: z.string() }),
    ({ message }) => ({
      method: 'elicitation/create',
      params: {
        message,
        requestedSchema: {
          type: 'object',
          properties: { response: { type: 'string' } },
          required: ['response'],
        },
      },
    }),
  ),
  ask('test_elicitation_sep1034_defaults', 'Elicitation with defaults (SEP-1034)', none, () => ({
    method: 'elicitation/create',
    params: {
      message: 'Please review and update the form fields with defaults',
      requestedSchema: {
        type: 'object',
        properties: {
          name: { type: 'string', description: 'User name', default: 'John Doe' },
          age: { type: 'integer', description: 'User age', default: 30 },
          score: { type: 'number', description: 'User score', default: 95.5 },
          status: { type: 'string', enum: ['active', 'inactive', 'pending'], default: 'active' },
          verified: { type: 'boolean', description: 'Verification status', default: true },
        },
        required: [],
      },
    },
  })),
  ask('test_elicitation_sep1330_enums', 'Elicitation with every enum form (SEP-1330)', none, () => {
    const titled = (prefix: string) =>
      ['1', '2', '3'].map((n) => ({ const: `value${n}`, title: `${prefix} ${n}` }));
    const options = ['option1', 'option2', 'option3'];
    return {
      method: 'elicitation/create',
      params: {
        message: 'Please select options from the enum fields',
        requestedSchema: {
          type: 'object',
          properties: {
            untitledSingle: { type: 'string', enum: options },
            titledSingle: { type: 'string', oneOf: titled('Option') },
            legacyEnum: {
              type: 'string',
              enum: ['opt1', 'opt2', 'opt3'],
              enumNames: ['One', 'Two', 'Three'],
            },
            untitledMulti: {
              type: 'array',
              minItems: 1,
              maxItems: 3,
              items: { type: 'string', enum: options },
            },
            titledMulti: { type: 'array', minItems: 1, maxItems: 3, items: { anyOf: titled('Choice') } },
          },
          required: [],
        },
      },
    };
  }),
];
