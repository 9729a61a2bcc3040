/**
 * "Did you mean": the known word closest to what was typed. One helper for flags, subcommands, option values
 * and feature names, so every typo gets the same kind of answer.
 */

/** Edit distance counting a swap of two neighbours as one edit (`pnmp` → `pnpm`), the commonest typo. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number): number => d[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const same = a[i - 1] === b[j - 1];
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + (same ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, at(i - 2, j - 2) + 1);
      (d[i] as number[])[j] = best;
    }
  }
  return at(a.length, b.length);
}

/**
 * The candidate closest to `typed` (case-insensitive), or undefined when none is close. "Close" grows with the
 * word: one edit for words of up to four letters (so `app` is not taken for `add`), two beyond.
 */
export function closest(typed: string, candidates: readonly string[]): string | undefined {
  const word = typed.toLowerCase();
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(word, candidate.toLowerCase());
    const allowed = Math.min(word.length, candidate.length) <= 4 ? 1 : 2;
    if (distance <= allowed && (best === undefined || distance < best.distance))
      best = { candidate, distance };
  }
  return best?.candidate;
}

/** ` Did you mean x?` or '' — for appending to a message. */
export const didYouMean = (typed: string, candidates: readonly string[], show = (s: string) => s): string => {
  const hint = closest(typed, candidates);
  return hint === undefined ? '' : ` Did you mean ${show(hint)}?`;
};
