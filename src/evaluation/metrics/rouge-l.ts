import { overlapF1 } from '../text.ts';
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
export const rougeL = (answer: string, reference: string): number => overlapF1(answer, reference, lcsLength);

export const rougeLMetric = {
  dimension: 'accuracy',
  description: 'ROUGE-L F1 (longest common subsequence) against the reference answer',
  evaluate: ({ evalCase, answer }) =>
    evalCase.category === 'safety' ? undefined : { score: rougeL(answer, evalCase.reference) },
} satisfies Metric;
