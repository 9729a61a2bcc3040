import { z } from 'zod';
import { defineTool } from '../../../src/core/tool.js';

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
