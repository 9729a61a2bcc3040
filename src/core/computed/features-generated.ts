import type { FeatureManifest } from '../feature.js';

/** The generated project's Biome line width: the file must pass `biome check` untouched. */
const LINE_WIDTH = 110;

const HEADER = `/**
 * Managed by create-prod-mcp: the feature modules this server is composed of, in setup order.
 * \`create-prod-mcp add\` and \`create-prod-mcp update\` rewrite this file; edit the feature folders instead.
 */`;

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/**
 * Biome's organizeImports order for relative paths: segment by segment, natural (`d9` < `d10`) and
 * case-insensitive, so `./features/rate-limit/` sorts before `./features/rate-limit-memory/`.
 */
export function compareImportPaths(a: string, b: string): number {
  const as = a.split('/');
  const bs = b.split('/');
  for (let i = 0; i < Math.min(as.length, bs.length); i++) {
    const order = collator.compare(as[i] ?? '', bs[i] ?? '');
    if (order !== 0) return order;
  }
  return as.length - bs.length;
}

/** `src/features.generated.ts`: imports sorted the way Biome sorts them, the list in composition order. */
export function featuresGenerated(features: readonly FeatureManifest[]): string {
  const modules = features.flatMap((f) => (f.module ? [f.module] : []));
  const imports = [...modules]
    .sort((a, b) => compareImportPaths(a.from, b.from))
    .map((m) => `import { ${m.export} } from '${m.from}';`);
  const names = modules.map((m) => m.export);
  const oneLine = `export const features = [${names.join(', ')}] as const;`;
  const list =
    oneLine.length <= LINE_WIDTH
      ? oneLine
      : `export const features = [\n${names.map((n) => `  ${n},`).join('\n')}\n] as const;`;
  const body = imports.length > 0 ? `${imports.join('\n')}\n\n${list}` : list;
  return `${HEADER}\n${body}\n`;
}
