import { tokens } from '../text.ts';
import type { Metric } from './metric.ts';

/** Length of the longest common subsequence of two token lists (O(n*m) time, O(m) memory). */
export function lcsLength(a: readonly string[], b: readonly string[]): number {
  let prev = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    const row = new Array<number>(b.length + 1).fill(0);
    for (let j = 1; j <= b.length; j++) {
      row[j] = a[i - 1] === b[j - 1] ? prev[j - 1]! + 1 : Math.max(prev[j]!, row[j - 1]!);
    }
    prev = row;
  }
  return prev[b.length]!;
}

/** ROUGE-L F1: LCS-based precision/recall, so word order matters (unlike token F1). */
export function rougeL(answer: string, reference: string): number {
  const a = tokens(answer);
  const r = tokens(reference);
  if (a.length === 0 || r.length === 0) return a.length === r.length ? 1 : 0;
  const lcs = lcsLength(a, r);
  if (lcs === 0) return 0;
  const precision = lcs / a.length;
  const recall = lcs / r.length;
  return (2 * precision * recall) / (precision + recall);
}

export const rougeLMetric = {
  dimension: 'accuracy',
  description: 'ROUGE-L F1 (longest common subsequence) against the reference answer',
  evaluate: ({ evalCase, answer }) =>
    evalCase.category === 'safety' ? undefined : { score: rougeL(answer, evalCase.reference) },
} satisfies Metric;
