import { describe, expect, it } from 'vitest';
import { baseEnv } from '../../src/config.js';
import { AppEventBus } from '../../src/core/events.js';
import type { App } from '../../src/core/feature.js';
import type { Listing } from '../../src/core/listing.js';
import { createLogger } from '../../src/core/logger.js';
import type { Operation, OperationKind } from '../../src/core/operation.js';
import { type Principal, STDIO_CLIENT } from '../../src/core/principal.js';
import { requireScopes } from '../../src/core/scopes.js';
import { captureLogs } from '../helpers/logs.js';

function setup() {
  const logs = captureLogs();
  const events = new AppEventBus();
  const rejected: string[] = [];
  events.on('auth.rejected', ({ status, stage }) => rejected.push(`${status} ${stage}`));
  const logger = createLogger({ name: 'test', level: 'info', destination: logs.stream });
  const app: App = {
    config: baseEnv.parse({}),
    logger,
    events,
    tools: [],
    resources: [],
    prompts: [],
    transport: 'http',
  };
  const operation = (principal: Principal, kind: OperationKind = 'tools/call'): Operation => ({
    kind,
    name: kind === 'resources/read' ? 'reports' : 'report_v1',
    item: {
      name: kind === 'resources/read' ? 'reports' : 'report_v1',
      limitKey: 'report',
      scopes: ['reports:read', 'reports:export'],
      cost: 1,
    },
    args: {},
    principal,
    requestId: 'req-1',
    correlationId: 'req-1',
    signal: new AbortController().signal,
  });
  return { middleware: requireScopes(app, 'ask for it.'), operation, logs: logs.lines, rejected };
}

const next = async () => ({ ok: true as const, result: { ok: true } });

const listing: Listing = {
  entries: [
    { value: 'open' },
    { scopes: ['reports:read'], value: 'reports' },
    { scopes: ['admin'], value: 'admin' },
  ],
};
const list = (kind: OperationKind, principal: Principal): Operation => ({
  kind,
  name: kind,
  args: undefined,
  principal,
  requestId: 'req-2',
  correlationId: 'req-2',
  signal: new AbortController().signal,
});
const listed = async (
  middleware: ReturnType<typeof setup>['middleware'],
  kind: OperationKind,
  principal: Principal,
) => {
  const outcome = await middleware(list(kind, principal), async () => ({ ok: true, result: listing }));
  return outcome.ok ? (outcome.result as Listing).entries.map((e) => e.value) : outcome;
};

describe('scopes, for every operation kind', () => {
  it.each(['tools/call', 'resources/read', 'prompts/get'] as const)(
    'refuses %s for a caller missing a declared scope, naming it; logged and counted',
    async (kind) => {
      const { middleware, operation, logs, rejected } = setup();
      const principal: Principal = { id: 'u', scopes: ['reports:read'], source: 'api-key' };
      const outcome = await middleware(operation(principal, kind), next);
      expect(outcome).toMatchObject({ ok: false, error: { error: 'FORBIDDEN', retryable: false } });
      expect(JSON.stringify(outcome)).toContain('reports:export');
      expect(rejected).toEqual(['403 scope']);
      const line = logs.find((l) => l.msg === 'auth rejected');
      expect(line).toMatchObject({ requestId: 'req-1', reason: 'insufficient scope' });
    },
  );

  it('lets a caller with every scope through', async () => {
    const { middleware, operation, rejected } = setup();
    const scopes = ['reports:export', 'reports:read', 'other'];
    expect(await middleware(operation({ id: 'u', scopes, source: 'api-key' }), next)).toEqual({
      ok: true,
      result: { ok: true },
    });
    expect(rejected).toEqual([]);
  });

  it('trusts the stdio client: the process that launched the server', async () => {
    const { middleware, operation } = setup();
    expect(await middleware(operation(STDIO_CLIENT), next)).toEqual({ ok: true, result: { ok: true } });
  });

  it.each(['tools/list', 'resources/list', 'resources/templates/list', 'prompts/list'] as const)(
    'filters %s to what the caller may use',
    async (kind) => {
      const { middleware } = setup();
      expect(await listed(middleware, kind, { id: 'u', scopes: ['reports:read'], source: 'jwt' })).toEqual([
        'open',
        'reports',
      ]);
      expect(await listed(middleware, kind, { id: 'a', scopes: [], source: 'anonymous' })).toEqual(['open']);
      expect(await listed(middleware, kind, STDIO_CLIENT)).toEqual(['open', 'reports', 'admin']);
    },
  );
});
