import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Writes a tool file into a generated project and lists its exports first in src/tools/index.ts, the way a
 * user adds a tool (a file per version, listed in the index).
 */
export async function addToolFile(dir: string, file: string, source: string, names: readonly string[]) {
  await writeFile(join(dir, 'src/tools', file), source);
  const index = join(dir, 'src/tools/index.ts');
  const text = await readFile(index, 'utf8');
  const listed = text.replace(
    'export const tools: readonly ToolDefinition[] = [',
    `export const tools: readonly ToolDefinition[] = [${names.join(', ')}, `,
  );
  if (listed === text) throw new Error(`${index}: the tool list is not where the probe expects it`);
  const module = `./${file.replace(/\.ts$/, '.js')}`;
  await writeFile(index, `import { ${[...names].sort().join(', ')} } from '${module}';\n${listed}`);
}

/**
 * Adds two tools: `whoami_v1` returns the principal the handler was called as; `report_v1` declares the
 * scope `reports:read`.
 */
export async function addProbeTools(dir: string): Promise<void> {
  await addToolFile(
    dir,
    'whoami-v1.ts',
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
    ['whoamiV1', 'reportV1'],
  );
}

/** Adds `broken_v1`, whose handler throws an unexpected error with a secret in its message (→ INTERNAL). */
export async function addBrokenTool(dir: string): Promise<void> {
  await addToolFile(
    dir,
    'broken-v1.ts',
    `import { z } from 'zod';
import { defineTool } from '../core/tool.js';

export const brokenV1 = defineTool({
  name: 'broken',
  version: 1,
  title: 'Broken',
  description: 'Always fails unexpectedly.',
  input: z.object({}),
  output: z.object({ ok: z.boolean() }),
  async handler() {
    throw new Error('connection to db failed: password hunter2 rejected');
  },
});
`,
    ['brokenV1'],
  );
}
