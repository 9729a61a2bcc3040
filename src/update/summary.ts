import { LOCK_FILE } from '../core/lock.js';
import { printable } from '../core/printable.js';
import { ATTRIBUTES_FILE, BASE_FILE, parseBaseSnapshot } from './base.js';
import type { Change } from './plan.js';

/**
 * The generator's own bookkeeping files (the lock, the merge-base snapshot) summarised in one line each for
 * --dry-run: their diffs are the project's other diffs again, as JSON strings, and drowned the plan (issue 11:
 * 75 % of an `add --dry-run` was base.json).
 */

export const BOOKKEEPING_FILES: ReadonlySet<string> = new Set([LOCK_FILE, BASE_FILE, ATTRIBUTES_FILE]);

/** Added / removed / changed paths between two path → value maps, as "3 added, 1 removed". */
function tally(before: ReadonlyMap<string, unknown>, after: ReadonlyMap<string, unknown>): string {
  let added = 0;
  let removed = 0;
  let changed = 0;
  for (const [path, value] of after) {
    if (!before.has(path)) added++;
    else if (JSON.stringify(before.get(path)) !== JSON.stringify(value)) changed++;
  }
  for (const path of before.keys()) if (!after.has(path)) removed++;
  const parts = [
    added > 0 ? `${added} added` : '',
    removed > 0 ? `${removed} removed` : '',
    changed > 0 ? `${changed} changed` : '',
  ].filter(Boolean);
  return parts.length === 0 ? 'no file changes' : `files: ${parts.join(', ')}`;
}

interface LockShape {
  generator?: { version?: string };
  answers?: Record<string, unknown>;
  files?: Record<string, unknown>;
}

function parseLockLoosely(text: string | undefined): LockShape {
  try {
    return (JSON.parse(text ?? '{}') as LockShape | null) ?? {};
  } catch {
    return {};
  }
}

function lockSummary(change: Change): string {
  const [before, after] = [parseLockLoosely(change.before), parseLockLoosely(change.after)];
  const parts: string[] = [];
  if (before.generator?.version !== after.generator?.version && before.generator?.version !== undefined)
    parts.push(`generator ${before.generator.version} → ${after.generator?.version}`);
  const answers = new Set([...Object.keys(before.answers ?? {}), ...Object.keys(after.answers ?? {})]);
  const changed = [...answers]
    .filter((key) => JSON.stringify(before.answers?.[key]) !== JSON.stringify(after.answers?.[key]))
    .map((key) => `${key} ${String(before.answers?.[key] ?? '-')} → ${String(after.answers?.[key] ?? '-')}`);
  if (changed.length > 0) parts.push(`answers ${changed.join(', ')}`);
  parts.push(tally(new Map(Object.entries(before.files ?? {})), new Map(Object.entries(after.files ?? {}))));
  // The old lock is whatever is on disk: its values are printed escaped.
  return printable(parts.join('; '));
}

/** One line for a bookkeeping file's change, or undefined for a project file (which gets a real diff). */
export function bookkeepingSummary(change: Change): string | undefined {
  if (!BOOKKEEPING_FILES.has(change.path)) return undefined;
  if (change.path === LOCK_FILE) return `${change.path} (what was generated): ${lockSummary(change)}`;
  if (change.path === BASE_FILE) {
    const files = tally(parseBaseSnapshot(change.before), parseBaseSnapshot(change.after));
    return `${change.path} (the merge base for the next update): ${files}`;
  }
  return `${change.path} (keeps the merge base out of diffs): ${change.kind === 'create' ? 'created' : 'rewritten'}`;
}
