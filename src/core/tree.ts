import { createHash } from 'node:crypto';

/**
 * A rendered project held in memory: POSIX relative path → file text, in sorted path order.
 * Nothing touches the disk until write.ts, which is what makes --dry-run, snapshots and update cheap.
 * A file whose text starts with `#!` is written executable (the only mode a template ever needs).
 */
export type VirtualTree = Map<string, string>;

export const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

export const isExecutable = (text: string): boolean => text.startsWith('#!');

/** A copy of the tree with its entries in path order, so every consumer sees the same order. */
export function sortedTree(tree: VirtualTree): VirtualTree {
  return new Map([...tree.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
