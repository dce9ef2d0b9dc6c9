import { scoreAssertions } from './assertion-score.ts';
import type { Metric } from './metric.ts';

const has = (answer: string, value: string, caseSensitive: boolean) =>
  caseSensitive ? answer.includes(value) : answer.toLowerCase().includes(value.toLowerCase());

export const requiredPhrasesMetric = {
  dimension: 'format',
  description: 'Phrases the answer must contain (contains) or must not contain (not-contains)',
  evaluate: ({ evalCase, answer }) =>
    scoreAssertions(evalCase.assertions, ['contains', 'not-contains'], (a) => {
      const found = has(answer, a.value, a.caseSensitive);
      if (a.type === 'contains' && !found) return `missing phrase "${a.value}"`;
      if (a.type === 'not-contains' && found) return `forbidden phrase "${a.value}"`;
      return undefined;
    }),
} satisfies Metric;
