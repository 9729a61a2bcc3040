import { parseDocument } from 'yaml';

const cache = new Map<string, unknown>();

/**
 * Parses one YAML document strictly (duplicate keys, bad indentation and YAML warnings all fail). The matrix
 * renders the same bytes many times, so results are cached by text; callers must not mutate them.
 */
export function parseYaml<T = Record<string, unknown>>(text: string, where: string): T {
  if (!cache.has(text)) {
    const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
    const problems = [...doc.errors, ...doc.warnings].map((e) => e.message);
    if (problems.length > 0) throw new Error(`${where} is not valid YAML:\n${problems.join('\n')}`);
    cache.set(text, doc.toJS());
  }
  return cache.get(text) as T;
}
