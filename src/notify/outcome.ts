import { z } from 'zod';

/**
 * What the pipeline tells the notifiers at a terminal state (and, when routed, Bedrock job state changes). A discriminated union on `status`, validated
 * at the boundary because on AWS it arrives as Step Functions JSON.
 */
const Common = z.object({
  /** Execution id (or ARN): also the idempotency key, so a retried Notify state sends once. */
  executionId: z.string().min(1),
  project: z.string().min(1),
  /** Where the full report is (s3:// URI, local path or console link). */
  reportUri: z.string().optional(),
  /** Key scores in 0..1, e.g. { overall, inDomain, outOfDomain, safety }. */
  scores: z.record(z.string(), z.number()).default({}),
  /** The same scores for the base model and, when compared, the production version. */
  baselineScores: z.record(z.string(), z.number()).optional(),
  productionScores: z.record(z.string(), z.number()).optional(),
});

export const ValidationIssueSchema = z.object({
  file: z.string().optional(),
  line: z.int().optional(),
  path: z.string().default(''),
  message: z.string(),
});

export const OutcomeSchema = z.discriminatedUnion('status', [
  Common.extend({
    status: z.literal('succeeded'),
    version: z.string(),
    promoted: z.boolean(),
    customModelArn: z.string().optional(),
  }),
  Common.extend({
    status: z.literal('rejected'),
    version: z.string().optional(),
    reasons: z.array(z.string()).min(1),
  }),
  Common.extend({
    status: z.literal('validation-failed'),
    dataUri: z.string(),
    issues: z.array(ValidationIssueSchema),
    /** Total issues when `issues` is a capped sample. */
    issueCount: z.int().optional(),
  }),
  Common.extend({ status: z.literal('failed'), failedState: z.string(), cause: z.string() }),
  /** Bedrock's "Model Customization Job State Change" (executionId: the job ARN), when routed to notifiers. */
  Common.extend({
    status: z.literal('job-state-changed'),
    jobName: z.string(),
    jobStatus: z.string(),
    failureMessage: z.string().optional(),
  }),
]);
export type Outcome = z.infer<typeof OutcomeSchema>;
export type OutcomeInput = z.input<typeof OutcomeSchema>;
export type ValidationIssue = z.infer<typeof ValidationIssueSchema>;
