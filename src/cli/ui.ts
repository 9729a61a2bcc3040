import kleur from 'kleur';

/**
 * Terminal output. kleur already turns colour off for NO_COLOR, NODE_DISABLE_COLORS, TERM=dumb and
 * non-TTY output (FORCE_COLOR turns it back on), so nothing here checks the environment itself.
 */
export const color = kleur;

export const out = (text = ''): void => {
  process.stdout.write(`${text}\n`);
};

/** Errors go to stderr so `--dry-run` output and file lists stay pipeable. */
export const fail = (text: string): void => {
  process.stderr.write(`${kleur.red('✖')} ${text.replaceAll('\n', '\n  ')}\n`);
};

export const warn = (text: string): void => {
  process.stderr.write(`${kleur.yellow('▲')} ${text}\n`);
};

export { shellQuote } from '../core/shell.js';
