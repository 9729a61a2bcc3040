import { UriTemplate } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { type PromptDefinition, promptName } from '../../src/core/prompt.js';
import { type AnyResource, isTemplate } from '../../src/core/resource.js';
import { publishedName, type ToolDefinition } from '../../src/core/tool.js';
import { type JsonSchema, type ToolSchemas, toolSchemas } from '../../src/core/tool-schema.js';

export type LockedTool = ToolSchemas & { sunset?: string };
/** Prompt arguments travel as strings, but their zod schema says more (required, enums, descriptions). */
export type LockedPrompt = { arguments: JsonSchema; sunset?: string };
/** What a client addresses a resource by: a URI, or a URI template and its variables. */
export type LockedResource = { mimeType?: string } & (
  | { uri: string }
  | { uriTemplate: string; variables: string[] }
);

/**
 * tools.lock.json, format 2: every shape the server publishes. Format 1 (create-prod-mcp 0.1.x) was a bare
 * map of tools; it reads as a lock whose `prompts` and `resources` were never written (absent, not empty).
 */
export interface SchemaLock {
  lockfileVersion: 2;
  tools: Record<string, LockedTool>;
  prompts?: Record<string, LockedPrompt>;
  resources?: Record<string, LockedResource>;
}

export interface Published {
  tools: readonly ToolDefinition[];
  prompts: readonly PromptDefinition[];
  resources: readonly AnyResource[];
}

const sortedBy = <T>(items: readonly T[], key: (item: T) => string) =>
  [...items].sort((a, b) => key(a).localeCompare(key(b)));

export function lockOf({ tools, prompts, resources }: Published): Required<SchemaLock> {
  const lock: Required<SchemaLock> = { lockfileVersion: 2, tools: {}, prompts: {}, resources: {} };
  for (const tool of sortedBy(tools, publishedName)) {
    lock.tools[publishedName(tool)] = {
      ...toolSchemas(tool),
      ...(tool.deprecated && { sunset: tool.deprecated.sunset }),
    };
  }
  for (const prompt of sortedBy(prompts, promptName)) {
    lock.prompts[promptName(prompt)] = {
      arguments: z.toJSONSchema(prompt.args ?? z.object({}), { target: 'draft-2020-12', io: 'input' }),
      ...(prompt.deprecated && { sunset: prompt.deprecated.sunset }),
    };
  }
  for (const resource of sortedBy(resources, (r) => r.name)) {
    const address = isTemplate(resource)
      ? {
          uriTemplate: resource.uriTemplate,
          variables: new UriTemplate(resource.uriTemplate).variableNames,
        }
      : { uri: resource.uri };
    lock.resources[resource.name] = { ...address, ...(resource.mimeType && { mimeType: resource.mimeType }) };
  }
  return lock;
}

/** Reads either format; a newer format than this script knows is refused rather than misread. */
export function parseLock(text: string): SchemaLock {
  const raw = JSON.parse(text) as Record<string, unknown>;
  if (!('lockfileVersion' in raw)) return { lockfileVersion: 2, tools: raw as SchemaLock['tools'] };
  if (raw.lockfileVersion !== 2) {
    throw new Error(
      `tools.lock.json has lockfileVersion ${String(raw.lockfileVersion)}: it was written by a newer scripts/lib/tools-lock.ts than this one.`,
    );
  }
  return raw as unknown as SchemaLock;
}

export interface LockProblems {
  /** A published shape changed or vanished before its sunset: never fixed by re-locking. */
  breaking: string[];
  /** New versions or resources that are not locked yet: `npm run tools:lock` records them. */
  unlocked: string[];
  /** Kinds an older lock never covered (it locked tools only): not a failure; the next tools:lock adds them. */
  uncovered: string[];
}

type Kind = 'tools' | 'prompts' | 'resources';
type Entry = Record<string, unknown> & { sunset?: string };
const LABEL: Record<Kind, string> = { tools: 'Tool', prompts: 'Prompt', resources: 'Resource' };
const PART: Record<string, string> = {
  input: 'input schema',
  output: 'output schema',
  uri: 'URI',
  uriTemplate: 'URI template',
  mimeType: 'MIME type',
};
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const nextVersion = (name: string) => name.replace(/_v(\d+)$/, (_, n: string) => `_v${Number(n) + 1}`);
const and = (words: string[]) =>
  words.length > 1 ? `${words.slice(0, -1).join(', ')} and ${words.at(-1)}` : (words[0] ?? '');

function changed(kind: Kind, name: string, parts: string[]): string {
  const what = `${LABEL[kind]} ${name}: its ${and(parts.map((part) => PART[part] ?? part))} changed since it was published.`;
  if (kind === 'resources') {
    return `${what} Clients address it by that: keep serving it as it was, and publish the change as a new resource beside it.`;
  }
  return `${what} Published versions are frozen: add a new version instead (e.g. ${nextVersion(name)}) and leave ${name} as it was.`;
}

function removed(kind: Kind, name: string): string {
  if (kind === 'resources') {
    return `Resource ${name} was removed, but it is published: clients reading it would get not-found. Keep serving it (re-lock with npm run tools:lock -- --force only if no client ever read it).`;
  }
  return `${LABEL[kind]} ${name} was removed, but it is published: mark it deprecated (replacedBy, sunset) and remove it after the sunset.`;
}

/**
 * Compares what is committed with what the code publishes. Agents cache tool and prompt schemas and hold
 * resource URIs, so a published shape must never change under them: a change is a new version, and an old
 * version only goes away after the sunset it announced.
 */
export function compareLock(
  locked: SchemaLock,
  current: Required<SchemaLock>,
  now = Date.now(),
): LockProblems {
  const problems: LockProblems = { breaking: [], unlocked: [], uncovered: [] };
  for (const kind of ['tools', 'prompts', 'resources'] as const) {
    const before = locked[kind] as Record<string, Entry> | undefined;
    const after = current[kind] as Record<string, Entry>;
    if (before === undefined) {
      const names = Object.keys(after);
      if (names.length > 0) {
        problems.uncovered.push(
          `${LABEL[kind]}s are not in tools.lock.json yet (it was written before they were locked): run npm run tools:lock to lock ${and(names)}.`,
        );
      }
      continue;
    }
    for (const [name, published] of Object.entries(before)) {
      const next = after[name];
      if (next === undefined) {
        if (published.sunset === undefined || Date.parse(published.sunset) > now)
          problems.breaking.push(removed(kind, name));
        continue;
      }
      const parts = [...new Set([...Object.keys(published), ...Object.keys(next)])].filter(
        (part) => part !== 'sunset' && !same(published[part], next[part]),
      );
      if (parts.length > 0) problems.breaking.push(changed(kind, name, parts));
    }
    for (const name of Object.keys(after)) {
      if (!(name in before))
        problems.unlocked.push(
          `${LABEL[kind]} ${name} is not in tools.lock.json yet: run npm run tools:lock.`,
        );
    }
  }
  return problems;
}

const count = (entries: object, what: string) => {
  const n = Object.keys(entries).length;
  return `${n} ${what}${n === 1 ? '' : 's'}`;
};

/** "3 tool versions, 1 prompt version and 2 resources": what the lock holds, kinds it never covered left out. */
export function summary(lock: SchemaLock): string {
  const counts = [count(lock.tools, 'tool version')];
  if (lock.prompts) counts.push(count(lock.prompts, 'prompt version'));
  if (lock.resources) counts.push(count(lock.resources, 'resource'));
  return and(counts);
}
