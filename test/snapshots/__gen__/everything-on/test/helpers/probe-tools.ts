import type { Client } from '@modelcontextprotocol/client';
import { expect } from 'vitest';
import { z } from 'zod';
import { defineTool } from '../../src/core/tool.js';
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

/** What every auth mode must answer a caller without `reports:read`: FORBIDDEN naming the scope, no handler run. */
export const REFUSED_FOR_SCOPE = {
  ran: false,
  envelope: { error: 'FORBIDDEN', retryable: false, message: expect.stringContaining('reports:read') },
};

/** Calls `report` as `client`, then closes it: the error envelope, and whether the handler ran anyway. */
export async function callReport(client: Client) {
  const runsBefore = handlerRuns.count;
  const result = await client.callTool({ name: 'report_v1', arguments: {} });
  await client.close();
  return { envelope: envelopeOf(result), ran: handlerRuns.count !== runsBefore };
}
