import { type Client, ResourceNotFoundError } from '@modelcontextprotocol/client';
import { expect, it, vi } from 'vitest';
import { publishedName } from '../../src/core/tool.js';
import { tools } from '../../src/tools/index.js';
import { PIXEL_PNG } from '../fixtures/tools.js';
import type { LogLine } from './logs.js';

export interface PrimitivesTarget {
  /** An SDK client of a server publishing the fixture tools, resources and prompts, without an auth feature. */
  client: Client;
  /** The log lines that server wrote. */
  logs: LogLine[];
  /** The principal its calls arrive as. */
  principal: string;
  /** Tells this run's calls apart in `logs` (the battery may run twice against one server). */
  tag: string;
  /**
   * Whether the server can ask this client mid-call: false for a 2025 client over stateless HTTP, which has no
   * channel for a server-to-client request (2026 clients answer in a retried call; stdio is one connection).
   */
  answersQuestions: boolean;
}

/** The published tools a client can still call: the catalogue resource, the prompt and completion name them. */
const live = tools
  .filter((tool) => !tool.deprecated || Date.parse(tool.deprecated.sunset) > Date.now())
  .map(publishedName);
const someTool = live[0] ?? 'none';

/**
 * The one log line of the operation the client tagged with `_meta.correlationId`. Waited for: a stdio server
 * writes it to stderr, which may be read after the result on stdout.
 */
function lineOf(logs: LogLine[], correlationId: string): Promise<LogLine> {
  return vi.waitFor(() => {
    const lines = logs.filter((line) => line.correlationId === correlationId && line.outcome !== undefined);
    expect(lines, `operation log lines with correlationId ${correlationId}`).toHaveLength(1);
    return lines[0] as LogLine;
  });
}

/**
 * Resources, prompts, completion, progress and rich results as a real SDK client sees them, whatever the
 * transport: the HTTP and stdio tests run this same battery against their own server.
 */
export function primitivesBattery(target: () => PrimitivesTarget): void {
  it('lists the resources and templates: the tool catalogue, one document per tool', async () => {
    const { resources } = await target().client.listResources();
    expect(resources).toContainEqual(
      expect.objectContaining({ uri: 'catalogue://tools', name: 'tool-index', mimeType: 'application/json' }),
    );
    const documents = resources.filter((r) => r.uri.startsWith('catalogue://tools/')).map((r) => r.name);
    expect(documents.sort()).toEqual([...live].sort());
    const { resourceTemplates } = await target().client.listResourceTemplates();
    expect(resourceTemplates).toContainEqual(
      expect.objectContaining({ uriTemplate: 'catalogue://tools/{name}', name: 'tool' }),
    );
  });

  it('reads the catalogue index, and a tool document through its template', async () => {
    const index = await target().client.readResource({ uri: 'catalogue://tools' });
    expect(index.contents[0]).toMatchObject({ uri: 'catalogue://tools', mimeType: 'application/json' });
    const listed = JSON.parse((index.contents[0] as { text: string }).text) as { name: string }[];
    expect(listed.map((entry) => entry.name)).toEqual(expect.arrayContaining(live));

    const uri = `catalogue://tools/${someTool}`;
    const document = await target().client.readResource({ uri });
    expect(document.contents[0]).toMatchObject({ uri, mimeType: 'application/json' });
    const parsed = JSON.parse((document.contents[0] as { text: string }).text) as Record<string, unknown>;
    expect(parsed).toMatchObject({
      name: someTool,
      input: expect.objectContaining({ type: 'object' }),
    });
  });

  it('answers an unknown URI, and an unknown tool document, with the not-found error (SEP-2164)', async () => {
    for (const uri of ['fixture://nothing-here', 'catalogue://tools/no_such_tool_v9']) {
      const error = await target()
        .client.readResource({ uri }, { cacheMode: 'bypass' })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ResourceNotFoundError);
      expect(error).toMatchObject({ code: -32602, data: { uri } });
    }
  });

  it('lists the use-tool prompt with its arguments, and gets it with the tool document embedded', async () => {
    const { prompts } = await target().client.listPrompts();
    expect(prompts.find((p) => p.name === 'use_tool_v1')?.arguments).toEqual([
      expect.objectContaining({ name: 'tool', required: true }),
      expect.objectContaining({ name: 'task', required: true }),
    ]);
    const { messages } = await target().client.getPrompt({
      name: 'use_tool_v1',
      arguments: { tool: someTool, task: 'convert 20 degrees' },
    });
    expect(messages[0]?.content).toMatchObject({
      type: 'resource',
      resource: { uri: `catalogue://tools/${someTool}`, mimeType: 'application/json' },
    });
    expect(messages[1]?.content).toMatchObject({ type: 'text', text: expect.stringContaining('convert 20') });
  });

  it('refuses an unknown prompt with invalid params naming it', async () => {
    await expect(target().client.getPrompt({ name: 'no_such_prompt_v1' })).rejects.toMatchObject({
      code: -32602,
      message: expect.stringContaining('no_such_prompt_v1'),
    });
  });

  it('completes a prompt argument and a template variable with published tool names', async () => {
    const typed = someTool.slice(0, 3);
    const expected = live.filter((name) => name.startsWith(typed)).sort();
    const prompt = await target().client.complete({
      ref: { type: 'ref/prompt', name: 'use_tool_v1' },
      argument: { name: 'tool', value: typed },
    });
    expect([...prompt.completion.values].sort()).toEqual(expected);
    const template = await target().client.complete({
      ref: { type: 'ref/resource', uri: 'catalogue://tools/{name}' },
      argument: { name: 'name', value: typed },
    });
    expect([...template.completion.values].sort()).toEqual(expected);
  });

  it('stops a slow resource at its deadline: TIMEOUT in the error data, with the IDs of its log line', async () => {
    const { client, logs, tag } = target();
    const started = performance.now();
    const error = await client
      .readResource({ uri: 'fixture://slow', _meta: { correlationId: `${tag}-slow` } })
      .catch((e: unknown) => e);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(error).toMatchObject({
      code: -32000,
      data: { error: 'TIMEOUT', retryable: true, correlationId: `${tag}-slow` },
    });
    const { requestId } = (error as { data: { requestId: string } }).data;
    expect(await lineOf(logs, `${tag}-slow`)).toMatchObject({
      msg: 'resource read',
      resource: 'slow',
      outcome: 'TIMEOUT',
      requestId,
    });
  });

  it('writes one log line per read and get, with the request and correlation IDs, as for a tool call', async () => {
    const { client, logs, principal, tag } = target();
    await client.readResource(
      { uri: 'catalogue://tools', _meta: { correlationId: `${tag}-read` } },
      { cacheMode: 'bypass' },
    );
    await client.getPrompt({
      name: 'use_tool_v1',
      arguments: { tool: someTool, task: 'anything' },
      _meta: { correlationId: `${tag}-get` },
    });
    const read = await lineOf(logs, `${tag}-read`);
    const get = await lineOf(logs, `${tag}-get`);
    const ids = { requestId: expect.stringMatching(/^[0-9a-f-]{36}$/), principal, outcome: 'ok', cost: 1 };
    expect(read).toMatchObject({
      ...ids,
      msg: 'resource read',
      kind: 'resources/read',
      resource: 'tool-index',
    });
    expect(get).toMatchObject({ ...ids, msg: 'prompt get', kind: 'prompts/get', prompt: 'use_tool_v1' });
    expect(read.requestId).not.toBe(get.requestId);
  });

  it('serves scoped items to every caller when no auth feature enforces scopes', async () => {
    const { client } = target();
    const { resources } = await client.listResources({}, { cacheMode: 'bypass' });
    expect(resources.map((r) => r.uri)).toContain('fixture://reports');
    const read = await client.readResource({ uri: 'fixture://reports' });
    expect(read.contents[0]).toMatchObject({ text: 'quarterly numbers' });
    const { prompts } = await client.listPrompts({}, { cacheMode: 'bypass' });
    expect(prompts.map((p) => p.name)).toContain('report_summary_v1');
    expect((await client.getPrompt({ name: 'report_summary_v1' })).messages).toHaveLength(1);
  });

  it('delivers progress to the client while a tool runs', async () => {
    const received: { progress: number; total?: number; message?: string }[] = [];
    const result = await target().client.callTool(
      { name: 'steps_v1', arguments: { count: 2 } },
      { onprogress: (progress) => received.push(progress) },
    );
    expect(result.structuredContent).toEqual({ steps: 2 });
    expect(received).toEqual([
      { progress: 1, total: 2, message: 'step 1 of 2' },
      { progress: 2, total: 2, message: 'step 2 of 2' },
    ]);
  });

  it('returns an image content block from a tool', async () => {
    const result = await target().client.callTool({ name: 'pixel_v1', arguments: {} });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toBeUndefined();
    expect(result.content).toEqual([
      { type: 'text', text: 'One pixel:' },
      { type: 'image', data: PIXEL_PNG, mimeType: 'image/png' },
    ]);
  });

  it('asks before a destructive call, and the user answer decides (input-required, SEP-2322)', async () => {
    const { client, answersQuestions } = target();
    const asked: string[] = [];
    client.setRequestHandler('elicitation/create', async (request) => {
      asked.push(request.params.message);
      return request.params.message.includes('yes-draft')
        ? { action: 'accept', content: { confirm: true } }
        : { action: 'decline' };
    });
    const yes = await client.callTool({ name: 'discard_v1', arguments: { id: 'yes-draft' } });
    const no = await client.callTool({ name: 'discard_v1', arguments: { id: 'no-draft' } });
    if (!answersQuestions) {
      // Nothing is discarded without an answer: the call fails, saying the client cannot be asked.
      for (const result of [yes, no]) {
        expect(result.isError).toBe(true);
        expect(JSON.stringify(result.content)).toContain('did not declare the required capability');
      }
      expect(asked).toEqual([]);
      return;
    }
    expect(yes.content).toEqual([{ type: 'text', text: 'Discarded yes-draft.' }]);
    expect(no.content).toEqual([{ type: 'text', text: 'Kept no-draft: not confirmed.' }]);
    expect(asked).toEqual([
      'Discard the draft yes-draft? This cannot be undone.',
      'Discard the draft no-draft? This cannot be undone.',
    ]);
  });
}
