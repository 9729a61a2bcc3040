import { execa } from 'execa';

/**
 * Whether the project's files are committed. add/update edit files in place, so they want a clean tree: then
 * `git diff` shows exactly what the run did and `git checkout .` undoes it. Only the project's own folder
 * counts, so a generated project inside a bigger repository is not blocked by unrelated changes.
 */
export type GitState = { kind: 'clean' } | { kind: 'dirty'; files: string[] } | { kind: 'not-a-repository' };

export async function gitState(dir: string): Promise<GitState> {
  const inside = await execa('git', ['rev-parse', '--is-inside-work-tree'], {
    cwd: dir,
    reject: false,
    stdin: 'ignore',
  });
  if (inside.failed || inside.stdout.trim() !== 'true') return { kind: 'not-a-repository' };
  const status = await execa('git', ['status', '--porcelain', '--untracked-files=all', '--', '.'], {
    cwd: dir,
    reject: false,
    stdin: 'ignore',
  });
  if (status.failed) return { kind: 'not-a-repository' };
  const files = status.stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => line.slice(3));
  return files.length === 0 ? { kind: 'clean' } : { kind: 'dirty', files };
}

/** The three versions of a conflicted file, for git's index. */
export interface UnmergedFile {
  path: string;
  base?: string;
  ours: string;
  theirs: string;
}

async function hashObject(dir: string, text: string): Promise<string> {
  const result = await execa('git', ['hash-object', '-w', '--stdin'], { cwd: dir, input: text });
  return result.stdout.trim();
}

/**
 * Records conflicted files the way `git merge` does: index stages 1 (base), 2 (yours) and 3 (the generator's).
 * `git status` then lists them as unmerged, editors offer their merge tools, and `git commit` refuses until
 * each file is resolved and `git add`ed, so conflict markers cannot be committed by accident.
 */
export async function markUnmerged(dir: string, files: readonly UnmergedFile[]): Promise<void> {
  if (files.length === 0) return;
  const prefix = (
    await execa('git', ['rev-parse', '--show-prefix'], { cwd: dir, stdin: 'ignore' })
  ).stdout.trim();
  const lines: string[] = [];
  for (const file of files) {
    const path = `${prefix}${file.path}`;
    const mode = file.ours.startsWith('#!') ? '100755' : '100644';
    lines.push(`0 ${'0'.repeat(40)}\t${path}`);
    if (file.base !== undefined) lines.push(`${mode} ${await hashObject(dir, file.base)} 1\t${path}`);
    lines.push(`${mode} ${await hashObject(dir, file.ours)} 2\t${path}`);
    lines.push(`${mode} ${await hashObject(dir, file.theirs)} 3\t${path}`);
  }
  await execa('git', ['update-index', '--index-info'], { cwd: dir, input: `${lines.join('\n')}\n` });
}
