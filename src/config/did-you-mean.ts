/**
 * "did you mean" for misspelled keys (`evalution` -> `evaluation`): the closest known name by edit
 * distance, when it is close enough to be a typo rather than a different word.
 */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    const distance = editDistance(word.toLowerCase(), name.toLowerCase());
    if (!best || distance < best.distance) best = { name, distance };
  }
  // A third of the word (at least 2 edits) catches dropped/doubled/swapped letters without
  // suggesting unrelated keys for short words.
  if (!best || best.distance > Math.max(2, Math.floor(word.length / 3))) return undefined;
  return best.name;
}

/** Levenshtein distance with adjacent transpositions counted as one edit (optimal string alignment). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(at(d, i - 1, j) + 1, at(d, i, j - 1) + 1, at(d, i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, at(d, i - 2, j - 2) + 1);
      }
      (d[i] as number[])[j] = value;
    }
  }
  return at(d, a.length, b.length);
}

const at = (d: number[][], i: number, j: number): number => d[i]?.[j] ?? 0;
