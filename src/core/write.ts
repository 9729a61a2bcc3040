import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { assertInsideProject } from './inside.js';
import { isExecutable, type VirtualTree } from './tree.js';

/**
 * All-or-nothing writes. A create renders into a staging folder next to the target (same filesystem, so the
 * final step is one rename) and a failure anywhere removes the staging folder: no half-written project.
 * Writing into an existing folder (`--force`, `add`, `update`) stages the same way, then moves files into
 * place one by one, keeping what it replaced; a failure puts every replaced file back. No write, move or delete
 * may pass through a symbolic link that leads out of the project (inside.ts): checked for every path first.
 */

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Synchronous on purpose: a hundred small files written one promise at a time spent most of their time waiting
 * for the thread pool (issue 15), and a CLI has nothing else to do meanwhile. Each folder is made once.
 */
function writeTree(root: string, tree: VirtualTree): void {
  const made = new Set<string>();
  for (const [path, text] of tree) {
    const file = join(root, path);
    const dir = dirname(file);
    if (!made.has(dir)) mkdirSync(dir, { recursive: true });
    made.add(dir);
    writeFileSync(file, text, { mode: isExecutable(text) ? 0o755 : 0o644 });
  }
}

/**
 * Writes a new project at `target`. When the folder already exists (empty, holding only `.git`, or `--force`:
 * the caller decides what is acceptable) the files are moved in with applyFiles, all or nothing as well.
 */
export async function writeNewProject(target: string, tree: VirtualTree): Promise<void> {
  if (await exists(target)) {
    await applyFiles(target, tree);
    return;
  }
  const parent = dirname(target);
  const createdParent = await mkdir(parent, { recursive: true });
  const staging = await mkdtemp(join(parent, `.${basename(target)}.prod-mcp-`));
  try {
    writeTree(staging, tree);
    await rename(staging, target);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    if (createdParent) await rm(createdParent, { recursive: true, force: true });
    throw error;
  }
}

/** What one applyFiles call did, in order, so a failure can undo exactly that. */
interface Step {
  path: string;
  /** Where the previous version was moved, when there was one. */
  backup?: string;
  /** Whether a new file now sits at `path`. */
  written: boolean;
}

/**
 * Writes `writes` and removes `deletes` inside an existing directory, all or nothing.
 */
export async function applyFiles(
  target: string,
  writes: VirtualTree,
  deletes: readonly string[] = [],
): Promise<void> {
  // Before anything moves: no path may lead out of the project through a symbolic link (see inside.ts).
  await assertInsideProject(target, [...writes.keys(), ...deletes], `write into ${target}`);
  const staging = await mkdtemp(join(target, '.prod-mcp-staging-'));
  const steps: Step[] = [];
  const createdDirs: string[] = [];
  try {
    writeTree(join(staging, 'new'), writes);
    const backupOf = async (path: string): Promise<string | undefined> => {
      const current = join(target, path);
      if (!(await exists(current))) return undefined;
      const backup = join(staging, 'old', path);
      await mkdir(dirname(backup), { recursive: true });
      await rename(current, backup);
      return backup;
    };
    for (const path of writes.keys()) {
      const step: Step = { path, written: false };
      steps.push(step);
      step.backup = await backupOf(path);
      const made = await mkdir(dirname(join(target, path)), { recursive: true });
      if (made) createdDirs.push(made);
      await rename(join(staging, 'new', path), join(target, path));
      step.written = true;
    }
    for (const path of deletes) {
      const step: Step = { path, written: false };
      steps.push(step);
      step.backup = await backupOf(path);
    }
  } catch (error) {
    for (const step of steps.reverse()) {
      if (step.written) await rm(join(target, step.path), { force: true });
      if (step.backup) await rename(step.backup, join(target, step.path));
    }
    // Folders we created hold nothing now: every file written into them was just removed.
    for (const dir of createdDirs.reverse()) await rm(dir, { recursive: true, force: true });
    throw error;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
