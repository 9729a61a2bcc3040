import { resolve } from 'node:path';
import { detect } from 'package-manager-detector/detect';
import { type Answers, PACKAGE_MANAGERS, type PackageManager } from '../core/answers.js';
import { UsageError } from '../core/errors.js';
import { assertInsideProject } from '../core/inside.js';
import { choosePackageManager } from '../core/package-manager.js';
import { plural } from '../core/plural.js';
import { applyPlan } from './apply.js';
import { type GitState, gitState, markUnmerged } from './git.js';
import { describeChange } from './next-answers.js';
import { conflictsOf, isEmptyPlan } from './plan.js';
import { loadLock, prepareUpdate } from './prepare.js';
import { counts, diffs, noteLines, planLines } from './report.js';
import { BOOKKEEPING_FILES } from './summary.js';
import { runTypecheck, type TypecheckResult } from './typecheck.js';

/**
 * The flow `add` and `update` share: lock → new answers → clean-tree check → plan → print (and stop, for
 * --dry-run) → write all or nothing → install when dependencies changed. The exit code is 0 when the project
 * is fully updated, 1 when conflicts remain for the user to resolve, 2 for a usage error (nothing written).
 */

export interface RegenerateOptions {
  /** The project folder (--cwd). */
  cwd?: string;
  pm?: string;
  install?: boolean;
  dryRun: boolean;
  force: boolean;
  /** What this run does, for the conflict labels and the header ("add redis", "update"). */
  action: string;
  /** The new answers from the lock's. */
  answers: (current: Answers) => Answers;
  /** Where output goes (the CLI prints; tests collect). */
  print: (line?: string) => void;
  /** Runs `<pm> install`; the CLI passes core/install.ts. */
  installDependencies: (dir: string, pm: PackageManager) => Promise<{ ok: boolean; detail?: string }>;
  /** The project's type-check at the end (default: typecheck.ts, `<pm> run typecheck` when installed). */
  typecheck?: (dir: string, pm: PackageManager) => Promise<TypecheckResult>;
}

async function packageManagerOf(dir: string, flag: string | undefined): Promise<PackageManager> {
  if (flag !== undefined) return choosePackageManager(flag);
  const found = (await detect({ cwd: dir, stopDir: dir }))?.name;
  return (PACKAGE_MANAGERS as readonly string[]).includes(found ?? '')
    ? (found as PackageManager)
    : choosePackageManager(undefined);
}

function requireCleanTree(dir: string, state: GitState): void {
  if (state.kind === 'not-a-repository') {
    throw new UsageError(
      `${dir} is not in a git repository. add/update rewrite files in place, so commit first to be able to review and undo ` +
        '(git init && git add -A && git commit -m "before update"), or pass --force.',
    );
  }
  if (state.kind === 'dirty') {
    const shown =
      state.files.slice(0, 8).join(', ') +
      (state.files.length > 8 ? `, and ${state.files.length - 8} more` : '');
    throw new UsageError(
      `${dir} has uncommitted changes (${shown}). Commit or stash them first, so \`git diff\` shows exactly what this run ` +
        'changed and `git checkout .` undoes it; or pass --force.',
    );
  }
}

export async function regenerate(options: RegenerateOptions): Promise<number> {
  const { print } = options;
  const dir = resolve(options.cwd ?? '.');
  // The lock and base snapshot are read before anything else: not through a link that leads elsewhere.
  await assertInsideProject(dir, BOOKKEEPING_FILES, options.action);
  const lock = await loadLock(dir);
  const answers = options.answers(lock.answers);
  const pm = await packageManagerOf(dir, options.pm);
  const git = await gitState(dir);
  if (!options.dryRun && !options.force) requireCleanTree(dir, git);

  const { plan, dependenciesChanged, readmeLines } = await prepareUpdate(dir, lock, answers, options.action);
  const changed = describeChange(lock.answers, answers);
  print(
    `${options.action}: ${lock.answers.name} in ${dir}${changed.length > 0 ? ` (${changed.join(' ')})` : ''}`,
  );
  if (isEmptyPlan(plan)) {
    print('Nothing to change: the project already matches.');
    for (const line of noteLines(plan.notes)) print(line);
    return 0;
  }
  for (const line of planLines(plan)) print(line);

  const conflicts = conflictsOf(plan);
  if (options.dryRun) {
    print();
    for (const diff of diffs(plan)) print(`${diff}\n`);
    for (const line of readmeLines) print(line);
    print(`Dry run: nothing was written (${counts(plan)}).`);
    return 0;
  }

  try {
    await applyPlan(dir, plan);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`Could not write the update (${(error as Error).message}); nothing was changed.`, 1);
  }
  print();
  print(`Done: ${counts(plan)}. Review with \`git diff\`, then commit.`);
  for (const line of readmeLines) print(line);
  let exitCode = 0;
  if (conflicts.length > 0) {
    exitCode = 1;
    // Files with markers are marked unmerged in git (git diff shows both sides); the others have none to resolve.
    const marked = conflicts.filter((c) => (c.conflicts ?? 0) > 0);
    if (git.kind !== 'not-a-repository' && marked.length > 0) {
      const unmerged = marked.map((c) => ({
        path: c.path,
        base: c.sides?.base,
        ours: c.before ?? '',
        theirs: c.sides?.theirs ?? '',
      }));
      await markUnmerged(dir, unmerged).catch((error: Error) =>
        print(`(could not mark them unmerged in git: ${error.message})`),
      );
    }
    print(
      `${plural(conflicts.length, 'file has', 'files have')} conflicts; ${
        marked.length === conflicts.length
          ? 'resolve the <<<<<<< markers'
          : 'resolve each (the <<<<<<< markers, or what its line above says)'
      }, \`git add\` each file, then commit:`,
    );
    for (const change of conflicts) print(`  ${change.path}`);
  }
  let dependenciesReady = true;
  if (dependenciesChanged) {
    dependenciesReady = false;
    // A package.json with markers does not parse: installing would fail. Without markers it installs fine.
    const pkgConflict = conflicts.some((c) => c.path === 'package.json' && (c.conflicts ?? 0) > 0);
    if (options.install === false || pkgConflict) print(`Dependencies changed: run \`${pm} install\`.`);
    else {
      const result = await options.installDependencies(dir, pm);
      dependenciesReady = result.ok;
      if (!result.ok) {
        print(result.detail ?? `${pm} install failed; run it again.`);
        exitCode = 1;
      }
    }
  }
  if (conflicts.some((c) => (c.conflicts ?? 0) > 0)) {
    print(
      `Type-check not run while conflict markers remain: resolve them, then run \`${pm} run typecheck\`.`,
    );
  } else if (!dependenciesReady) {
    print(`Type-check not run: install the dependencies first, then run \`${pm} run typecheck\`.`);
  } else {
    const checked = await (options.typecheck ?? runTypecheck)(dir, pm);
    if (checked.detail) print(checked.detail);
    if (!checked.ok) exitCode = 1;
  }
  return exitCode;
}
