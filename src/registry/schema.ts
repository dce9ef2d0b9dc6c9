import { z } from 'zod';
import { METHODS } from '../models/methods.ts';

/**
 * The registry's formats (DESIGN: schemas are the source of truth). Three kinds of object live in the bucket:
 * - one `ModelVersion` record per version folder (`models/<name>-vX.Y/version.json`), never overwritten;
 * - one `RegistryIndex` per model name, the only object ever rewritten (compare-and-swap on its ETag);
 * - one `HistoryEvent` per index revision (`history/<revision>-<id>.json`), append-only.
 */

export const VERSION_PATTERN = /^v(\d{1,6})\.(\d{1,6})$/;
export const VersionIdSchema = z.string().regex(VERSION_PATTERN, 'a version looks like v1.0, v2.3');

export const ALIASES = ['production', 'previous'] as const;
export const AliasSchema = z.enum(ALIASES);
export type Alias = z.infer<typeof AliasSchema>;

export const DataManifestSchema = z.object({
  uri: z.string().describe('S3 URI of the training data the model learned from'),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex sha256'),
  records: z.int().min(0),
  format: z.string().optional().describe('dataset format, e.g. bedrock-conversation-2024'),
  validationUri: z.string().optional(),
  dateRange: z.object({ from: z.string(), to: z.string() }).optional(),
});
export type DataManifest = z.infer<typeof DataManifestSchema>;

export const EvaluationSummarySchema = z.object({
  /** Named scores in 0..1, e.g. { overall: 0.82, inDomain: 0.9, outOfDomain: 0.7, safety: 1 }. */
  scores: z.record(z.string(), z.number()),
  baselineScores: z.record(z.string(), z.number()).optional(),
  reportUri: z.string().optional().describe('where the full evaluation report lives'),
});
export type EvaluationSummary = z.infer<typeof EvaluationSummarySchema>;

export const GateDecisionSchema = z.object({
  passed: z.boolean(),
  reasons: z.array(z.string()).default([]),
});
export type GateDecision = z.infer<typeof GateDecisionSchema>;

/**
 * How the version was customized: the method and its options (teacher, grader, RFT hyperparameters). A
 * version without it predates methods and was fine-tuned.
 */
export const CustomizationRecordSchema = z.object({
  method: z.enum(METHODS),
  customizationType: z.string().describe('CreateModelCustomizationJob customizationType'),
  teacherModel: z.string().optional().describe('distillation: teacherModelIdentifier'),
  maxResponseLengthForInference: z.int().optional(),
  grader: z.string().optional().describe('reinforcement: the grader file in the project'),
  rftHyperparameters: z
    .record(z.string(), z.union([z.number(), z.string()]))
    .optional()
    .describe('reinforcement: rftConfig.hyperParameters as sent'),
});
export type CustomizationRecord = z.infer<typeof CustomizationRecordSchema>;

/** What a caller (the pipeline's RegisterModel task, or a user) supplies to register a version. */
export const VersionInputSchema = z.object({
  baseModelId: z.string().min(1),
  baseModelFamily: z.string().min(1),
  jobArn: z.string().optional(),
  customModelArn: z.string().optional(),
  deploymentArn: z.string().optional(),
  hyperparameters: z.record(z.string(), z.union([z.number(), z.string()])).default({}),
  customization: CustomizationRecordSchema.optional(),
  dataManifest: DataManifestSchema.optional(),
  evaluation: EvaluationSummarySchema.optional(),
  gate: GateDecisionSchema.optional(),
  /** Full evaluation report, stored as the tutorial's `evaluation-report.json` when given. */
  evaluationReport: z.unknown().optional(),
  notes: z.string().optional(),
});
export type VersionInput = z.input<typeof VersionInputSchema>;

export const ModelVersionSchema = VersionInputSchema.omit({ evaluationReport: true }).extend({
  schemaVersion: z.literal(1),
  name: z.string(),
  version: VersionIdSchema,
  registeredAt: z.iso.datetime(),
  registeredBy: z.string(),
});
export type ModelVersion = z.infer<typeof ModelVersionSchema>;

/** One line of the index: enough to list, number and promote without reading every folder. */
export const IndexEntrySchema = z.object({
  version: VersionIdSchema,
  /** `pending`: number reserved, folder being written; only `registered` versions are complete. */
  status: z.enum(['pending', 'registered']),
  reservedAt: z.iso.datetime(),
  registeredAt: z.iso.datetime().optional(),
  baseModelId: z.string(),
  /** fine-tuning, distillation or reinforcement (absent: fine-tuning, registered before methods). */
  method: z.enum(METHODS).optional(),
  dataFormat: z.string().optional(),
  jobArn: z.string().optional(),
  customModelArn: z.string().optional(),
  gatePassed: z.boolean().optional(),
  overallScore: z.number().optional(),
  /**
   * When tunekit deleted this version's custom model (a rejected candidate past
   * `registry.rejectedModelRetentionDays`): the record stays, the model and its storage bill are gone.
   */
  customModelDeletedAt: z.iso.datetime().optional(),
});
export type IndexEntry = z.infer<typeof IndexEntrySchema>;

export const HistoryActionSchema = z.enum(['reserve', 'register', 'promote', 'rollback', 'delete-model']);
export type HistoryAction = z.infer<typeof HistoryActionSchema>;

export const HistoryEventSchema = z.object({
  /** The index revision this event produced: revision N is the Nth change to the registry. */
  revision: z.int().min(1),
  id: z.string().regex(/^[a-z0-9]{6,32}$/),
  at: z.iso.datetime(),
  actor: z.string(),
  action: HistoryActionSchema,
  version: VersionIdSchema,
  /** For promote/rollback: the production version it replaced (absent when there was none). */
  from: VersionIdSchema.optional(),
  reason: z.string().optional(),
  deploymentArn: z.string().optional(),
  /** A promotion that overrode a failed evaluation gate (`--force`). */
  forced: z.boolean().optional(),
});
export type HistoryEvent = z.infer<typeof HistoryEventSchema>;

export const RegistryIndexSchema = z.object({
  schemaVersion: z.literal(1),
  kind: z.literal('tunekit-registry-index'),
  name: z.string(),
  /** Incremented by every change; equals the number of history events. */
  revision: z.int().min(0),
  versions: z.array(IndexEntrySchema),
  aliases: z.partialRecord(AliasSchema, VersionIdSchema),
  /** Production versions, oldest first: promote pushes, rollback pops (so rollback can go back twice). */
  productionStack: z.array(VersionIdSchema),
  /**
   * The event of the latest revision. Its history object is written after the swap; whoever changes the index
   * next writes it first if it is missing, so a crash between the two writes never loses an event.
   */
  lastEvent: HistoryEventSchema.optional(),
  updatedAt: z.iso.datetime(),
});
export type RegistryIndex = z.infer<typeof RegistryIndexSchema>;

export function emptyIndex(name: string, now: Date): RegistryIndex {
  return {
    schemaVersion: 1,
    kind: 'tunekit-registry-index',
    name,
    revision: 0,
    versions: [],
    aliases: {},
    productionStack: [],
    updatedAt: now.toISOString(),
  };
}
