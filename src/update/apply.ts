import { readdir, rmdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { applyFiles } from '../core/write.js';
import type { Plan } from './plan.js';

/**
 * Writes a plan all or nothing (core/write.ts stages every file and puts everything back on a failure), then
 * removes the folders its deletes emptied, so switching memory → redis leaves no empty feature folder.
 */
export async function applyPlan(dir: string, plan: Plan): Promise<void> {
  const writes = new Map<string, string>();
  const deletes: string[] = [];
  for (const change of plan.changes) {
    if (change.kind === 'delete') deletes.push(change.path);
    else if (change.after !== undefined) writes.set(change.path, change.after);
  }
  if (writes.size === 0 && deletes.length === 0) return;
  await applyFiles(dir, writes, deletes);
  for (const path of deletes) await removeEmptyParents(dir, dirname(path));
}

async function removeEmptyParents(root: string, folder: string): Promise<void> {
  for (let current = folder; current !== '.' && current !== ''; current = dirname(current)) {
    const full = join(root, current);
    try {
      if ((await readdir(full)).length > 0) return;
      await rmdir(full);
    } catch {
      return;
    }
  }
}
