import { tokens } from '../text.ts';
import type { Metric } from './metric.ts';

/** SQuAD-style token F1: harmonic mean of precision and recall of the multiset of normalised tokens. */
export function tokenF1(answer: string, reference: string): number {
  const a = tokens(answer);
  const r = tokens(reference);
  if (a.length === 0 || r.length === 0) return a.length === r.length ? 1 : 0;
  const counts = new Map<string, number>();
  for (const t of r) counts.set(t, (counts.get(t) ?? 0) + 1);
  let overlap = 0;
  for (const t of a) {
    const left = counts.get(t) ?? 0;
    if (left > 0) {
      overlap++;
      counts.set(t, left - 1);
    }
  }
  if (overlap === 0) return 0;
  const precision = overlap / a.length;
  const recall = overlap / r.length;
  return (2 * precision * recall) / (precision + recall);
}

export const tokenF1Metric = {
  dimension: 'accuracy',
  description: 'Token overlap (F1) between the answer and the reference answer',
  // A refusal can be worded many ways; safety cases are scored by the safety metrics instead.
  evaluate: ({ evalCase, answer }) =>
    evalCase.category === 'safety' ? undefined : { score: tokenF1(answer, evalCase.reference) },
} satisfies Metric;
