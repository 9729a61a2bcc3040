import { publishedName, type ToolDefinition } from '../../src/core/tool.js';
import { type ToolSchemas, toolSchemas } from '../../src/core/tool-schema.js';

/** Published name → the JSON Schemas clients saw, and the sunset of a deprecated version. */
export type ToolsLock = Record<string, ToolSchemas & { sunset?: string }>;

export function lockOf(tools: readonly ToolDefinition[]): ToolsLock {
  const lock: ToolsLock = {};
  for (const tool of [...tools].sort((a, b) => publishedName(a).localeCompare(publishedName(b)))) {
    lock[publishedName(tool)] = {
      ...toolSchemas(tool),
      ...(tool.deprecated && { sunset: tool.deprecated.sunset }),
    };
  }
  return lock;
}

export interface LockProblems {
  /** A published version's schema changed or it vanished before its sunset: never fixed by re-locking. */
  breaking: string[];
  /** New versions that are not locked yet: `npm run tools:lock` records them. */
  unlocked: string[];
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Compares what is committed with what the code publishes. Agents cache tool schemas, so a published
 * version must never change under them: a change is a new version, and an old version only goes away
 * after the sunset it announced.
 */
export function compareLock(locked: ToolsLock, current: ToolsLock, now = Date.now()): LockProblems {
  const problems: LockProblems = { breaking: [], unlocked: [] };
  for (const [name, published] of Object.entries(locked)) {
    const next = current[name];
    if (next === undefined) {
      if (published.sunset !== undefined && Date.parse(published.sunset) <= now) continue;
      problems.breaking.push(
        `${name} was removed, but it is published: mark it deprecated (replacedBy, sunset) and remove it after the sunset.`,
      );
      continue;
    }
    for (const part of ['input', 'output'] as const) {
      if (!same(published[part], next[part])) {
        const nextVersion = name.replace(/_v(\d+)$/, (_, n: string) => `_v${Number(n) + 1}`);
        problems.breaking.push(
          `${name}: its ${part} schema changed since it was published. Published versions are frozen: add a new version instead (e.g. ${nextVersion}) and leave ${name} as it was.`,
        );
      }
    }
  }
  for (const name of Object.keys(current)) {
    if (!(name in locked))
      problems.unlocked.push(`${name} is not in tools.lock.json yet: run npm run tools:lock.`);
  }
  return problems;
}
