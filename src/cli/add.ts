import { UsageError } from '../core/errors.js';
import { installDependencies } from '../core/install.js';
import { regenerate } from '../update/command.js';
import { answersAfterAdd, answersAfterUpdate } from '../update/next-answers.js';
import type { ParsedArgs } from './args.js';
import { fail, out } from './ui.js';

/**
 * `create-prod-mcp add <feature...>`: turn features on (or switch a slot: `add jwt` on an api-key project)
 * in the project at --cwd. Answer flags may come along (`add redis --otel`).
 */
export async function runAdd(args: ParsedArgs): Promise<number> {
  try {
    return await regenerate({
      cwd: args.cwd,
      pm: args.pm,
      install: args.install,
      dryRun: args.dryRun,
      force: args.force,
      action: `add ${args.positionals.join(' ')}`,
      answers: (current) => answersAfterAdd(answersAfterUpdate(current, args.answers), args.positionals),
      print: out,
      installDependencies,
    });
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    fail(error.message);
    return error.exitCode;
  }
}
