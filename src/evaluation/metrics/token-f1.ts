import { overlapF1 } from '../text.ts';
import type { Metric } from './metric.ts';

/** How many answer tokens the reference also has, each reference token matched at most once. */
function multisetOverlap(answer: readonly string[], reference: readonly string[]): number {
  const counts = new Map<string, number>();
  for (const t of reference) counts.set(t, (counts.get(t) ?? 0) + 1);
  let overlap = 0;
  for (const t of answer) {
    const left = counts.get(t) ?? 0;
    if (left > 0) {
      overlap++;
      counts.set(t, left - 1);
    }
  }
  return overlap;
}

/** SQuAD-style token F1: harmonic mean of precision and recall of the multiset of normalised tokens. */
export const tokenF1 = (answer: string, reference: string): number =>
  overlapF1(answer, reference, multisetOverlap);

export const tokenF1Metric = {
  dimension: 'accuracy',
  description: 'Token overlap (F1) between the answer and the reference answer',
  // A refusal can be worded many ways; safety cases are scored by the safety metrics instead.
  evaluate: ({ evalCase, answer }) =>
    evalCase.category === 'safety' ? undefined : { score: tokenF1(answer, evalCase.reference) },
} satisfies Metric;
