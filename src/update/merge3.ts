import { diff3Merge, diffIndices } from 'node-diff3';
import { splitLines } from './text.js';

/**
 * Line-based merges with git-style conflict markers (the diff3 style, base section included, which git
 * tools and editors understand). Inputs are LF text; the caller restores the user's line endings.
 */

/** What each side of a conflict is called in its markers. */
export interface MergeLabels {
  /** The file on disk, with the user's edits. */
  ours: string;
  /** What the generator wrote last time. */
  base: string;
  /** What the generator writes now. */
  theirs: string;
}

export interface MergeResult {
  text: string;
  /** Conflict blocks written into `text`; 0 means a clean merge. */
  conflicts: number;
}

const sameLines = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((line, i) => line === b[i]);

/** A section of a conflict block; a last line without a newline gets one so the next marker starts a line. */
const section = (lines: readonly string[]): string[] => {
  const last = lines.at(-1);
  return last === undefined || last.endsWith('\n') ? [...lines] : [...lines.slice(0, -1), `${last}\n`];
};

function conflictBlock(
  ours: readonly string[],
  base: readonly string[] | undefined,
  theirs: readonly string[],
  labels: MergeLabels,
): string[] {
  return [
    `<<<<<<< ${labels.ours}\n`,
    ...section(ours),
    ...(base === undefined ? [] : [`||||||| ${labels.base}\n`, ...section(base)]),
    '=======\n',
    ...section(theirs),
    `>>>>>>> ${labels.theirs}\n`,
  ];
}

/**
 * Three-way merge: the user's changes (base → ours) and the generator's (base → theirs) are both applied;
 * where they touch the same or adjacent lines, a conflict block shows all three versions.
 */
export function merge3(ours: string, base: string, theirs: string, labels: MergeLabels): MergeResult {
  const out: string[] = [];
  let conflicts = 0;
  for (const block of diff3Merge(splitLines(ours), splitLines(base), splitLines(theirs))) {
    if (block.ok) {
      out.push(...block.ok);
      continue;
    }
    const c = block.conflict;
    if (!c) continue;
    // Regions node-diff3 reports as conflicts although one side left them alone.
    if (sameLines(c.a, c.o)) out.push(...c.b);
    else if (sameLines(c.b, c.o)) out.push(...c.a);
    else {
      conflicts++;
      out.push(...conflictBlock(c.a, c.o, c.b, labels));
    }
  }
  return { text: out.join(''), conflicts };
}

/**
 * Merge for a managed file (one the generator owns, like src/features.generated.ts) that the user edited:
 * the edit is never silently dropped nor silently kept. Lines all three versions share at the start and the
 * end stay; everything between becomes one conflict block showing the user's, the last and the new version.
 * Managed files are small, so one block reads better than many.
 */
export function mergeManaged(ours: string, base: string, theirs: string, labels: MergeLabels): MergeResult {
  const [a, o, b] = [splitLines(ours), splitLines(base), splitLines(theirs)];
  let head = 0;
  while (head < Math.min(a.length, o.length, b.length) && a[head] === o[head] && o[head] === b[head]) head++;
  let tail = 0;
  const room = Math.min(a.length, o.length, b.length) - head;
  while (tail < room && a.at(-1 - tail) === o.at(-1 - tail) && o.at(-1 - tail) === b.at(-1 - tail)) tail++;
  const middle = (lines: string[]) => lines.slice(head, lines.length - tail);
  const text = [
    ...a.slice(0, head),
    ...conflictBlock(middle(a), middle(o), middle(b), labels),
    ...a.slice(a.length - tail),
  ].join('');
  return { text, conflicts: 1 };
}

/**
 * Two-way fallback when the base is unknown (the bytes we wrote last time cannot be recovered): lines both
 * sides share are kept, and every difference becomes a conflict block for the user to decide.
 */
export function mergeWithoutBase(ours: string, theirs: string, labels: MergeLabels): MergeResult {
  const a = splitLines(ours);
  const b = splitLines(theirs);
  const out: string[] = [];
  let conflicts = 0;
  let at = 0;
  for (const hunk of diffIndices(a, b)) {
    const [start, length] = hunk.buffer1;
    out.push(...a.slice(at, start));
    conflicts++;
    out.push(...conflictBlock(hunk.buffer1Content, undefined, hunk.buffer2Content, labels));
    at = start + length;
  }
  out.push(...a.slice(at));
  return { text: out.join(''), conflicts };
}
