import type { AwsClients } from '../aws/clients.ts';
import type { GateConfig } from '../config/schema.ts';
import { decideGate, type GateLabels } from './gate.ts';
import { buildReport } from './report/build-report.ts';
import type { EvalReport } from './report/report.schema.ts';
import type { ModelRef } from './run.schema.ts';
import { type EvalProgress, runEvaluation } from './runner.ts';
import { type SavedRun, saveReport } from './store.ts';
import { loadSuite } from './suite.ts';
import { parseTrainingMetricsCsv } from './training-metrics.ts';
import { readTrainingMetricsSource } from './training-metrics-source.ts';

export interface EvaluateOptions {
  suitePath: string;
  models: ModelRef[];
  clients: Pick<AwsClients, 'bedrockRuntime' | 's3'>;
  concurrency: number;
  maxTokens: number;
  judgeModel?: string;
  /** Apply the gate with these labels (omit for a plain comparison). */
  gate?: { config: GateConfig; labels: GateLabels };
  /** step_wise_training_metrics.csv: a path or an s3:// URI. */
  trainingMetrics?: string;
  /** Where runs are saved (`<outDir>/<run-id>/`). */
  outDir: string;
  onProgress?: (progress: EvalProgress) => void;
}

/**
 * `tunekit eval run` as a function: load the suite, ask the models, score, gate, save JSON + HTML.
 * Inputs that can be wrong (suite, training metrics file) are read before the first model call.
 */
export async function evaluateAndSave(
  options: EvaluateOptions,
): Promise<{ report: EvalReport; saved: SavedRun }> {
  const suite = loadSuite(options.suitePath);
  const csv = options.trainingMetrics
    ? await readTrainingMetricsSource(options.trainingMetrics, options.clients)
    : undefined;
  if (csv !== undefined) parseTrainingMetricsCsv(csv, options.trainingMetrics); // fail now, not after the run
  const run = await runEvaluation({
    suite,
    models: options.models,
    clients: options.clients,
    concurrency: options.concurrency,
    maxTokens: options.maxTokens,
    judgeModel: options.judgeModel,
    onProgress: options.onProgress,
  });
  const gate = options.gate ? decideGate(run, options.gate.config, options.gate.labels) : undefined;
  const report = buildReport(run, gate, csv);
  return { report, saved: saveReport(report, options.outDir) };
}
