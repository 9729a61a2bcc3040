import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Adds two tools to a generated project the way a user would (a file per version, listed in src/tools/index.ts):
 * `whoami_v1` returns the principal the handler was called as; `report_v1` declares the scope `reports:read`.
 */
export async function addProbeTools(dir: string): Promise<void> {
  await writeFile(
    join(dir, 'src/tools/whoami-v1.ts'),
    `import { z } from 'zod';
import { defineTool } from '../core/tool.js';

export const whoamiV1 = defineTool({
  name: 'whoami',
  version: 1,
  title: 'Who am I',
  description: 'Returns the caller as the server authenticated it.',
  input: z.object({}),
  output: z.object({ id: z.string(), scopes: z.array(z.string()), source: z.string() }),
  async handler(_args, { principal }) {
    return { id: principal.id, scopes: [...principal.scopes], source: principal.source };
  },
});

export const reportV1 = defineTool({
  name: 'report',
  version: 1,
  title: 'Report',
  description: 'Needs the reports:read scope.',
  input: z.object({}),
  output: z.object({ ok: z.boolean() }),
  scopes: ['reports:read'],
  async handler() {
    return { ok: true };
  },
});
`,
  );
  const index = join(dir, 'src/tools/index.ts');
  const text = await readFile(index, 'utf8');
  const listed = text.replace(
    'export const tools: readonly ToolDefinition[] = [',
    'export const tools: readonly ToolDefinition[] = [whoamiV1, reportV1, ',
  );
  if (listed === text) throw new Error(`${index}: the tool list is not where the probe expects it`);
  await writeFile(index, `import { reportV1, whoamiV1 } from './whoami-v1.js';\n${listed}`);
}
