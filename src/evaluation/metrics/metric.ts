import type { EvalCase } from '../suite.schema.ts';

/**
 * The typed metric registry's contract. Every metric is one file under metrics/ and scores one answer
 * in 0..1 on one of the tutorial's four dimensions. A metric that does not apply to a case (no reference
 * theme, no format assertion of its kind, ...) returns undefined, so it never drags an average down.
 */
export const DIMENSIONS = ['accuracy', 'relevance', 'format', 'safety'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** What the LLM judge said about one answer (see judge.ts); absent when the judge was skipped. */
export interface Judgement {
  /** 1..5 as the rubric asks. */
  rating: number;
  reason: string;
}

export interface MetricInput {
  evalCase: EvalCase;
  answer: string;
  judgement?: Judgement;
}

export interface MetricOutcome {
  score: number;
  /** Why the score is what it is, for the report ("missing phrase 'dispute'"). */
  detail?: string;
}

export interface Metric {
  dimension: Dimension;
  description: string;
  evaluate(input: MetricInput): MetricOutcome | undefined;
}

/** Keys are kebab-case metric names; the registry object `satisfies` this type. */
export type MetricRegistry = Record<string, Metric>;
