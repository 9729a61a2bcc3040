import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Answers } from './answers.js';
import { classify } from './classes.js';
import { UsageError } from './errors.js';
import type { FileClass } from './feature.js';
import { printable } from './printable.js';
import { sha256, type VirtualTree } from './tree.js';
import { parseAnswers } from './validate.js';
import { GENERATOR } from './version.js';

/**
 * `prod-mcp.lock.json`: what we generated, so `add` / `update` can tell our bytes from the user's.
 * Committed with the project, never hand-edited. Not listed in itself (it cannot hash itself).
 */
export const LOCK_FILE = 'prod-mcp.lock.json';

export interface LockEntry {
  class: FileClass;
  sha256: string;
}

export interface Lock {
  generator: { name: string; version: string };
  answers: Answers;
  files: Record<string, LockEntry>;
}

export function createLock(answers: Answers, tree: VirtualTree): Lock {
  const files: Record<string, LockEntry> = {};
  for (const path of [...tree.keys()].sort()) {
    if (path === LOCK_FILE) continue;
    files[path] = { class: classify(path), sha256: sha256(tree.get(path) ?? '') };
  }
  return { generator: { ...GENERATOR }, answers: { ...answers }, files };
}

/** The lock's text: stable key order and a trailing newline, formatted as Biome would format it. */
export const serializeLock = (lock: Lock): string => `${JSON.stringify(lock, null, 2)}\n`;

/** The tree plus its lock file: exactly what a create writes. */
export function withLock(answers: Answers, tree: VirtualTree): VirtualTree {
  const out = new Map(tree);
  out.set(LOCK_FILE, serializeLock(createLock(answers, tree)));
  return new Map([...out.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

const FILE_CLASSES: readonly string[] = ['managed', 'seed', 'merged', 'structured'];

/** Parses and checks a lock file's text; every problem names the file and the field. */
export function parseLock(text: string, where = LOCK_FILE): Lock {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new UsageError(
      `${where} is not valid JSON (${printable((error as Error).message)}); restore it from git`,
    );
  }
  const lock = raw as Partial<Lock> | null;
  if (typeof lock !== 'object' || lock === null) throw new UsageError(`${where} is not a JSON object`);
  const gen = lock.generator;
  if (typeof gen?.name !== 'string' || typeof gen.version !== 'string') {
    throw new UsageError(`${where}: generator.name / generator.version are missing`);
  }
  const answers = parseAnswers(lock.answers, where);
  if (typeof lock.files !== 'object' || lock.files === null)
    throw new UsageError(`${where}: "files" is missing`);
  for (const [path, entry] of Object.entries(lock.files)) {
    if (!FILE_CLASSES.includes(entry?.class) || !/^[0-9a-f]{64}$/.test(entry?.sha256 ?? '')) {
      throw new UsageError(`${where}: files["${printable(path)}"] needs a class and a sha256`);
    }
  }
  return { generator: { name: gen.name, version: gen.version }, answers, files: lock.files };
}

/** Reads `<dir>/prod-mcp.lock.json`, or returns undefined when the directory has none. */
export async function readLock(dir: string): Promise<Lock | undefined> {
  const path = join(dir, LOCK_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return parseLock(text, path);
}
