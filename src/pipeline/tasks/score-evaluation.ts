import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import {
  buildReport,
  type CaseResult,
  categoryLabel,
  decideGate,
  type EvalRun,
  type EvalSuite,
  gateLine,
  newRunId,
  renderHtmlReport,
  snapshotSuite,
  summarize,
} from '../../evaluation/index.ts';
import { field, parseS3Uri, s3UriOf, type TaskContext } from './context.ts';
import type { EvaluationPlan } from './plan-evaluation.ts';

/**
 * ScoreEvaluation: joins the per-case results the Evaluate map run wrote to S3 into one evaluation run,
 * applies the gate with the configured thresholds, and stores the report (JSON for the registry, HTML
 * for people) in the bucket. Returns the small part later states and the notification need: verdict,
 * reasons, scores — never the answers, which stay in S3 (Step Functions' 256 KiB limit).
 */

interface CaseOutput {
  caseId: string;
  judge: EvalRun['judge'];
  startedAt: string;
  finishedAt: string;
  results: CaseResult[];
}

/** The Evaluate Distributed Map's result with a ResultWriter (bedrock-facts.md §11.2). */
export interface MapRunResult {
  MapRunArn: string;
  ResultWriterDetails: { Bucket: string; Key: string };
}

export interface ScoreInput {
  plan: Pick<EvaluationPlan, 'suiteKey' | 'bucket' | 'models' | 'concurrency' | 'productionNote'>;
  results: MapRunResult;
  training: unknown;
  executionName: string;
}

async function readJson<T>(ctx: TaskContext, bucket: string, key: string): Promise<T> {
  const object = await ctx.clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return JSON.parse(await object.Body!.transformToString()) as T;
}

/**
 * Every case's output from the map run's result files (manifest.json -> SUCCEEDED_n.json, each entry's
 * `Output` a JSON string), in suite order. A failed child fails the Map state, so only SUCCEEDED files
 * are read here.
 */
export async function readCaseOutputs(ctx: TaskContext, run: MapRunResult, suite: EvalSuite) {
  const { Bucket, Key } = run.ResultWriterDetails;
  const manifest = await readJson<{ ResultFiles: { SUCCEEDED?: { Key: string }[] } }>(ctx, Bucket, Key);
  const outputs: CaseOutput[] = [];
  for (const file of manifest.ResultFiles.SUCCEEDED ?? []) {
    for (const entry of await readJson<{ Output: string }[]>(ctx, Bucket, file.Key)) {
      outputs.push(JSON.parse(entry.Output) as CaseOutput);
    }
  }
  const order = new Map(suite.cases.map((c, i) => [c.id, i]));
  return outputs.sort((a, b) => (order.get(a.caseId) ?? 0) - (order.get(b.caseId) ?? 0));
}

/** Where Bedrock writes a job's metrics in its output folder (bedrock-facts.md §4.3). */
const METRICS_FILES = {
  training: 'training_artifacts/step_wise_training_metrics.csv',
  validation: 'validation_artifacts/post_fine_tuning_validation/validation_metrics.csv',
} as const;

async function metricsCsv(
  input: ScoreInput,
  ctx: TaskContext,
  which: keyof typeof METRICS_FILES,
): Promise<string | undefined> {
  const jobArn = field<string>(input.training, 'jobArn');
  const out = field<{ S3Uri?: string; s3Uri?: string }>(input.training, 'outputDataConfig');
  const where = parseS3Uri(out?.S3Uri ?? out?.s3Uri ?? '');
  if (!jobArn || !where) return undefined;
  const prefix = where.key && !where.key.endsWith('/') ? `${where.key}/` : where.key;
  const key = `${prefix}model-customization-job-${jobArn.split('/').pop()}/${METRICS_FILES[which]}`;
  try {
    const r = await ctx.clients.s3.send(new GetObjectCommand({ Bucket: where.bucket, Key: key }));
    return await r.Body!.transformToString();
  } catch {
    return undefined; // the loss curves are a nice-to-have in the report (no validation data: no file)
  }
}

const numbers = (o: Record<string, number | null | undefined>) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => typeof v === 'number')) as Record<string, number>;

export async function scoreEvaluation(input: ScoreInput, ctx: TaskContext) {
  const { models, concurrency } = input.plan;
  const suite = await readJson<EvalSuite>(ctx, input.plan.bucket, input.plan.suiteKey);
  const cases = await readCaseOutputs(ctx, input.results, suite);
  const starts = cases.map((r) => r.startedAt).sort();
  const ends = cases.map((r) => r.finishedAt).sort();
  const run: EvalRun = {
    id: newRunId(),
    suite: snapshotSuite(suite),
    models,
    judge: cases[0]?.judge ?? { status: 'skipped', reason: 'no cases ran' },
    startedAt: starts[0] ?? new Date().toISOString(),
    finishedAt: ends.at(-1) ?? new Date().toISOString(),
    concurrency,
    results: cases.flatMap((r) => r.results),
  };
  const hasProduction = models.some((m) => m.label === 'production');
  const gate = decideGate(run, ctx.config.gate, {
    baseline: 'baseline',
    candidate: 'candidate',
    ...(hasProduction ? { production: 'production' } : {}),
  });
  const report = buildReport(
    run,
    gate,
    await metricsCsv(input, ctx, 'training'),
    await metricsCsv(input, ctx, 'validation'),
  );
  const prefix = `reports/${input.executionName}/`;
  const bucket = ctx.config.bucket;
  await ctx.clients.s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: `${prefix}evaluation-report.json`,
      Body: JSON.stringify(report, null, 2),
      ContentType: 'application/json',
    }),
  );
  await ctx.clients.s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: `${prefix}evaluation-report.html`,
      Body: renderHtmlReport(report),
      ContentType: 'text/html; charset=utf-8',
    }),
  );
  const summary = summarize(report);
  const byLabel = (label: string) => summary.models.find((m) => m.model === label);
  // The suite categories the gate compares ("category safety") sit next to the scoring dimensions, under
  // the names the gate lines use, so a table of these scores shows what each gate line compared.
  const scoresOf = (label: string) => {
    const m = byLabel(label);
    const byCategory = report.aggregates.find((a) => a.model === label)?.byCategory ?? {};
    const categories = Object.fromEntries(
      Object.entries(byCategory).map(([c, v]) => [categoryLabel(c as keyof typeof byCategory), v]),
    );
    return m ? numbers({ overall: m.overall, ...m.dimensions, ...categories }) : {};
  };
  return {
    passed: gate.passed,
    summary: gate.summary,
    reasons: gate.checks.filter((c) => !c.passed).map(gateLine),
    // Every check with its outcome, passed ones too: shows what the candidate was compared against.
    checks: gate.checks.map((c) => ({ name: c.name, passed: c.passed, reason: c.reason, line: gateLine(c) })),
    scores: scoresOf('candidate'),
    baselineScores: scoresOf('baseline'),
    ...(hasProduction ? { productionScores: scoresOf('production') } : {}),
    dimensions: summary.models,
    judge: summary.judge,
    productionNote: input.plan.productionNote ?? null,
    errored: summary.models.reduce((n, m) => n + m.errored, 0),
    reportUri: s3UriOf(bucket, `${prefix}evaluation-report.json`),
    htmlReportUri: s3UriOf(bucket, `${prefix}evaluation-report.html`),
  };
}
