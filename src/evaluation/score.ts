import { type Judgement, METRICS } from './metrics/index.ts';
import type { MetricRegistry } from './metrics/metric.ts';
import type { MetricScore } from './run.schema.ts';
import type { EvalCase } from './suite.schema.ts';

/** Scores one answer with every metric in the registry that applies to its case. */
export function scoreAnswer(evalCase: EvalCase, answer: string, judgement?: Judgement): MetricScore[] {
  const scores: MetricScore[] = [];
  for (const [metric, definition] of Object.entries(METRICS as MetricRegistry)) {
    const outcome = definition.evaluate({ evalCase, answer, judgement });
    if (!outcome) continue;
    scores.push({
      metric,
      dimension: definition.dimension,
      score: outcome.score,
      ...(outcome.detail ? { detail: outcome.detail } : {}),
    });
  }
  return scores;
}
