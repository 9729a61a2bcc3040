import { UsageError } from '../core/errors.js';
import { closest, didYouMean } from '../core/suggest.js';
import type { AnswerInput } from '../core/validate.js';

/**
 * argv → ParsedArgs. Only the shape is checked here (known flag, value present); whether a value is allowed
 * is decided by src/core/validate.ts, the one place that also validates prompts and the lock file.
 * Hand-written rather than node:util parseArgs so every error names the flag and suggests the fix.
 */

export type Command = 'create' | 'add' | 'update';

export interface ParsedArgs {
  command: Command;
  /** create: [directory?]; add: the features to add; update: []. */
  positionals: string[];
  /** Answer flags exactly as typed; only the ones given are set. */
  answers: AnswerInput;
  /** --pm, unchecked. */
  pm?: string;
  /** --cwd (add/update): the project to work on; default '.'. */
  cwd?: string;
  /** --install / --no-install; undefined when not given (prompted, default on). */
  install?: boolean;
  /** --git / --no-git; undefined when not given (default on). */
  git?: boolean;
  yes: boolean;
  dryRun: boolean;
  force: boolean;
  help: boolean;
  version: boolean;
}

const VALUE_FLAGS = {
  '--name': 'name',
  '--transport': 'transport',
  '--auth': 'auth',
  '--rate-limit': 'rateLimit',
  '--pm': 'pm',
  '--cwd': 'cwd',
} as const;
const ANSWER_TOGGLES = {
  '--docker': 'docker',
  '--systemd': 'systemd',
  '--k8s': 'k8s',
  '--otel': 'otel',
  '--metrics': 'metrics',
} as const;
const RUN_TOGGLES = { '--install': 'install', '--git': 'git' } as const;
const SWITCHES = {
  '-y': 'yes',
  '--yes': 'yes',
  '--dry-run': 'dryRun',
  '--force': 'force',
  '-h': 'help',
  '--help': 'help',
  '-v': 'version',
  '--version': 'version',
} as const;

const has = <T extends object>(table: T, key: string): key is Extract<keyof T, string> =>
  Object.hasOwn(table, key);

export const ALL_FLAGS: readonly string[] = [
  ...Object.keys(VALUE_FLAGS),
  ...[...Object.keys(ANSWER_TOGGLES), ...Object.keys(RUN_TOGGLES)].flatMap((f) => [f, `--no-${f.slice(2)}`]),
  ...Object.keys(SWITCHES),
];

/** Commands besides create, and words people type for them (`upgrade` is update's name in other tools). */
const COMMANDS = ['add', 'update'] as const;
const COMMAND_ALIASES: Record<string, (typeof COMMANDS)[number]> = { upgrade: 'update', upgrad: 'update' };

/**
 * A first word that is not a path but reads like a misspelt command (`updat`, `upgrade`, `ad`) is refused rather
 * than made into a project folder of that name; `./updat` still creates one.
 */
function commandTypo(word: string): string | undefined {
  if (word.includes('/') || word.includes('\\') || word.startsWith('.')) return undefined;
  return COMMAND_ALIASES[word.toLowerCase()] ?? closest(word, COMMANDS);
}

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const args: ParsedArgs = {
    command: 'create',
    positionals: [],
    answers: {},
    yes: false,
    dryRun: false,
    force: false,
    help: false,
    version: false,
  };
  let onlyPositionals = false;
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] ?? '';
    if (onlyPositionals || !token.startsWith('-') || token === '-') {
      args.positionals.push(token);
      continue;
    }
    if (token === '--') {
      onlyPositionals = true;
      continue;
    }
    const eq = token.indexOf('=');
    const flag = eq === -1 ? token : token.slice(0, eq);
    const inline = eq === -1 ? undefined : token.slice(eq + 1);

    if (has(VALUE_FLAGS, flag)) {
      const value = inline ?? argv[++i];
      if (value === undefined || (inline === undefined && value.startsWith('-'))) {
        throw new UsageError(`${flag} needs a value, e.g. ${flag}=<value> (see --help)`);
      }
      const key = VALUE_FLAGS[flag];
      if (key === 'pm' || key === 'cwd') args[key] = value;
      else args.answers[key] = value;
      continue;
    }
    if (inline !== undefined) throw new UsageError(`${flag} takes no value; remove "=${inline}"`);
    const positive = flag.startsWith('--no-') ? `--${flag.slice(5)}` : flag;
    const on = positive === flag;
    if (has(ANSWER_TOGGLES, positive)) args.answers[ANSWER_TOGGLES[positive]] = on;
    else if (has(RUN_TOGGLES, positive)) args[RUN_TOGGLES[positive]] = on;
    else if (on && has(SWITCHES, flag)) args[SWITCHES[flag]] = true;
    else {
      throw new UsageError(
        `Unknown option ${flag}.${didYouMean(flag, ALL_FLAGS)} See --help for every option.`,
      );
    }
  }

  const [first, ...rest] = args.positionals;
  if (first === 'add' || first === 'update') {
    args.command = first;
    args.positionals = rest;
  } else if (first !== undefined && commandTypo(first) !== undefined) {
    const command = commandTypo(first);
    throw new UsageError(
      `Unknown command "${first}". Did you mean \`create-prod-mcp ${command}\`? ` +
        `To create a project in a folder named "${first}", write ./${first}.`,
    );
  } else if (args.positionals.length > 1) {
    throw new UsageError(
      `Expected one directory, got ${args.positionals.length}: ${args.positionals.join(' ')}. Quote a path with spaces.`,
    );
  }
  if (args.command === 'create' && args.cwd !== undefined) {
    throw new UsageError('--cwd is for add and update; to create, pass the directory as the first argument');
  }
  return args;
}
