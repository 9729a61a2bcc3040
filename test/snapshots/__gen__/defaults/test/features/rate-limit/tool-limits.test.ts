import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { requestContext } from '../../../src/core/context.js';
import { AppEventBus } from '../../../src/core/events.js';
import type { Operation, Outcome } from '../../../src/core/feature.js';
import { ANONYMOUS, type Principal } from '../../../src/core/principal.js';
import { defineTool, publishedName, type ToolDefinition } from '../../../src/core/tool.js';
import { MemoryRateLimitStore } from '../../../src/features/rate-limit/memory-store.js';
import { type ToolLimitsConfig, toolLimits } from '../../../src/features/rate-limit/tool-limits.js';

const tool = (
  name: string,
  version: number,
  extra: Pick<ToolDefinition, 'rateLimitPerMinute'> = {},
): ToolDefinition =>
  defineTool({
    name,
    version,
    title: name,
    description: `${name} for tests`,
    input: z.object({}),
    output: z.object({}),
    handler: async () => ({}),
    ...extra,
  });

const alice: Principal = { id: 'alice', scopes: [], source: 'api-key' };
const bob: Principal = { id: 'bob', scopes: [], source: 'api-key' };

describe('toolLimits', () => {
  let now = 0;
  let store: MemoryRateLimitStore;
  let events: AppEventBus;
  let rejected: { kind: string; operation?: string; item?: string }[];
  let handlerRuns: number;

  beforeEach(() => {
    now = 0;
    store = new MemoryRateLimitStore(() => now);
    events = new AppEventBus();
    rejected = [];
    events.on('limit.rejected', (event) => rejected.push(event));
    handlerRuns = 0;
  });
  afterEach(() => store.close());

  function limiter(config: Partial<ToolLimitsConfig> = {}) {
    const middleware = toolLimits(
      store,
      { perMinute: 3, budget: 0, budgetWindowMs: 3_600_000, ...config },
      events,
    );
    return (definition: ToolDefinition, call: Partial<Operation> = {}): Promise<Outcome> =>
      middleware(
        {
          kind: 'tools/call',
          item: {
            name: publishedName(definition),
            limitKey: definition.name,
            rateLimitPerMinute: definition.rateLimitPerMinute,
            cost: definition.cost ?? 1,
          },
          name: publishedName(definition),
          args: {},
          principal: alice,
          requestId: 'req',
          correlationId: 'corr',
          signal: new AbortController().signal,
          ...call,
        },
        async () => {
          handlerRuns++;
          return { ok: true, result: {} };
        },
      );
  }

  const errorOf = (outcome: Outcome) => (outcome.ok ? undefined : outcome.error);

  it('refuses the call after the per-minute limit with RATE_LIMITED and the exact wait', async () => {
    const call = limiter();
    const search = tool('search', 1);
    for (const at of [0, 10_000, 20_000]) {
      now = at;
      expect((await call(search)).ok).toBe(true);
    }
    now = 30_500;
    const error = errorOf(await call(search));
    // The hit of 0 ms frees its slot at 60 000 ms: 29.5 s from now, rounded up to whole seconds.
    expect(error).toMatchObject({ error: 'RATE_LIMITED', retryable: true, retryAfter: 30 });
    expect(error?.message).toContain('search_v1 allows 3 calls per minute');
    expect(error?.message).toContain('29.5 s');
    expect(handlerRuns).toBe(3);
    expect(rejected).toEqual([{ kind: 'item', operation: 'tools/call', item: 'search_v1' }]);

    now = 60_000;
    expect((await call(search)).ok).toBe(true);
  });

  it('counts a multi-round call once: its later rounds (input-required) spend neither limit nor budget', async () => {
    const call = limiter({ perMinute: 1, budget: 1 });
    const remove = tool('remove', 1);
    expect((await call(remove)).ok).toBe(true);
    for (let round = 0; round < 3; round++)
      expect((await call(remove, { continuation: true })).ok).toBe(true);
    expect(handlerRuns).toBe(4);
    expect(errorOf(await call(remove))?.error).toBe('RATE_LIMITED');
  });

  it("uses the tool's own rateLimitPerMinute, shared by all its versions", async () => {
    const call = limiter({ perMinute: 100 });
    const v1 = tool('report', 1, { rateLimitPerMinute: 2 });
    const v2 = tool('report', 2, { rateLimitPerMinute: 2 });
    expect((await call(v1)).ok).toBe(true);
    expect((await call(v2)).ok).toBe(true);
    expect(errorOf(await call(v1))?.error).toBe('RATE_LIMITED');
    expect(errorOf(await call(v2))?.error).toBe('RATE_LIMITED');
  });

  it('counts each principal, and each anonymous IP, separately', async () => {
    const call = limiter({ perMinute: 1 });
    const search = tool('search', 1);
    expect((await call(search, { principal: alice })).ok).toBe(true);
    expect((await call(search, { principal: bob })).ok).toBe(true);
    expect((await call(search, { principal: alice })).ok).toBe(false);

    const fromIp = (clientIp: string) =>
      requestContext.run({ requestId: 'r', correlationId: 'c', principal: ANONYMOUS, clientIp }, () =>
        call(search, { principal: ANONYMOUS }),
      );
    expect((await fromIp('10.0.0.1')).ok).toBe(true);
    expect((await fromIp('10.0.0.2')).ok).toBe(true);
    expect((await fromIp('10.0.0.1')).ok).toBe(false);
  });

  it('turns the per-tool limit off at 0', async () => {
    const call = limiter({ perMinute: 0 });
    const outcomes = await Promise.all(Array.from({ length: 50 }, () => call(tool('search', 1))));
    expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
  });

  describe('call budget', () => {
    it('exhausts a run across tools with BUDGET_EXHAUSTED and the time its oldest call leaves the window', async () => {
      const call = limiter({ perMinute: 0, budget: 3, budgetWindowMs: 600_000 });
      const run = { runId: 'run-1' };
      now = 0;
      expect((await call(tool('search', 1), run)).ok).toBe(true);
      now = 60_000;
      expect((await call(tool('fetch', 1), run)).ok).toBe(true);
      expect((await call(tool('save', 1), run)).ok).toBe(true);

      now = 120_000;
      const error = errorOf(await call(tool('search', 1), run));
      expect(error).toMatchObject({ error: 'BUDGET_EXHAUSTED', retryable: true, retryAfter: 480 });
      expect(error?.message).toContain('Run run-1 has used its budget of 3 calls per 600 s');
      expect(rejected).toEqual([{ kind: 'budget', operation: 'tools/call', item: 'search_v1' }]);

      // Another run of the same caller has its own budget, and so has the same run id of another caller.
      expect((await call(tool('search', 1), { runId: 'run-2' })).ok).toBe(true);
      expect((await call(tool('search', 1), { runId: 'run-1', principal: bob })).ok).toBe(true);

      now = 600_000;
      expect((await call(tool('search', 1), run)).ok).toBe(true);
    });

    it('budgets a caller that names no run over the rolling window, and says how to do better', async () => {
      const call = limiter({ perMinute: 0, budget: 2, budgetWindowMs: 3_600_000 });
      expect((await call(tool('a', 1))).ok).toBe(true);
      expect((await call(tool('b', 1))).ok).toBe(true);
      const error = errorOf(await call(tool('c', 1)));
      expect(error).toMatchObject({ error: 'BUDGET_EXHAUSTED', retryAfter: 3600 });
      expect(error?.message).toContain('Send an X-Run-Id header');
    });

    it('spends no budget on a call the per-tool limit refused', async () => {
      const call = limiter({ perMinute: 1, budget: 2, budgetWindowMs: 3_600_000 });
      expect((await call(tool('search', 1))).ok).toBe(true);
      expect(errorOf(await call(tool('search', 1)))?.error).toBe('RATE_LIMITED');
      expect(errorOf(await call(tool('search', 1)))?.error).toBe('RATE_LIMITED');
      expect((await call(tool('fetch', 1))).ok).toBe(true);
      expect(errorOf(await call(tool('save', 1)))?.error).toBe('BUDGET_EXHAUSTED');
      expect(handlerRuns).toBe(2);
    });

    it("keeps callers' runs apart even when ids contain colons (alice:x + run y vs alice + run x:y)", async () => {
      const call = limiter({ perMinute: 0, budget: 1 });
      const aliceX: Principal = { id: 'alice:x', scopes: [], source: 'gateway' };
      const plainAlice: Principal = { id: 'alice', scopes: [], source: 'gateway' };
      expect((await call(tool('search', 1), { principal: aliceX, runId: 'y' })).ok).toBe(true);
      expect((await call(tool('search', 1), { principal: plainAlice, runId: 'x:y' })).ok).toBe(true);
    });

    it('caps a caller across all its runs: naming a new run does not reset the ceiling', async () => {
      const call = limiter({ perMinute: 0, budget: 5, callerBudget: 3, budgetWindowMs: 600_000 });
      const outcomes = [];
      for (const runId of ['r1', 'r2', 'r3', 'r4', 'r5'])
        outcomes.push(await call(tool('search', 1), { runId }));
      expect(outcomes.map((outcome) => outcome.ok)).toEqual([true, true, true, false, false]);
      const error = errorOf(outcomes[3] as Outcome);
      expect(error).toMatchObject({ error: 'BUDGET_EXHAUSTED', retryAfter: 600 });
      expect(error?.message).toContain('ceiling of 3 tool calls per 600 s across all its runs');
      // Another caller has its own ceiling.
      expect((await call(tool('search', 1), { runId: 'r1', principal: bob })).ok).toBe(true);
    });
  });
});
