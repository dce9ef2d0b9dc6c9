/**
 * The evaluation area's public API: what the pipeline, the registry, notifications and the CLI use.
 */
export { aggregateRun, type ModelAggregate } from './aggregate.ts';
export {
  type CaseChange,
  type ComparedCase,
  type CompareSide,
  compareReports,
  type ReportComparison,
  type ScoreRow,
  type SideSummary,
  type SuiteDifference,
} from './compare.ts';
export { type EvaluateOptions, evaluateAndSave } from './evaluate.ts';
export {
  categoryLabel,
  decideGate,
  type GateCheck,
  type GateDecision,
  GateDecisionSchema,
  type GateLabels,
  gateLine,
} from './gate.ts';
export { DIMENSIONS, type Dimension, METRICS, type MetricKey } from './metrics/index.ts';
export { buildReport, type ModelSummary, summarize } from './report/build-report.ts';
export { renderHtmlReport } from './report/html.ts';
export { type EvalReport, EvalReportSchema } from './report/report.schema.ts';
export { DEFAULT_RETRY, type RetryPolicy } from './retry.ts';
export {
  type CaseResult,
  type EvalRun,
  EvalRunSchema,
  type ModelRef,
  ModelRefSchema,
} from './run.schema.ts';
export {
  type EvalProgress,
  newRunId,
  type RunEvaluationOptions,
  runEvaluation,
  snapshotSuite,
} from './runner.ts';
export { listRuns, parseReport, readReport, resolveRun, type SavedRun, saveReport } from './store.ts';
export { CASE_CATEGORIES, type EvalCase, type EvalSuite, EvalSuiteSchema } from './suite.schema.ts';
export { loadSuite, parseSuite } from './suite.ts';
export {
  configuredSuite,
  heldOutSlice,
  type ProjectSuite,
  projectSuite,
  suiteMismatch,
  withoutHeldOut,
} from './suite-source.ts';
export { parseTrainingMetricsCsv } from './training-metrics.ts';
