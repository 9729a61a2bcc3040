import type { Client } from '@modelcontextprotocol/client';
import { expect, it } from 'vitest';
import { z } from 'zod';
import { defineTool } from '../../src/core/tool.js';
import { reportSummaryV1 } from '../fixtures/prompts.js';
import { reportsResource } from '../fixtures/resources.js';
import { connectClient } from './http-server.js';
import { envelopeOf } from './results.js';

/** How many times a probe tool's handler ran: a rejected request must leave it unchanged. */
export const handlerRuns = { count: 0 };

/** Returns the principal the call reached the handler as. */
export const whoami = defineTool({
  name: 'whoami',
  version: 1,
  title: 'Who am I',
  description: 'Returns the caller as the server authenticated it.',
  input: z.object({}),
  output: z.object({ id: z.string(), scopes: z.array(z.string()), source: z.string() }),
  handler: async (_args, { principal }) => {
    handlerRuns.count++;
    return { id: principal.id, scopes: [...principal.scopes], source: principal.source };
  },
});

/** Needs the `reports:read` scope. */
export const report = defineTool({
  name: 'report',
  version: 1,
  title: 'Report',
  description: 'Needs the reports:read scope.',
  input: z.object({}),
  output: z.object({ ok: z.boolean() }),
  scopes: ['reports:read'],
  handler: async () => {
    handlerRuns.count++;
    return { ok: true };
  },
});

/** What an auth test's server publishes: the probes, and a resource and a prompt that need `reports:read`. */
export const probes = { tools: [whoami, report], resources: [reportsResource], prompts: [reportSummaryV1] };

/** What every auth mode must answer a caller without `reports:read`: FORBIDDEN naming the scope, no handler run. */
const REFUSED_FOR_SCOPE = {
  ran: false,
  envelope: { error: 'FORBIDDEN', retryable: false, message: expect.stringContaining('reports:read') },
};

/** Calls `report` as `client`, then closes it: the error envelope, and whether the handler ran anyway. */
async function callReport(client: Client) {
  const runsBefore = handlerRuns.count;
  const result = await client.callTool({ name: 'report_v1', arguments: {} });
  await client.close();
  return { envelope: envelopeOf(result), ran: handlerRuns.count !== runsBefore };
}

/** A read or get as the caller saw it: `served`, or the JSON-RPC error's code and data (the envelope). */
const answer = (pending: Promise<unknown>) =>
  pending.then(
    () => 'served',
    (error: { code?: number; data?: unknown }) => ({ code: error.code, data: error.data }),
  );

/**
 * The scoped resource and prompt as `client` sees them, then closes it: whether its lists show them, and how
 * a read and a get are answered. Lists vary per caller, so an agent is never offered what it cannot use.
 */
async function useScopedItems(client: Client) {
  const { resources } = await client.listResources();
  const { prompts } = await client.listPrompts();
  const seen = {
    listed: [
      ...resources.filter((r) => r.uri === reportsResource.uri).map((r) => r.name),
      ...prompts.filter((p) => p.name === 'report_summary_v1').map((p) => p.name),
    ],
    read: await answer(client.readResource({ uri: reportsResource.uri })),
    get: await answer(client.getPrompt({ name: 'report_summary_v1' })),
  };
  await client.close();
  return seen;
}

/** A caller without `reports:read`: neither item listed, both refused with FORBIDDEN naming the scope. */
const HIDDEN_AND_REFUSED = {
  listed: [],
  read: { code: -32000, data: REFUSED_FOR_SCOPE.envelope },
  get: { code: -32000, data: REFUSED_FOR_SCOPE.envelope },
};

/** A caller with `reports:read`: both listed, both served. */
const LISTED_AND_SERVED = { listed: ['reports', 'report_summary_v1'], read: 'served', get: 'served' };

/** How a scope test reaches the server: its URL, and the headers of a caller without and with `reports:read`. */
interface ScopeCallers {
  url: () => URL;
  without: () => Promise<Record<string, string>>;
  with: () => Promise<Record<string, string>>;
  /**
   * The era of the client refused the tool. 'legacy' where a 2026-07-28 client is refused at the HTTP layer
   * instead (JWT: 403 insufficient_scope, tested beside it), so only a 2025 client reaches the tool result.
   */
  toolEra?: 'legacy' | 'modern';
}

/**
 * The scope tests every auth mode runs, whatever proves the caller: without `reports:read` the tool is refused
 * and the scoped resource and prompt are neither listed nor served; with it, both are listed and served.
 */
export function scopeTests(callers: ScopeCallers) {
  const era = callers.toolEra ?? 'modern';
  it(`missing scope (${era} client): the tool is refused with FORBIDDEN naming the scope, and never runs`, async () => {
    const client = await connectClient(callers.url(), await callers.without(), { era });
    expect(await callReport(client)).toMatchObject(REFUSED_FOR_SCOPE);
  });

  it('missing scope: a scoped resource and prompt are refused with FORBIDDEN and left out of the lists', async () => {
    const client = await connectClient(callers.url(), await callers.without());
    expect(await useScopedItems(client)).toMatchObject(HIDDEN_AND_REFUSED);
  });

  it('with reports:read: the scoped resource and prompt are listed and served', async () => {
    const client = await connectClient(callers.url(), await callers.with());
    expect(await useScopedItems(client)).toEqual(LISTED_AND_SERVED);
  });
}
