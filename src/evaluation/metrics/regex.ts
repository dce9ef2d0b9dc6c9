import { scoreAssertions } from './assertion-score.ts';
import type { Metric } from './metric.ts';

export const regexMetric = {
  dimension: 'format',
  description: 'The answer matches each regex assertion',
  evaluate: ({ evalCase, answer }) =>
    // Patterns were compiled once when the suite was loaded, so an invalid one never reaches here.
    scoreAssertions(evalCase.assertions, ['regex'], (a) =>
      new RegExp(a.pattern, a.flags).test(answer) ? undefined : `does not match /${a.pattern}/${a.flags}`,
    ),
} satisfies Metric;
