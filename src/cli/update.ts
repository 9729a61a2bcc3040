import { UsageError } from '../core/errors.js';
import { installDependencies } from '../core/install.js';
import { regenerate } from '../update/command.js';
import { answersAfterUpdate } from '../update/next-answers.js';
import type { ParsedArgs } from './args.js';
import { fail, out } from './ui.js';

/**
 * `create-prod-mcp update [--flags]`: re-render the project at --cwd with this generator version and the
 * lock's answers changed by the flags given (`--auth jwt`, `--no-docker`, `--transport http`), merging the
 * user's edits.
 */
export async function runUpdate(args: ParsedArgs): Promise<number> {
  try {
    if (args.positionals.length > 0) {
      throw new UsageError(
        `update takes options, not names (got ${args.positionals.join(' ')}); to add features use \`create-prod-mcp add ${args.positionals.join(' ')}\``,
      );
    }
    return await regenerate({
      cwd: args.cwd,
      pm: args.pm,
      install: args.install,
      dryRun: args.dryRun,
      force: args.force,
      action: 'update',
      answers: (current) => answersAfterUpdate(current, args.answers),
      print: out,
      installDependencies,
    });
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    fail(error.message);
    return error.exitCode;
  }
}
