import { classify } from '../core/classes.js';
import type { FileClass } from '../core/feature.js';
import type { LockEntry } from '../core/lock.js';
import { sha256, type VirtualTree } from '../core/tree.js';
import { type MergeLabels, type MergeResult, merge3, mergeManaged, mergeWithoutBase } from './merge3.js';
import type { Change, Note, Plan } from './plan.js';
import { mergeStructured } from './structured.js';
import { toLf, withEolOf } from './text.js';

/**
 * The per-file decision table of `add` / `update` (ARCHITECTURE.md, "File classes"). Pure: it gets every
 * version of every file it needs and returns the plan; reading and writing the disk is the caller's job.
 *
 * | last generated (lock) | on disk               | new render | result                                          |
 * | ---                   | ---                   | ---        | ---                                             |
 * | no                    | absent                | yes        | CREATE                                          |
 * | no                    | different             | yes        | merged/managed: CONFLICT (a file in the way);   |
 * |                       |                       |            | structured: our keys added; seed: left alone    |
 * | yes                   | as we wrote it        | yes        | UPDATE (nothing when equal)                     |
 * | yes                   | as we wrote it        | no         | DELETE (the feature is off)                     |
 * | yes                   | edited                | no         | kept, reported, still tracked                   |
 * | yes                   | edited                | unchanged  | kept: the generator has nothing new for it      |
 * | yes                   | edited                | changed    | merged: three-way MERGE or CONFLICT markers;    |
 * |                       |                       |            | structured: key-level MERGE; managed: CONFLICT; |
 * |                       |                       |            | seed: left alone (it is the user's)             |
 * | yes                   | deleted by the user   | yes        | not restored (managed files are)                |
 */

export interface ReconcileInput {
  /** What the last run generated (prod-mcp.lock.json `files`). */
  lock: Readonly<Record<string, LockEntry>>;
  /** The exact bytes the last run generated, where known (verified against the lock's sha256). */
  base: ReadonlyMap<string, string>;
  /** The project's files now, for every path of the lock and the new render; missing = not on disk. */
  ours: ReadonlyMap<string, string>;
  /** The new render. */
  theirs: VirtualTree;
  labels: MergeLabels;
  /** The class of a newly generated path (default: the generator's own classification). */
  classOf?: (path: string) => FileClass;
}

const same = (a: string, b: string): boolean => a === b || toLf(a) === toLf(b);

/** Unchanged since we wrote it; a checkout that turned LF into CRLF does not count as an edit. */
const unmodified = (text: string, entry: LockEntry): boolean =>
  sha256(text) === entry.sha256 || sha256(toLf(text)) === entry.sha256;

/** An empty document of the file's kind, the base when nothing was generated there before. */
const emptyLike = (path: string): string => (path.endsWith('.json') ? '{}\n' : '');

interface Context {
  input: ReconcileInput;
  changes: Change[];
  notes: Note[];
  orphans: string[];
}

/** The merge result as a change: a conflict when blocks remain, a merge when it differs, nothing otherwise. */
function record(
  ctx: Context,
  path: string,
  cls: FileClass,
  ours: string,
  merged: MergeResult,
  sides: { base?: string; theirs: string },
  reason?: string,
): void {
  const after = withEolOf(ours, merged.text);
  if (merged.conflicts > 0) {
    const conflicts = merged.conflicts;
    ctx.changes.push({ kind: 'conflict', path, class: cls, before: ours, after, conflicts, reason, sides });
  } else if (after !== ours) {
    ctx.changes.push({ kind: 'merge', path, class: cls, before: ours, after });
  }
}

/** Merges a file the user edited with what the generator writes now. */
function mergeEdited(
  ctx: Context,
  path: string,
  cls: FileClass,
  ours: string,
  base: string | undefined,
  theirs: string,
  why = 'your edits and the generator changes touch the same lines',
) {
  const { labels } = ctx.input;
  const o = toLf(ours);
  if (cls === 'managed') {
    const reason = `you edited ${path}, which create-prod-mcp generates; keep your change elsewhere (a feature folder) and take the new version`;
    record(ctx, path, cls, ours, mergeManaged(o, base ?? '', theirs, labels), { base, theirs }, reason);
    return;
  }
  if (cls === 'structured') {
    const merged = mergeStructured(path, o, base ?? emptyLike(path), theirs);
    if (merged) {
      for (const message of merged.notes) ctx.notes.push({ path, message });
      record(ctx, path, cls, ours, { text: merged.text, conflicts: 0 }, { base, theirs });
      return;
    }
    ctx.notes.push({
      path,
      message: 'could not read it as data (does it parse?), so it was merged line by line',
    });
  }
  if (base === undefined) {
    const reason = 'the version generated last time is unknown, so every difference is shown';
    record(ctx, path, cls, ours, mergeWithoutBase(o, theirs, labels), { theirs }, reason);
    return;
  }
  record(ctx, path, cls, ours, merge3(o, base, theirs, labels), { base, theirs }, why);
}

function decide(ctx: Context, path: string): void {
  const { lock, base, ours, theirs, classOf = classify } = ctx.input;
  const entry = lock[path];
  const t = theirs.get(path);
  const o = ours.get(path);
  // The lock's class counts only for paths no longer generated, and never makes a seed path (the user's) deletable.
  const cls = t !== undefined || classOf(path) === 'seed' ? classOf(path) : (entry?.class ?? classOf(path));

  if (entry === undefined) {
    if (t === undefined) return;
    if (o === undefined) {
      ctx.changes.push({ kind: 'create', path, class: cls, after: t });
    } else if (!same(o, t)) {
      if (cls === 'seed')
        ctx.notes.push({ path, message: 'kept yours; the generator has its own version of this file' });
      else
        mergeEdited(
          ctx,
          path,
          cls,
          o,
          emptyLike(path),
          t,
          'a file of yours is where the generator now writes one',
        );
    }
    return;
  }

  if (t === undefined) {
    if (o === undefined || cls === 'seed') return;
    if (unmodified(o, entry)) {
      ctx.changes.push({ kind: 'delete', path, class: cls, before: o });
      return;
    }
    ctx.orphans.push(path);
    ctx.notes.push({ path, message: 'kept: its feature is off now, but you edited it; delete it if unused' });
    return;
  }

  const generatorChanged = sha256(t) !== entry.sha256;
  if (o === undefined) {
    if (cls === 'managed') ctx.changes.push({ kind: 'create', path, class: cls, after: t });
    else if (generatorChanged) ctx.notes.push({ path, message: 'not restored: you deleted it' });
    return;
  }
  if (same(o, t)) return;
  if (unmodified(o, entry)) {
    ctx.changes.push({ kind: 'update', path, class: cls, before: o, after: withEolOf(o, t) });
    return;
  }
  if (!generatorChanged) return;
  if (cls === 'seed') {
    ctx.notes.push({ path, message: 'yours since you edited it; not updated' });
    return;
  }
  mergeEdited(ctx, path, cls, o, base.get(path), t);
}

export function reconcile(input: ReconcileInput): Plan {
  const ctx: Context = { input, changes: [], notes: [], orphans: [] };
  const paths = [...new Set([...Object.keys(input.lock), ...input.theirs.keys()])].sort();
  for (const path of paths) decide(ctx, path);
  return { changes: ctx.changes, notes: ctx.notes, orphans: ctx.orphans };
}
