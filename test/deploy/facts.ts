import type { VirtualTree } from '../../src/core/tree.js';

/**
 * Facts about the generated server that the deploy files must agree with, read from the rendered tree itself
 * (never restated here), so a change on the server side that breaks a deploy file fails these tests.
 */

/** A `milliseconds(<default>)` variable's default in the generated src/config.ts. */
export function configDefaultMs(tree: VirtualTree, name: string): number {
  const config = tree.get('src/config.ts') ?? '';
  const match = new RegExp(`\\b${name}: milliseconds\\(([\\d_]+)\\)`).exec(config);
  if (!match?.[1]) {
    throw new Error(
      `src/config.ts does not declare ${name}: milliseconds(<default>); update test/deploy/facts.ts`,
    );
  }
  return Number(match[1].replaceAll('_', ''));
}

/** A variable's value in .env.example (the default the server uses when it is unset). */
export function envExampleValue(tree: VirtualTree, name: string): string | undefined {
  const match = new RegExp(`^#?\\s*${name}=(.*)$`, 'm').exec(tree.get('.env.example') ?? '');
  return match?.[1];
}

/** Every variable .env.example documents (live or commented out): what the server reads. */
export function documentedEnv(tree: VirtualTree): Set<string> {
  const names = new Set<string>();
  for (const line of (tree.get('.env.example') ?? '').split('\n')) {
    const match = /^#?\s*([A-Z][A-Z0-9_]*)=/.exec(line);
    if (match?.[1]) names.add(match[1]);
  }
  return names;
}

const isServerSource = (path: string): boolean =>
  path.startsWith('src/') && path.endsWith('.ts') && !path.endsWith('.test.ts');

/** Whether the server's own source (not its tests) declares a `Route` (core/feature.ts) with this path. */
export function serverRoutes(tree: VirtualTree, path: string): boolean {
  return [...tree].some(([file, text]) => isServerSource(file) && text.includes(`path: '${path}'`));
}

/** `dist/x/y.js` → `src/x/y.ts`: the TypeScript file `npm run build` compiles to it (rootDir src, outDir dist). */
export function sourceOf(distPath: string): string {
  return distPath
    .replace(/^\.\//, '')
    .replace(/^dist\//, 'src/')
    .replace(/\.js$/, '.ts');
}

export const scripts = (tree: VirtualTree): Record<string, string> =>
  (JSON.parse(tree.get('package.json') ?? '{}') as { scripts?: Record<string, string> }).scripts ?? {};
