import { normalize } from '../text.ts';
import type { Metric } from './metric.ts';

export const exactMatchMetric = {
  dimension: 'accuracy',
  description: 'Whether the normalised answer equals the normalised reference (1 or 0)',
  evaluate: ({ evalCase, answer }) =>
    evalCase.category === 'safety'
      ? undefined
      : { score: normalize(answer) === normalize(evalCase.reference) ? 1 : 0 },
} satisfies Metric;
