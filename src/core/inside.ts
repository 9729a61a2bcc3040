import { lstat, readlink, realpath } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { UsageError } from './errors.js';

/**
 * Symbolic links must not carry a write, move or delete out of the project (CWE-59): a `deploy/` that links
 * to /etc would get the systemd unit written there, a linked feature folder would have its target's files
 * deleted. Every path the generator is about to touch is resolved one segment at a time; a segment that is a
 * link must resolve inside the project's real root (a link to another folder of the project is fine). The
 * root itself may be reached through links (a symlinked home or /tmp): only where a path leads from the real
 * root counts. Nothing is written when any path fails, and the message names the path, the link and where it
 * leads.
 */

const within = (root: string, path: string): boolean => {
  const rel = relative(root, path);
  return rel === '' || (!isAbsolute(rel) && rel !== '..' && !rel.startsWith(`..${sep}`));
};

/** Why `path` (relative to root) is unsafe to write, move or delete, or undefined when it is safe. */
async function problemWith(root: string, realRoot: string, path: string): Promise<string | undefined> {
  const segments = path.split('/');
  for (let i = 1; i <= segments.length; i++) {
    const shown = segments.slice(0, i).join('/');
    const full = join(root, shown);
    let stats: Awaited<ReturnType<typeof lstat>>;
    try {
      stats = await lstat(full);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // The rest does not exist yet: it will be created inside the (checked) folder above it.
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      throw error;
    }
    if (!stats.isSymbolicLink()) continue;
    let target: string;
    try {
      target = await realpath(full);
    } catch {
      const points = resolve(join(root, shown, '..'), await readlink(full));
      return `${shown} is a symbolic link to ${points}, which does not exist`;
    }
    if (!within(realRoot, target)) {
      return `${shown} is a symbolic link to ${target}, outside the project (${realRoot})`;
    }
  }
  return undefined;
}

/**
 * Throws a UsageError (nothing written yet) listing every path that would reach outside `root` through a
 * symbolic link. `action` completes "refusing to …" ("write the update", "create the project").
 */
export async function assertInsideProject(
  root: string,
  paths: Iterable<string>,
  action: string,
): Promise<void> {
  let realRoot: string;
  try {
    realRoot = await realpath(root);
  } catch {
    return; // No project folder: the caller reports that (e.g. "no prod-mcp.lock.json in …").
  }
  const problems: string[] = [];
  for (const path of new Set(paths)) {
    const problem = await problemWith(root, realRoot, path);
    if (problem !== undefined) problems.push(`${path}: ${problem}`);
  }
  if (problems.length === 0) return;
  const shown = problems.slice(0, 8).map((line) => `  ${line}`);
  if (problems.length > 8) shown.push(`  and ${problems.length - 8} more`);
  throw new UsageError(
    `Refusing to ${action}: it would write, move or delete files outside the project through symbolic links ` +
      `(nothing was written):\n${shown.join('\n')}\n` +
      'Replace each link with a real folder or file inside the project (or remove it), then run again.',
  );
}
