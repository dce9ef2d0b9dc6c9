import type { Metric } from './metric.ts';

/**
 * The LLM judge's rating (1..5, from judge.ts) mapped to 0..1. Absent when the judge was skipped or its
 * call for this answer failed: the judge never gets an invented score.
 */
export const llmJudgeMetric = {
  dimension: 'relevance',
  description: 'An LLM judge rates relevance and correctness against the reference (rubric 1-5)',
  evaluate: ({ judgement }) =>
    judgement ? { score: (judgement.rating - 1) / 4, detail: judgement.reason } : undefined,
} satisfies Metric;
