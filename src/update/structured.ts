import { mergeEnv } from './env-merge.js';
import { mergeJson, type StructuredMerge } from './json-merge.js';

/**
 * Key-level merge for a structured file, chosen by its name; undefined when the file is not one we can read
 * as data right now (the user's JSON does not parse), so the caller falls back to a line merge.
 */
export function mergeStructured(
  path: string,
  ours: string,
  base: string,
  theirs: string,
): StructuredMerge | undefined {
  const name = path.split('/').at(-1) ?? path;
  if (name.startsWith('.env')) return mergeEnv(ours, base, theirs);
  if (name.endsWith('.json')) return mergeJson(ours, base, theirs);
  return undefined;
}
