import { z } from 'zod';

/**
 * One row of the model catalog: everything tunekit needs to know about a customizable Bedrock base
 * model, as data. Unknown facts are `null` (never invented); every price names its source and date.
 */

export const DatasetFormatSchema = z.enum([
  'prompt-completion',
  'bedrock-conversation-2024',
  'claude-messages',
]);
export type DatasetFormat = z.infer<typeof DatasetFormatSchema>;

/** Request/response body shape of InvokeModel for the family. */
export const RuntimeBodySchema = z.enum(['nova-messages', 'titan-text', 'claude-messages', 'llama-prompt']);
export type RuntimeBody = z.infer<typeof RuntimeBodySchema>;

export const HyperparameterSpecSchema = z.object({
  name: z.string().describe('API name, sent as a string value in hyperParameters'),
  type: z.enum(['int', 'float']),
  min: z.number(),
  max: z.number(),
  default: z.number(),
  description: z.string(),
});
export type HyperparameterSpec = z.infer<typeof HyperparameterSpecSchema>;

export const PriceSchema = z.object({
  usd: z.number().nullable().describe('null when no source states it'),
  unit: z.string(),
  source: z.string(),
  asOf: z.string().describe('date of the source, or "undated"'),
});
export type Price = z.infer<typeof PriceSchema>;

export const ModelLimitsSchema = z.object({
  minRecords: z.int().nullable(),
  maxRecords: z.int().nullable(),
  maxValidationRecords: z.int().nullable(),
  /** input+output tokens per record (at the default batch size) */
  maxTokensPerRecord: z.int().nullable(),
  maxCharsPerRecord: z.int().nullable(),
  maxTrainingFileBytes: z.int().nullable(),
  maxValidationFileBytes: z.int().nullable(),
  notes: z.array(z.string()).default([]),
});
export type ModelLimits = z.infer<typeof ModelLimitsSchema>;

/** Where a cross-Region (system-defined) inference profile routes calls: the geography of the caller's Region. */
export const GeographySchema = z.enum(['us', 'eu', 'apac', 'global']);
export type Geography = z.infer<typeof GeographySchema>;

/**
 * How the base model is called on demand (InvokeModel/Converse). Some models have no in-Region on-demand
 * route: Bedrock refuses their plain id with "Invocation of model ID ... with on-demand throughput isn't
 * supported. Retry your request with the ID or ARN of an inference profile that contains this model."
 */
export const OnDemandInferenceSchema = z.object({
  inRegion: z
    .array(z.string())
    .describe('Regions where the plain invokeId works on demand; elsewhere an inference profile is required'),
  profiles: z
    .partialRecord(GeographySchema, z.string())
    .describe('system-defined inference profile id per geography (us., eu., apac., global.)'),
  sources: z.array(z.string()),
});
export type OnDemandInference = z.infer<typeof OnDemandInferenceSchema>;

export const ModelSpecSchema = z.object({
  id: z.string().describe('baseModelIdentifier for CreateModelCustomizationJob'),
  invokeId: z.string().describe('model id of the base model for InvokeModel/Converse'),
  aliases: z.array(z.string()).default([]),
  name: z.string(),
  provider: z.enum(['Amazon', 'Anthropic', 'Meta']),
  family: z.enum(['nova', 'nova-2', 'claude-3', 'llama-3.1', 'llama-3.2', 'titan-text']),
  format: DatasetFormatSchema,
  runtimeBody: RuntimeBodySchema,
  lifecycle: z.enum(['ACTIVE', 'LEGACY', 'END_OF_LIFE']),
  lifecycleNote: z.string().optional(),
  regions: z.array(z.string()),
  customizationTypes: z.array(
    z.enum(['FINE_TUNING', 'CONTINUED_PRE_TRAINING', 'DISTILLATION', 'REINFORCEMENT_FINE_TUNING']),
  ),
  teachers: z
    .array(z.string())
    .default([])
    .describe(
      'for DISTILLATION with this model as student: the teacher models (base model ids, without a geography prefix) Bedrock accepts',
    ),
  limits: ModelLimitsSchema,
  hyperparameters: z.array(HyperparameterSpecSchema),
  reservedStrings: z.array(z.string()).describe('strings that make the job fail if present in prompts'),
  onDemandDeployment: z
    .boolean()
    .describe('CreateCustomModelDeployment (per-token, no hourly bill) possible'),
  provisionedThroughput: z.boolean(),
  onDemandInference: OnDemandInferenceSchema,
  prices: z.object({
    trainingPer1kTokens: PriceSchema,
    storagePerModelMonth: PriceSchema,
    provisionedNoCommitPerHour: PriceSchema,
    inputPer1kTokens: PriceSchema,
    outputPer1kTokens: PriceSchema,
  }),
  sources: z.array(z.string()),
});
export type ModelSpec = z.infer<typeof ModelSpecSchema>;
