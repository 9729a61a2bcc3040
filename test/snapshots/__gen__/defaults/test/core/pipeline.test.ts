import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { requestContext } from '../../src/core/context.js';
import { ToolError } from '../../src/core/errors.js';
import type { AppEvents } from '../../src/core/events.js';
import type { OperationMiddleware } from '../../src/core/operation.js';
import { ANONYMOUS } from '../../src/core/principal.js';
import { defineTool, type ToolDefinition } from '../../src/core/tool.js';
import { abortedBy, brokenV1, retiredV1, slowV1, stubbornV1, sunsetV1, whoamiV1 } from '../fixtures/tools.js';
import { type ToolCallerOptions, toolCaller } from '../helpers/call-tool.js';
import { envelopeOf } from '../helpers/results.js';

function setup(options: ToolCallerOptions = {}) {
  const tools: ToolDefinition[] = [slowV1, stubbornV1, brokenV1, sunsetV1, retiredV1, whoamiV1];
  const caller = toolCaller({ tools, ...options });
  const calls: AppEvents['operation'][0][] = [];
  caller.events.on('operation', (event) => calls.push(event));
  const call = (tool: ToolDefinition, args: unknown, signal = new AbortController().signal) =>
    caller.call(tool, args, { signal });
  const toolLines = () => caller.logs.filter((line) => line.msg === 'tool call');
  return { runner: caller.pipeline, caller, call, logs: caller.logs, toolLines, calls };
}

describe('operation pipeline, for a tool call', () => {
  it('returns structured data and the same data as text', async () => {
    const { call, toolLines, calls } = setup();
    const result = await call(slowV1, { ms: 0 });
    expect(result.isError).toBeUndefined();
    expect(result.structuredContent).toEqual({ waitedMs: 0 });
    expect(result.content).toEqual([{ type: 'text', text: '{"waitedMs":0}' }]);
    expect(toolLines()).toHaveLength(1);
    expect(toolLines()[0]).toMatchObject({ tool: 'slow_v1', outcome: 'ok', principal: 'stdio', cost: 1 });
    expect(toolLines()[0]?.result).toEqual([{ type: 'text', size: 14 }]);
    expect(calls).toMatchObject([{ kind: 'tools/call', name: 'slow_v1', outcome: 'ok', cost: 1 }]);
  });

  it('rejects invalid arguments with INVALID_ARGUMENT naming the field, without running the handler', async () => {
    const { call, calls } = setup();
    const result = await call(slowV1, { ms: 'soon' });
    expect(result.isError).toBe(true);
    expect(envelopeOf(result)).toMatchObject({ error: 'INVALID_ARGUMENT', retryable: false });
    expect(envelopeOf(result).message).toContain('ms:');
    expect(calls[0]).toMatchObject({ outcome: 'INVALID_ARGUMENT', cost: 0 });
  });

  it('answers TIMEOUT at the deadline and aborts the handler signal', async () => {
    const { call } = setup({ env: { TOOL_TIMEOUT_MS: '100' } });
    abortedBy.reason = undefined;
    const started = performance.now();
    const result = await call(slowV1, { ms: 5_000 });
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(envelopeOf(result)).toMatchObject({ error: 'TIMEOUT', retryable: true });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(abortedBy.reason).toBeInstanceOf(Error);
  });

  it('answers TIMEOUT promptly even when the handler ignores its signal, and logs the late finish', async () => {
    const { call, logs } = setup();
    const started = performance.now();
    const result = await call(stubbornV1, { ms: 600 });
    expect(performance.now() - started).toBeLessThan(500);
    expect(envelopeOf(result)).toMatchObject({ error: 'TIMEOUT' });
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(logs.some((line) => String(line.msg).includes('finished after its deadline'))).toBe(true);
  });

  it('takes TOOL_TIMEOUTS over the tool and the defaults, and rejects unknown names at startup', async () => {
    const { call } = setup({ env: { TOOL_TIMEOUTS: 'slow_v1=50' } });
    const result = await call(slowV1, { ms: 1_000 });
    expect(envelopeOf(result)).toMatchObject({ error: 'TIMEOUT' });
    expect(envelopeOf(result).message).toContain('50 ms');
    expect(() => setup({ env: { TOOL_TIMEOUTS: 'nope_v1=50' } })).toThrow(
      /TOOL_TIMEOUTS: no tool is published as nope_v1/,
    );
  });

  it('turns a thrown error into INTERNAL without leaking its message, and logs it', async () => {
    const { call, toolLines } = setup();
    const result = await call(brokenV1, {});
    const text = JSON.stringify(result);
    expect(envelopeOf(result)).toMatchObject({ error: 'INTERNAL', retryable: false });
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('db.ts');
    const line = toolLines()[0];
    expect(line).toMatchObject({ outcome: 'INTERNAL', level: 'error' });
    expect(JSON.stringify(line?.err)).toContain('hunter2');
  });

  it('keeps a ToolError code, and fills the request IDs into the envelope', async () => {
    const failing = defineTool({
      ...slowV1,
      name: 'failing',
      async handler() {
        throw new ToolError('UPSTREAM_UNAVAILABLE', 'upstream is down', { retryAfter: 7 });
      },
    });
    const { call } = setup({ tools: [failing] });
    const context = { requestId: 'req-1', correlationId: 'corr-1', principal: ANONYMOUS };
    const result = await requestContext.run(context, () => call(failing, { ms: 0 }));
    expect(envelopeOf(result)).toEqual({
      error: 'UPSTREAM_UNAVAILABLE',
      message: 'upstream is down',
      retryable: true,
      retryAfter: 7,
      requestId: 'req-1',
      correlationId: 'corr-1',
    });
    // An agent that reads only text gets the code, the retry hint and the whole envelope.
    const [block] = result.content;
    expect(result.content).toHaveLength(1);
    expect(block?.type === 'text' && block.text.split('\n')).toEqual([
      'UPSTREAM_UNAVAILABLE: upstream is down Retry after 7 s.',
      JSON.stringify(envelopeOf(result)),
    ]);
    // No structuredContent: clients that check it against the output schema would throw the envelope away.
    expect(result).not.toHaveProperty('structuredContent');
  });

  it('warns on every call of a deprecated tool and retires it after its sunset', async () => {
    const { call, logs } = setup();
    expect((await call(sunsetV1, {})).structuredContent).toEqual({ ok: true });
    expect(logs.some((line) => line.level === 'warn' && line.replacedBy === 'sunset_v2')).toBe(true);
    const retired = await call(retiredV1, {});
    expect(envelopeOf(retired)).toMatchObject({ error: 'TOOL_RETIRED', retryable: false });
    expect(envelopeOf(retired).message).toContain('retired_v2');
  });

  it('reports a client cancellation as CANCELLED', async () => {
    const { call } = setup();
    const client = new AbortController();
    setTimeout(() => client.abort(), 50);
    const result = await call(slowV1, { ms: 5_000 }, client.signal);
    expect(envelopeOf(result)).toMatchObject({ error: 'CANCELLED' });
  });

  it('runs middleware outermost first and lets it refuse a call', async () => {
    const order: string[] = [];
    const outer: OperationMiddleware = async (_call, next) => {
      order.push('outer');
      return next();
    };
    const limit: OperationMiddleware = async (toolCall, next) => {
      order.push('limit');
      if (toolCall.name === 'whoami_v1')
        return {
          ok: false,
          error: { error: 'RATE_LIMITED', message: 'slow down', retryable: true, retryAfter: 3 },
        };
      return next();
    };
    const { call, calls } = setup({ middleware: [outer, limit] });
    const result = await call(whoamiV1, {});
    expect(order).toEqual(['outer', 'limit']);
    expect(envelopeOf(result)).toMatchObject({ error: 'RATE_LIMITED', retryAfter: 3 });
    expect(calls[0]).toMatchObject({ outcome: 'RATE_LIMITED', cost: 0 });
  });

  it('takes correlation and run IDs from _meta, and redacts secrets and long values in the log line', async () => {
    const { caller, toolLines } = setup();
    const result = await caller.call(
      whoamiV1,
      { secretToken: 'sk-live-123', note: 'x'.repeat(500) },
      { meta: { correlationId: 'turn-7', runId: 'run-3' } },
    );
    expect(result.structuredContent).toMatchObject({
      principal: 'stdio',
      correlationId: 'turn-7',
      runId: 'run-3',
    });
    const line = toolLines()[0];
    expect(line).toMatchObject({ correlationId: 'turn-7', runId: 'run-3' });
    const args = line?.args as Record<string, string>;
    expect(args.secretToken).toBe('[REDACTED]');
    expect(args.note).toMatch(/^x{200}…\(\+300 chars\)$/);
  });

  it('treats output that breaks the output schema as INTERNAL', async () => {
    const liar = defineTool({
      name: 'liar',
      version: 1,
      title: 'Liar',
      description: 'Returns the wrong shape.',
      input: z.object({}),
      output: z.object({ count: z.number() }),
      handler: async () => ({ count: 'three' }) as unknown as { count: number },
    });
    const { call } = setup({ tools: [liar] });
    expect(envelopeOf(await call(liar, {}))).toMatchObject({ error: 'INTERNAL' });
  });

  it('drains: waits for in-flight calls, then aborts what is left', async () => {
    const { runner, call } = setup();
    const quick = call(slowV1, { ms: 100 });
    expect(await runner.drain(1_000)).toBe(0);
    expect((await quick).structuredContent).toEqual({ waitedMs: 100 });

    const second = setup();
    const long = second.call(slowV1, { ms: 5_000 });
    expect(await second.runner.drain(100)).toBe(1);
    expect(envelopeOf(await long)).toMatchObject({ error: 'UNAVAILABLE', retryable: true });
  });
});
