import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import { type PackageManager, pmOf } from '../core/answers.js';
import { UsageError } from '../core/errors.js';
import { LOCK_FILE } from '../core/lock.js';
import { nodeVersionWarning } from '../core/node-version.js';
import { choosePackageManager } from '../core/package-manager.js';
import { plural } from '../core/plural.js';
import { projectFiles } from '../core/project.js';
import { resolveAnswers } from '../core/validate.js';
import { generatorCommand } from '../core/version.js';
import { writeNewProject } from '../core/write.js';
import type { ParsedArgs } from './args.js';
import { equivalentCommand, nextSteps } from './next-steps.js';
import { color, fail, out, shellQuote, warn } from './ui.js';

/** CI services set CI (to "true", "1", ...); only an explicit false/0 means "not CI". */
const isCI = (): boolean => {
  const ci = process.env.CI;
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
};

/** Only a person at a terminal gets questions; CI, pipes and `--yes` never wait for input. */
export const shouldPrompt = (args: ParsedArgs): boolean =>
  !args.yes && process.stdin.isTTY === true && process.stdout.isTTY === true && !isCI();

/** Entries of `dir` that make it "not empty" (a bare `.git` is fine: people `git init` first), or [] if absent. */
async function occupants(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((entry) => entry !== '.git');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR')
      throw new UsageError(`${dir} exists and is a file`);
    throw error;
  }
}

/**
 * Ctrl-C during the install: the files are complete (written atomically before it), the dependencies are not, and
 * no commit was made. We keep the project rather than delete a folder on a keystroke, and say exactly how to
 * finish, in the chosen package manager, or how to start over. 130 is the shell's exit code for SIGINT.
 */
function interruptedAdvice(target: string, pm: PackageManager, git: boolean, createdFolder: boolean): void {
  const rel = relative(process.cwd(), target);
  const dir = shellQuote(rel === '' || rel.startsWith('..') ? target : rel);
  const finish = [
    ...(rel === '' ? [] : [`cd ${dir}`]),
    `${pm} install`,
    ...(git ? ['git init', 'git add -A', 'git commit -m "Initial commit"'] : []),
  ];
  fail(
    `Interrupted during \`${pm} install\`: every project file is in ${target}, its dependencies are not` +
      `${git ? ' and nothing was committed' : ''}.\n` +
      `To finish:       ${finish.join(' && ')}` +
      // Only a folder this run created is offered for deletion: never `.`, never a --force target's own files.
      (createdFolder && rel !== '' ? `\nTo start over:   rm -rf ${dir}` : ''),
  );
}

export async function runCreate(parsed: ParsedArgs): Promise<number> {
  const interactive = shouldPrompt(parsed);
  // Prompts, install and git are loaded only when used: --help, --dry-run and CI runs start faster.
  const prompted = interactive
    ? await (await import('./prompts.js')).promptForMissing(parsed, parsed.positionals[0])
    : undefined;
  const args = prompted?.args ?? parsed;
  const directory = prompted?.directory ?? parsed.positionals[0] ?? 'my-mcp-server';
  const target = resolve(directory);

  // Everything that can be wrong with the invocation is checked before anything is rendered or written.
  const answers = resolveAnswers(
    { ...args.answers, packageManager: choosePackageManager(args.pm) },
    basename(target),
  );
  const pm = pmOf(answers);
  const existing = await occupants(target);
  if (existing.length > 0 && !args.force) {
    const hint = existing.includes(LOCK_FILE)
      ? `it already holds a generated project: use \`${generatorCommand()} update --cwd ${shellQuote(directory)}\` or \`add\``
      : 'choose a new or empty directory, or pass --force to write into it (files with the same path are replaced)';
    throw new UsageError(
      `${directory} is not empty (${plural(existing.length, 'entry', 'entries')}): ${hint}`,
    );
  }

  // Said before anything is written or installed, so an install that then fails on engines is explained.
  const nodeWarning = nodeVersionWarning();
  if (nodeWarning !== undefined) warn(nodeWarning);

  const files = projectFiles(answers);
  if (args.dryRun) {
    out(`Would create ${plural(files.size, 'file')} in ${target}:`);
    for (const [path, text] of files) {
      // With --force into a non-empty folder, say which existing files would be replaced.
      const verb =
        existing.length > 0 && existsSync(join(target, path))
          ? color.yellow('REPLACE')
          : color.green('CREATE');
      out(`  ${verb} ${path} (${Buffer.byteLength(text)} bytes)`);
    }
    out('Dry run: nothing was written.');
    return 0;
  }

  const folderExisted = existsSync(target);
  await writeNewProject(target, files);
  out(`${color.green('✔')} Created ${answers.name} in ${target} (${plural(files.size, 'file')})`);

  let exitCode = 0;
  const install = args.install ?? true;
  let installed = false;
  if (install) {
    const { installDependencies } = await import('../core/install.js');
    const result = await installDependencies(target, pm);
    installed = result.ok;
    if (result.interrupted !== undefined) {
      interruptedAdvice(target, pm, args.git ?? true, !folderExisted);
      return 130;
    }
    if (!result.ok) {
      warn(result.detail ?? 'install failed');
      exitCode = 1;
    }
  }
  // After install, so the first commit includes the package manager's lockfile.
  if (args.git ?? true) {
    const { initGitRepository } = await import('../core/git.js');
    const result = await initGitRepository(target);
    if (result.ok) out(`${color.green('✔')} Initialised a git repository with a first commit`);
    else warn(result.detail ?? 'git init failed');
  }

  out();
  out(nextSteps(target, answers, files, installed));
  if (interactive) {
    out();
    out(color.dim('To do this again without questions:'));
    out(`  ${equivalentCommand(directory, answers, { install, git: args.git ?? true })}`);
  }
  return exitCode;
}
