import type { Answers } from '../answers.js';
import type { FeatureManifest } from '../feature.js';
import { PROJECT_ENGINES } from '../node-version.js';
import { PUBLISHED_GENERATOR_COMMAND } from '../version.js';

type StringMap = Record<string, string>;
const MAP_FIELDS = ['scripts', 'dependencies', 'devDependencies'] as const;

/**
 * Merges one map field from every enabled manifest. Two features asking for different values of the same
 * key is a bug in our manifests, not a user error: fail loudly, naming both, rather than pick one.
 */
function mergeField(features: readonly FeatureManifest[], field: (typeof MAP_FIELDS)[number]): StringMap {
  const merged: StringMap = {};
  const owner: Record<string, string> = {};
  for (const feature of features) {
    for (const [key, value] of Object.entries(feature[field] ?? {})) {
      const previous = merged[key];
      if (previous !== undefined && previous !== value) {
        throw new Error(
          `package.json ${field}.${key}: feature "${owner[key]}" wants "${previous}" but "${feature.id}" wants "${value}"`,
        );
      }
      merged[key] = value;
      owner[key] = feature.id;
    }
  }
  return sortKeys(merged);
}

const sortKeys = (map: StringMap): StringMap =>
  Object.fromEntries(Object.entries(map).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** The enabled features' preload modules, in feature order (see FeatureManifest.preload). */
export const preloads = (features: readonly FeatureManifest[]): string[] =>
  features.flatMap((f) => (f.preload ? [f.preload] : []));

/**
 * `node dist/main.js` → `node --import <preload>... dist/main.js`: instrumentation must load before the server
 * imports what it patches. Only a `start` script that runs `node` is rewritten.
 */
export function withPreloads(command: string, modules: readonly string[]): string {
  if (modules.length === 0 || !command.startsWith('node ')) return command;
  return `node ${modules.map((m) => `--import ${m}`).join(' ')} ${command.slice('node '.length)}`;
}

/**
 * package.json as data: fixed fields first, then what the features need, keys sorted (as npm writes them).
 * `generator` is the command that runs create-prod-mcp (version.ts): the `prod-mcp` script every hint uses.
 */
export function packageJson(
  answers: Answers,
  features: readonly FeatureManifest[],
  generator: string = PUBLISHED_GENERATOR_COMMAND,
): string {
  const pkg: Record<string, unknown> = {
    name: answers.name,
    version: '0.1.0',
    private: true,
    type: 'module',
    engines: { node: PROJECT_ENGINES },
  };
  for (const field of MAP_FIELDS) {
    const merged = mergeField(features, field);
    if (field === 'scripts') {
      if (merged.start !== undefined) merged.start = withPreloads(merged.start, preloads(features));
      pkg.scripts = sortKeys({ ...merged, 'prod-mcp': generator });
    } else if (Object.keys(merged).length > 0) pkg[field] = merged;
  }
  return `${JSON.stringify(pkg, null, 2)}\n`;
}
