import type { FileClass } from '../core/feature.js';

/**
 * The outcome of reconcile(): what `add` / `update` would do to each file. Nothing here touches the disk;
 * --dry-run prints it, a real run writes it all or nothing.
 */

/**
 * - create: a file the project does not have yet.
 * - update: a file the user never changed, replaced by the new render.
 * - merge: the user's edits and the generator's changes combined without conflict.
 * - delete: a file of a feature that is no longer on, which the user never changed.
 * - conflict: written with conflict markers (or left alone, for a file in the way); the command exits non-zero.
 */
export type ChangeKind = 'create' | 'update' | 'merge' | 'delete' | 'conflict';

export interface Change {
  kind: ChangeKind;
  path: string;
  class: FileClass;
  /** The file on disk now; undefined when there is none. */
  before?: string;
  /** The file after this run; undefined for a delete (and for a conflict that leaves the file as is). */
  after?: string;
  /** Conflict blocks written into `after`. */
  conflicts?: number;
  /** Why a conflict is one, in a sentence the user can act on. */
  reason?: string;
  /** For a conflict: the versions it was merged from (recorded as git's index stages 1 and 3). */
  sides?: { base?: string; theirs: string };
}

/** Something left alone on purpose, which the user should hear about (kept edits, respected deletions). */
export interface Note {
  path: string;
  message: string;
}

export interface Plan {
  changes: Change[];
  notes: Note[];
  /**
   * Files no longer generated that stay because the user edited them. They stay tracked in the lock (with
   * their base), so turning the feature back on later merges instead of conflicting with a stranger's file.
   */
  orphans: string[];
}

/** Whether the plan changes nothing on disk. */
export const isEmptyPlan = (plan: Plan): boolean => plan.changes.length === 0;

export const conflictsOf = (plan: Plan): Change[] =>
  plan.changes.filter((change) => change.kind === 'conflict');
