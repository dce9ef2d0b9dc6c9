import { parseJsonAnswer, scoreAssertions } from './assertion-score.ts';
import type { Metric } from './metric.ts';

export const jsonValidMetric = {
  dimension: 'format',
  description: 'The answer is valid JSON (bare or in one ```json fence)',
  evaluate: ({ evalCase, answer }) =>
    scoreAssertions(evalCase.assertions, ['is-json'], () =>
      parseJsonAnswer(answer) ? undefined : 'not valid JSON',
    ),
} satisfies Metric;
