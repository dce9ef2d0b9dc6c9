import { scoreAssertions } from './assertion-score.ts';
import type { Metric } from './metric.ts';

export const lengthMetric = {
  dimension: 'format',
  description: 'The answer length is within min-length / max-length (characters)',
  evaluate: ({ evalCase, answer }) =>
    scoreAssertions(evalCase.assertions, ['max-length', 'min-length'], (a) => {
      const n = answer.length;
      if (a.type === 'max-length' && n > a.chars) return `${n} chars, more than ${a.chars}`;
      if (a.type === 'min-length' && n < a.chars) return `${n} chars, fewer than ${a.chars}`;
      return undefined;
    }),
} satisfies Metric;
