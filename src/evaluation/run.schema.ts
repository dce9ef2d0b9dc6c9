import { z } from 'zod';
import { DIMENSIONS } from './metrics/metric.ts';
import { CaseCategorySchema } from './suite.schema.ts';

/**
 * The raw outcome of an evaluation run: one result per (case, model). Scores are 0..1. A case that
 * could not be answered (model error, throttling that outlasted the retries, a malformed answer) is
 * `status: 'error'` with the reason — recorded, never dropped, never scored.
 */
export const DimensionSchema = z.enum(DIMENSIONS);

export const MetricScoreSchema = z.object({
  metric: z.string(),
  dimension: DimensionSchema,
  score: z.number().min(0).max(1),
  detail: z.string().optional(),
});
export type MetricScore = z.infer<typeof MetricScoreSchema>;

export const ModelRefSchema = z.object({
  label: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'use letters, digits, dot, dash, underscore'),
  modelId: z.string().min(1),
});
export type ModelRef = z.infer<typeof ModelRefSchema>;

export const CaseResultSchema = z.object({
  caseId: z.string(),
  category: CaseCategorySchema,
  model: z.string().describe('the model label'),
  status: z.enum(['ok', 'error']),
  answer: z.string().optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  /** Model calls made for this answer, including retried throttles. */
  attempts: z.int().min(0),
  latencyMs: z.number().min(0),
  usage: z.object({ inputTokens: z.number(), outputTokens: z.number() }).optional(),
  stopReason: z.string().optional(),
  metrics: z.array(MetricScoreSchema),
  /** Set when the judge was used but its call for this answer failed. */
  judgeError: z.string().optional(),
});
export type CaseResult = z.infer<typeof CaseResultSchema>;

export const JudgeStatusSchema = z.object({
  status: z.enum(['used', 'skipped']),
  model: z.string().optional(),
  /** Why the judge was skipped (none configured, unreachable: the error). */
  reason: z.string().optional(),
});
export type JudgeStatus = z.infer<typeof JudgeStatusSchema>;

/** The suite as it was when the run happened (the file may change later; the report must not). */
export const SuiteSnapshotSchema = z.object({
  name: z.string(),
  description: z.string().optional(),
  cases: z.array(
    z.object({
      id: z.string(),
      category: CaseCategorySchema,
      tags: z.array(z.string()),
      prompt: z.string(),
      reference: z.string(),
      expectedTheme: z.string().optional(),
    }),
  ),
});
export type SuiteSnapshot = z.infer<typeof SuiteSnapshotSchema>;

export const EvalRunSchema = z.object({
  id: z.string(),
  suite: SuiteSnapshotSchema,
  models: z.array(ModelRefSchema).min(1),
  judge: JudgeStatusSchema,
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
  concurrency: z.int().min(1),
  results: z.array(CaseResultSchema),
});
export type EvalRun = z.infer<typeof EvalRunSchema>;
