import type { FeatureManifest } from '../feature.js';

/** The generated project's Biome line width: the file must pass `biome check` untouched. */
const LINE_WIDTH = 110;

const HEADER = `/**
 * Managed by create-prod-mcp: the feature modules this server is composed of, in setup order.
 * \`create-prod-mcp add\` and \`create-prod-mcp update\` rewrite this file; edit the feature folders instead.
 */`;

/** Punctuation sorts before digits and digits before letters; among punctuation, in Unicode collation order. */
const PUNCTUATION = '_-,;:!?.\'"()[]{}@*/\\&#%`^+<=>|~$';

/**
 * One segment's collation keys, as `Intl.Collator('en', { numeric: true, sensitivity: 'base' })` weighs it:
 * a run of digits is one number, letters ignore case. Written out rather than using Intl.Collator, whose
 * construction alone (loading ICU data) cost every create ~10 ms (issue 15); a unit test holds the two equal.
 */
function collationKeys(segment: string): (string | number)[] {
  return (segment.toLowerCase().match(/\d+|./gsu) ?? []).map((token) => {
    if (/^\d/.test(token)) return token;
    const punctuation = PUNCTUATION.indexOf(token);
    return punctuation >= 0 ? punctuation : token;
  });
}

function compareKeys(a: string | number, b: string | number): number {
  if (typeof a === 'number' || typeof b === 'number') {
    if (typeof a === 'number' && typeof b === 'number') return a - b;
    return typeof a === 'number' ? -1 : 1;
  }
  const aDigits = /^\d/.test(a);
  const bDigits = /^\d/.test(b);
  if (aDigits !== bDigits) return aDigits ? -1 : 1;
  if (aDigits) {
    const x = a.replace(/^0+/, '');
    const y = b.replace(/^0+/, '');
    return x.length !== y.length ? x.length - y.length : x < y ? -1 : x > y ? 1 : 0;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Two path segments in that collation order (negative, zero or positive, as a sort comparator). */
export function compareSegments(a: string, b: string): number {
  const as = collationKeys(a);
  const bs = collationKeys(b);
  for (let i = 0; i < Math.min(as.length, bs.length); i++) {
    const order = compareKeys(as[i] ?? '', bs[i] ?? '');
    if (order !== 0) return order;
  }
  return as.length - bs.length;
}

/**
 * Biome's organizeImports order for relative paths: segment by segment, natural (`d9` < `d10`) and
 * case-insensitive, so `./features/rate-limit/` sorts before `./features/rate-limit-memory/`.
 */
export function compareImportPaths(a: string, b: string): number {
  const as = a.split('/');
  const bs = b.split('/');
  for (let i = 0; i < Math.min(as.length, bs.length); i++) {
    const order = compareSegments(as[i] ?? '', bs[i] ?? '');
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
