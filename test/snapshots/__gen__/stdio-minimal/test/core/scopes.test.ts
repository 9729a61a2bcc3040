import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { baseEnv } from '../../src/config.js';
import { AppEventBus } from '../../src/core/events.js';
import type { App, ToolCall } from '../../src/core/feature.js';
import { createLogger } from '../../src/core/logger.js';
import { type Principal, STDIO_CLIENT } from '../../src/core/principal.js';
import { requireToolScopes } from '../../src/core/scopes.js';
import { defineTool } from '../../src/core/tool.js';
import { captureLogs } from '../helpers/logs.js';

const report = defineTool({
  name: 'report',
  version: 1,
  title: 'Report',
  description: 'Needs two scopes.',
  input: z.object({}),
  output: z.object({ ok: z.boolean() }),
  scopes: ['reports:read', 'reports:export'],
  handler: async () => ({ ok: true }),
});

function setup() {
  const logs = captureLogs();
  const events = new AppEventBus();
  const rejected: string[] = [];
  events.on('auth.rejected', ({ status, stage }) => rejected.push(`${status} ${stage}`));
  const logger = createLogger({ name: 'test', level: 'info', destination: logs.stream });
  const app: App = { config: baseEnv.parse({}), logger, events, tools: [report], transport: 'http' };
  const call = (principal: Principal): ToolCall => ({
    tool: report,
    name: 'report_v1',
    args: {},
    principal,
    requestId: 'req-1',
    correlationId: 'req-1',
    signal: new AbortController().signal,
  });
  return { middleware: requireToolScopes(app, 'ask for it.'), call, logs: logs.lines, rejected };
}

const next = async () => ({ ok: true as const, result: { ok: true } });

/** One check for every auth mode: each grants scopes its own way and passes its advice for the message. */
describe('tool scopes', () => {
  it('refuses a caller missing any declared scope, naming what is missing; logged and counted', async () => {
    const { middleware, call, logs, rejected } = setup();
    const outcome = await middleware(call({ id: 'u', scopes: ['reports:read'], source: 'api-key' }), next);
    expect(outcome).toMatchObject({ ok: false, error: { error: 'FORBIDDEN', retryable: false } });
    expect(JSON.stringify(outcome)).toContain('report_v1 needs the scope reports:export: ask for it.');
    expect(rejected).toEqual(['403 scope']);
    const line = logs.find((l) => l.msg === 'auth rejected');
    expect(line).toMatchObject({ requestId: 'req-1', reason: 'insufficient scope' });
  });

  it('lets a caller with every scope through', async () => {
    const { middleware, call, rejected } = setup();
    const scopes = ['reports:export', 'reports:read', 'other'];
    expect(await middleware(call({ id: 'u', scopes, source: 'api-key' }), next)).toEqual({
      ok: true,
      result: { ok: true },
    });
    expect(rejected).toEqual([]);
  });

  it('trusts the stdio client: the process that launched the server', async () => {
    const { middleware, call } = setup();
    expect(await middleware(call(STDIO_CLIENT), next)).toEqual({ ok: true, result: { ok: true } });
  });
});
