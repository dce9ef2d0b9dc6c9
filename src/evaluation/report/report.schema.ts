import { z } from 'zod';
import { ModelAggregateSchema } from '../aggregate.ts';
import { GateDecisionSchema } from '../gate.ts';
import { CaseResultSchema, JudgeStatusSchema, ModelRefSchema, SuiteSnapshotSchema } from '../run.schema.ts';
import { LossPointSchema } from '../training-metrics.ts';

/**
 * The evaluation report: what `.tunekit/eval/<run-id>/report.json` holds, what the registry stores with
 * a model version and what the pipeline's gate step reads. Versioned so readers can refuse the unknown.
 */
export const EvalReportSchema = z.object({
  schemaVersion: z.literal(1),
  runId: z.string(),
  createdAt: z.iso.datetime(),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
  durationMs: z.number().min(0),
  concurrency: z.int().min(1),
  suite: SuiteSnapshotSchema,
  models: z.array(ModelRefSchema),
  judge: JudgeStatusSchema,
  aggregates: z.array(ModelAggregateSchema),
  gate: GateDecisionSchema.optional(),
  trainingLoss: z.array(LossPointSchema).optional(),
  /** The job's validation_metrics.csv, when it had validation data (bedrock-facts §4.3). */
  validationLoss: z.array(LossPointSchema).optional(),
  results: z.array(CaseResultSchema),
});
export type EvalReport = z.infer<typeof EvalReportSchema>;
