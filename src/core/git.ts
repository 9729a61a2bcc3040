import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import type { StepResult } from './install.js';
import { GENERATOR } from './version.js';

const git = (dir: string, args: string[]) => execa('git', args, { cwd: dir, stdin: 'ignore', reject: false });

/**
 * `git init` + a first commit, so the user's first diff shows their own changes and `update` has a clean tree
 * to start from. Skipped (not failed) without git or inside an existing repository. Without a configured
 * identity (fresh CI machines, containers) the commit is made as create-prod-mcp for this one commit only;
 * the user's git config is not touched.
 */
export async function initGitRepository(dir: string): Promise<StepResult> {
  const version = await git(dir, ['--version']);
  if (version.failed) return { ok: false, detail: 'git was not found; skipped `git init`' };
  const inside = await git(dir, ['rev-parse', '--is-inside-work-tree']);
  if (!inside.failed && inside.stdout.trim() === 'true') {
    return { ok: false, detail: 'already inside a git repository; skipped `git init`' };
  }
  const email = await git(dir, ['config', 'user.email']);
  const identity =
    email.failed || email.stdout.trim() === ''
      ? ['-c', 'user.name=create-prod-mcp', '-c', 'user.email=create-prod-mcp@users.noreply.github.com']
      : [];
  const steps = [
    ['init', '--quiet'],
    ['add', '--all'],
    [
      ...identity,
      'commit',
      '--quiet',
      '--no-verify',
      '-m',
      `Initial commit from ${GENERATOR.name} ${GENERATOR.version}`,
    ],
  ];
  for (const args of steps) {
    const result = await git(dir, args);
    if (result.failed) {
      // A half-made repository is worse than none: the user can run `git init` themselves.
      await rm(join(dir, '.git'), { recursive: true, force: true });
      return {
        ok: false,
        detail: `git ${args.join(' ')} failed: ${result.stderr.trim() || result.shortMessage}`,
      };
    }
  }
  return { ok: true };
}
