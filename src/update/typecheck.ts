import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import type { PackageManager } from '../core/answers.js';
import type { StepResult } from '../core/install.js';

/**
 * The last step of `add` / `update`: the project's own type-check, so a run never ends with "Done" on a project
 * that no longer compiles (issue 11). It runs only when it can mean something: dependencies installed and up to
 * date, and a `typecheck` script to run. Otherwise it says why not and what to run.
 */

export interface TypecheckResult extends StepResult {
  /** Whether it ran at all (false: skipped, `detail` says why). */
  ran: boolean;
}

export async function runTypecheck(dir: string, pm: PackageManager): Promise<TypecheckResult> {
  const command = `${pm} run typecheck`;
  if (!existsSync(join(dir, 'node_modules'))) {
    return {
      ran: false,
      ok: true,
      detail: `Dependencies are not installed: run \`${pm} install\`, then \`${command}\`.`,
    };
  }
  let scripts: Record<string, unknown> = {};
  try {
    scripts =
      (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { scripts?: Record<string, unknown> })
        .scripts ?? {};
  } catch {
    // An unreadable package.json is reported by the package manager below, or was already a conflict.
  }
  if (typeof scripts.typecheck !== 'string') {
    return { ran: false, ok: true, detail: 'No "typecheck" script in package.json: type-check not run.' };
  }
  try {
    await execa(pm, ['run', 'typecheck'], { cwd: dir, stdin: 'ignore', all: true, timeout: 300_000 });
    return { ran: true, ok: true, detail: `Type-check passed (\`${command}\`).` };
  } catch (error) {
    const output = (error as { all?: string }).all ?? (error as Error).message;
    const tail = output.trim().split('\n').slice(-20).join('\n');
    return {
      ran: true,
      ok: false,
      detail:
        `The project does not type-check after this run (\`${command}\` failed):\n${tail}\n` +
        'Fix the errors above (`git diff` shows what this run changed), or undo it with `git checkout .`.',
    };
  }
}
