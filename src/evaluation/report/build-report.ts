import { aggregateRun } from '../aggregate.ts';
import type { GateDecision } from '../gate.ts';
import { DIMENSIONS, type Dimension } from '../metrics/metric.ts';
import type { EvalRun } from '../run.schema.ts';
import { parseTrainingMetricsCsv } from '../training-metrics.ts';
import { type EvalReport, EvalReportSchema } from './report.schema.ts';

/** Turns a run (+ the gate's decision and the training and validation loss, when known) into the stored report. */
export function buildReport(
  run: EvalRun,
  gate?: GateDecision,
  trainingMetricsCsv?: string,
  validationMetricsCsv?: string,
): EvalReport {
  const report: EvalReport = {
    schemaVersion: 1,
    runId: run.id,
    createdAt: new Date().toISOString(),
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    durationMs: Date.parse(run.finishedAt) - Date.parse(run.startedAt),
    concurrency: run.concurrency,
    suite: run.suite,
    models: run.models,
    judge: run.judge,
    aggregates: aggregateRun(run),
    ...(gate ? { gate } : {}),
    ...(trainingMetricsCsv !== undefined
      ? { trainingLoss: parseTrainingMetricsCsv(trainingMetricsCsv) }
      : {}),
    ...(validationMetricsCsv !== undefined
      ? { validationLoss: parseTrainingMetricsCsv(validationMetricsCsv, 'validation metrics') }
      : {}),
    results: run.results,
  };
  // Parsing our own output is cheap insurance: a report the registry cannot read is never written.
  return EvalReportSchema.parse(report);
}

export interface ModelSummary {
  model: string;
  modelId: string;
  overall: number | null;
  dimensions: Partial<Record<Dimension, number>>;
  errored: number;
  total: number;
}

/** Per-dimension scores per model: what notifications and the CLI print. */
export function summarize(report: EvalReport): {
  models: ModelSummary[];
  gate?: { passed: boolean; summary: string };
  judge: string;
} {
  return {
    models: report.aggregates.map((a) => ({
      model: a.model,
      modelId: a.modelId,
      overall: a.overall,
      dimensions: Object.fromEntries(
        DIMENSIONS.filter((d) => a.byDimension[d] !== undefined).map((d) => [d, a.byDimension[d]!]),
      ),
      errored: a.errored,
      total: a.total,
    })),
    ...(report.gate ? { gate: { passed: report.gate.passed, summary: report.gate.summary } } : {}),
    judge: judgeLine(report),
  };
}

/** "used (model)", "used (model; 3 of 64 judgements failed)" or "skipped: <reason>". */
export function judgeLine(report: EvalReport): string {
  if (report.judge.status !== 'used') return `skipped: ${report.judge.reason ?? ''}`;
  const answered = report.results.filter((r) => r.status === 'ok');
  const failed = answered.filter((r) => r.judgeError).length;
  return `used (${report.judge.model}${failed ? `; ${failed} of ${answered.length} judgements failed` : ''})`;
}
