import { z } from 'zod';
import { DIMENSIONS, type Dimension } from './metrics/metric.ts';
import type { CaseResult, EvalRun } from './run.schema.ts';
import { CaseCategorySchema } from './suite.schema.ts';

/**
 * Aggregates per model. A case's score is the mean of its dimension scores (each the mean of the
 * dimension's metrics that applied), so a case with many format assertions does not outweigh the rest.
 * Errored cases are counted, not scored: they have no answer to score (the gate bounds their share).
 */
const Score = z.number().min(0).max(1);
export const ModelAggregateSchema = z.object({
  model: z.string(),
  modelId: z.string(),
  total: z.int(),
  errored: z.int(),
  overall: Score.nullable(),
  byDimension: z.partialRecord(z.enum(DIMENSIONS), Score),
  byCategory: z.partialRecord(CaseCategorySchema, Score),
  /** category -> dimension -> score */
  byCategoryDimension: z.partialRecord(CaseCategorySchema, z.partialRecord(z.enum(DIMENSIONS), Score)),
  meanLatencyMs: z.number().nullable(),
  retries: z.int().describe('model calls beyond the first, over all cases'),
});
export type ModelAggregate = z.infer<typeof ModelAggregateSchema>;

const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : undefined);

function dimensionScores(result: CaseResult): Partial<Record<Dimension, number>> {
  const out: Partial<Record<Dimension, number>> = {};
  for (const d of DIMENSIONS) {
    const m = mean(result.metrics.filter((s) => s.dimension === d).map((s) => s.score));
    if (m !== undefined) out[d] = m;
  }
  return out;
}

export const caseScore = (result: CaseResult) => mean(Object.values(dimensionScores(result)));

function meanBy<K extends string>(rows: readonly { key: K; value: number }[]): Partial<Record<K, number>> {
  const groups = new Map<K, number[]>();
  for (const { key, value } of rows) groups.set(key, [...(groups.get(key) ?? []), value]);
  return Object.fromEntries([...groups].map(([k, vs]) => [k, mean(vs)!])) as Partial<Record<K, number>>;
}

export function aggregateModel(run: EvalRun, label: string): ModelAggregate {
  const results = run.results.filter((r) => r.model === label);
  const ok = results.filter((r) => r.status === 'ok');
  const perCase = ok.map((r) => {
    const rows = Object.entries(dimensionScores(r)).map(([key, value]) => ({
      key: key as Dimension,
      value: value!,
    }));
    return { r, rows, score: mean(rows.map((row) => row.value)) };
  });
  const scored = perCase.filter((c) => c.score !== undefined);
  const byCategoryDimension: ModelAggregate['byCategoryDimension'] = {};
  for (const category of CaseCategorySchema.options) {
    const rows = perCase.filter((c) => c.r.category === category).flatMap((c) => c.rows);
    if (rows.length) byCategoryDimension[category] = meanBy(rows);
  }
  return {
    model: label,
    modelId: run.models.find((m) => m.label === label)?.modelId ?? label,
    total: results.length,
    errored: results.length - ok.length,
    overall: mean(scored.map((c) => c.score!)) ?? null,
    byDimension: meanBy(perCase.flatMap((c) => c.rows)),
    byCategory: meanBy(scored.map((c) => ({ key: c.r.category, value: c.score! }))),
    byCategoryDimension,
    meanLatencyMs: mean(ok.map((r) => r.latencyMs)) ?? null,
    retries: results.reduce((n, r) => n + Math.max(0, r.attempts - 1), 0),
  };
}

export const aggregateRun = (run: EvalRun) => run.models.map((m) => aggregateModel(run, m.label));
