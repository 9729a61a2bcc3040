import { createTwoFilesPatch } from 'diff';
import kleur from 'kleur';
import { plural } from '../core/plural.js';
import { printable } from '../core/printable.js';
import type { Change, ChangeKind, Note, Plan } from './plan.js';
import { bookkeepingSummary } from './summary.js';

/**
 * How a plan reads in the terminal: one line per file (the Nx-style CREATE / UPDATE / MERGE / DELETE /
 * CONFLICT list), the notes about what was left alone on purpose, and unified diffs for --dry-run.
 */

const LABEL: Record<ChangeKind, string> = {
  create: kleur.green('CREATE  '),
  update: kleur.blue('UPDATE  '),
  merge: kleur.cyan('MERGE   '),
  delete: kleur.red('DELETE  '),
  conflict: kleur.bold().red('CONFLICT'),
};

function describe(change: Change): string {
  const line = `  ${LABEL[change.kind]} ${printable(change.path)}`;
  if (change.kind !== 'conflict') return line;
  // A conflict without markers (a kept file importing a deleted one, a script naming it) is its reason alone.
  if (!change.conflicts) return `${line} (${printable(change.reason ?? 'see the file')})`;
  return `${line} (${plural(change.conflicts, 'conflict')}: ${printable(change.reason ?? 'see the markers')})`;
}

/** What was left alone on purpose: kept edits, files not restored, values not overwritten. */
export function noteLines(notes: readonly Note[]): string[] {
  if (notes.length === 0) return [];
  const lines = notes.map(
    (note) =>
      `  ${kleur.yellow('KEPT    ')} ${printable(note.path)}: ${note.message
        .split('\n')
        .map(printable)
        .join('\n      ')}`,
  );
  return [kleur.dim('Left as you have them:'), ...lines];
}

/** The file list and the notes, as printed by both --dry-run and a real run. */
export function planLines(plan: Plan): string[] {
  const notes = noteLines(plan.notes);
  return [...plan.changes.map(describe), ...(notes.length > 0 ? ['', ...notes] : [])];
}

/** A git-style unified diff of one change (a new file diffs against /dev/null, a deleted one to it). */
export function unifiedDiff(change: Change): string {
  const path = printable(change.path);
  const before = change.kind === 'create' ? '/dev/null' : `a/${path}`;
  const after = change.kind === 'delete' ? '/dev/null' : `b/${path}`;
  const patch = createTwoFilesPatch(
    before,
    after,
    change.before ?? '',
    change.after ?? '',
    undefined,
    undefined,
    {
      context: 3,
    },
  );
  // Drop the "Index:" / "====" preamble: the ---/+++ lines are what git and patch(1) read.
  return patch.slice(patch.indexOf('--- ')).trimEnd();
}

/** The unified diff of every project file; the generator's bookkeeping files get one summary line each. */
export function diffs(plan: Plan): string[] {
  return plan.changes.map((change) => {
    const summary = bookkeepingSummary(change);
    if (summary !== undefined)
      return `${kleur.bold(`diff ${printable(change.path)}`)} ${kleur.dim('(summarised)')}\n  ${summary}`;
    return `${kleur.bold(`diff ${printable(change.path)}`)}\n${unifiedDiff(change)}`;
  });
}

export function counts(plan: Plan): string {
  const tally = new Map<ChangeKind, number>();
  for (const change of plan.changes) tally.set(change.kind, (tally.get(change.kind) ?? 0) + 1);
  const words: Record<ChangeKind, string> = {
    create: 'created',
    update: 'updated',
    merge: 'merged',
    delete: 'deleted',
    conflict: 'with conflicts',
  };
  const parts = (['create', 'update', 'merge', 'delete', 'conflict'] as const)
    .filter((kind) => tally.has(kind))
    .map((kind) => `${tally.get(kind)} ${words[kind]}`);
  return parts.length === 0 ? 'nothing to change' : parts.join(', ');
}
