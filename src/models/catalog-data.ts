import type { HyperparameterSpec, ModelLimits, ModelSpec, Price } from './schema.ts';

/**
 * Bedrock's customizable text models, from ../shared/reference/bedrock-facts.md (§1 models, §2 formats,
 * §3 limits and hyperparameters, §5 inference, §9 prices). Rows are data: adding a model is adding a row.
 * Where the facts say UNCONFIRMED the value is null or the row says so in `notes`.
 */

/** Where a user checks today's price; cited for every price we could not confirm. */
export const PRICING_PAGE = 'https://aws.amazon.com/bedrock/pricing/';
/** The date the prices below were last looked up. */
const CHECKED = 'checked 2026-12-04';
const unknownPrice = (unit: string): Price => ({
  usd: null,
  unit,
  source: PRICING_PAGE,
  asOf: CHECKED,
});
const GAPS =
  'https://github.com/sungminna/GapS/blob/main/crawl/dump/aws_pricing_data_titan.md (a crawl of https://aws.amazon.com/bedrock/pricing/)';
const HELICONE =
  'https://github.com/Helicone/helicone/blob/main/packages/cost/models/authors/amazon/endpoints.ts (per 1M tokens)';
/** Where the custom Nova model's per-token rate is said to be the base model's ("the standard rate for the model"). */
export const NOVA_CUSTOM_RATE =
  'https://aws.amazon.com/blogs/machine-learning/customize-amazon-nova-models-with-amazon-bedrock-fine-tuning/';
/** Nova Micro's on-demand rate as the pricing page showed it. */
const NOVA_MICRO_PRICE_PAGE =
  'https://techdailyfeed.com/understanding-amazon-bedrock-pricing-from-on-demand-to-fine-tuning (quoting https://aws.amazon.com/bedrock/pricing/)';
/** Where the on-demand routes come from (inference profiles: bedrock-facts §11.4 and the pages below). */
const PROFILE_DOC =
  'https://docs.aws.amazon.com/bedrock/latest/userguide/inference-profiles-support.html (Supported cross-Region inference profiles)';
const PROFILE_REFUSED =
  "https://github.com/langchain-ai/langchain-aws/issues/258 (the plain id gets ValidationException: ... isn't supported. Retry your request with the ID or ARN of an inference profile ...)";

const novaHyperparameters: HyperparameterSpec[] = [
  {
    name: 'epochCount',
    type: 'int',
    min: 1,
    max: 5,
    default: 2,
    description: 'passes over the training data',
  },
  {
    name: 'learningRate',
    type: 'float',
    min: 1e-6,
    max: 1e-4,
    default: 1e-5,
    description: 'step size of the optimiser',
  },
  {
    name: 'learningRateWarmupSteps',
    type: 'int',
    min: 0,
    max: 100,
    default: 10,
    description: 'steps over which the learning rate ramps up (guidance: records / 640 for Micro)',
  },
];

const llamaHyperparameters: HyperparameterSpec[] = [
  {
    name: 'epochCount',
    type: 'int',
    min: 1,
    max: 10,
    default: 5,
    description: 'passes over the training data',
  },
  {
    name: 'batchSize',
    type: 'int',
    min: 1,
    max: 1,
    default: 1,
    description: 'records per step (fixed at 1)',
  },
  {
    name: 'learningRate',
    type: 'float',
    min: 5e-6,
    max: 0.1,
    default: 1e-4,
    description: 'step size of the optimiser',
  },
];

const titanHyperparameters: HyperparameterSpec[] = [
  {
    name: 'epochCount',
    type: 'int',
    min: 1,
    max: 10,
    default: 5,
    description: 'passes over the training data',
  },
  { name: 'batchSize', type: 'int', min: 1, max: 64, default: 1, description: 'records per step' },
  {
    name: 'learningRate',
    type: 'float',
    min: 0,
    max: 1,
    default: 1e-5,
    description: 'step size of the optimiser',
  },
  {
    name: 'learningRateWarmupSteps',
    type: 'int',
    min: 0,
    max: 250,
    default: 5,
    description: 'warm-up steps',
  },
];

const claudeHyperparameters: HyperparameterSpec[] = [
  {
    name: 'epochCount',
    type: 'int',
    min: 1,
    max: 10,
    default: 2,
    description: 'passes over the training data',
  },
  { name: 'batchSize', type: 'int', min: 4, max: 256, default: 32, description: 'records per step' },
  {
    name: 'learningRateMultiplier',
    type: 'float',
    min: 0.1,
    max: 2,
    default: 1,
    description: 'multiplier on the base learning rate',
  },
  {
    name: 'earlyStoppingThreshold',
    type: 'float',
    min: 0,
    max: 0.1,
    default: 0.001,
    description: 'minimum validation-loss improvement',
  },
  {
    name: 'earlyStoppingPatience',
    type: 'int',
    min: 1,
    max: 10,
    default: 2,
    description: 'evaluations without improvement before stopping',
  },
];

const NOVA_RESERVED = [
  'User:',
  'Bot:',
  'Assistant:',
  'System:',
  '<image>',
  '<video>',
  '[EOS]',
  'Thought:',
  '<unk>',
];

const limits = (partial: Partial<ModelLimits>): ModelLimits => ({
  minRecords: null,
  maxRecords: null,
  maxValidationRecords: null,
  maxTokensPerRecord: null,
  maxCharsPerRecord: null,
  maxTrainingFileBytes: null,
  maxValidationFileBytes: null,
  notes: [],
  ...partial,
});

/**
 * A custom Nova model on a custom model deployment is billed per token at its base model's on-demand rate
 * (NOVA_CUSTOM_RATE), so the base model's price is the custom model's.
 */
const novaPrices = (
  input: number,
  output: number,
  source: { source: string; asOf: string } = { source: HELICONE, asOf: '2025' },
): ModelSpec['prices'] => ({
  trainingPer1kTokens: unknownPrice('per 1,000 training tokens'),
  storagePerModelMonth: unknownPrice('per custom model per month'),
  provisionedNoCommitPerHour: unknownPrice('per model unit per hour, no commitment'),
  inputPer1kTokens: { usd: input, unit: 'per 1,000 input tokens (on-demand)', ...source },
  outputPer1kTokens: { usd: output, unit: 'per 1,000 output tokens (on-demand)', ...source },
});

const novaRow = (
  key: string,
  name: string,
  id: string,
  invokeId: string,
  prices: ModelSpec['prices'],
  teachers: string[] = [],
): ModelSpec => ({
  id,
  invokeId,
  aliases: [key],
  name,
  provider: 'Amazon',
  family: 'nova',
  format: 'bedrock-conversation-2024',
  runtimeBody: 'nova-messages',
  lifecycle: 'ACTIVE',
  regions: ['us-east-1'],
  customizationTypes: ['FINE_TUNING', 'DISTILLATION'],
  // Nova students learn from a larger Nova teacher: Pro teaches Micro and Lite, Premier teaches all three
  // (bedrock-facts §11.6: Pro is teacher and student, Premier teacher only).
  teachers,
  limits: limits({
    minRecords: 8,
    maxRecords: 20_000,
    notes: ['per-record context length and validation-set maximum are not published (UNCONFIRMED)'],
  }),
  hyperparameters: novaHyperparameters,
  reservedStrings: NOVA_RESERVED,
  onDemandDeployment: true,
  provisionedThroughput: true,
  onDemandInference: {
    // Single-Region (in-Region) support of Nova 1 is us-east-1 (and GovCloud); other Regions go through
    // the us./eu. profiles. An apac. profile exists per the batch table's profile Regions, id UNCONFIRMED.
    inRegion: ['us-east-1'],
    profiles: { us: `us.${invokeId}`, eu: `eu.${invokeId}` },
    sources: [
      'https://docs.aws.amazon.com/bedrock/latest/userguide/model-card-amazon-nova-lite.html (In-Region id, Geo ids us./eu., Global not supported)',
      'https://docs.aws.amazon.com/bedrock/latest/userguide/batch-inference-supported.html (single-Region support: us-east-1)',
    ],
  },
  prices,
  sources: [
    'https://docs.aws.amazon.com/bedrock/latest/userguide/custom-model-fine-tuning.html (supported models and Regions)',
    'https://docs.aws.amazon.com/nova/latest/userguide/fine-tune-prepare-data-understanding.html (record format, reserved strings)',
    'https://docs.aws.amazon.com/bedrock/latest/userguide/cm-hp-nova-mm.html (hyperparameters)',
    'https://docs.aws.amazon.com/bedrock/latest/userguide/deploy-custom-model-on-demand.html (on-demand custom model deployment)',
  ],
});

const llamaRow = (size: string, version: '3.1' | '3.2'): ModelSpec => ({
  id: `meta.llama3-${version === '3.1' ? '1' : '2'}-${size}-instruct-v1:0:128k`,
  invokeId: `meta.llama3-${version === '3.1' ? '1' : '2'}-${size}-instruct-v1:0`,
  aliases: [`llama-${version}-${size}`],
  name: `Llama ${version} ${size.toUpperCase()} Instruct`,
  provider: 'Meta',
  family: version === '3.1' ? 'llama-3.1' : 'llama-3.2',
  format: version === '3.1' ? 'prompt-completion' : 'bedrock-conversation-2024',
  runtimeBody: 'llama-prompt',
  lifecycle: 'ACTIVE',
  regions: ['us-west-2'],
  customizationTypes: ['FINE_TUNING'],
  teachers: [],
  limits: limits({
    minRecords: 1,
    maxRecords: 10_000,
    maxValidationRecords: 1_000,
    maxTokensPerRecord: version === '3.2' ? 16_000 : null,
    notes: version === '3.2' ? ['the system array may hold only one element'] : [],
  }),
  hyperparameters: llamaHyperparameters,
  reservedStrings: [],
  onDemandDeployment: false,
  provisionedThroughput: true,
  onDemandInference: {
    // Llama 3.2 has no in-Region on-demand route at all; Llama 3.1 8B/70B only in us-west-2 (a plain id
    // from us-east-1 is refused). eu. profiles for Llama 3.2 1B/3B existed but are retired (UNCONFIRMED).
    inRegion: version === '3.1' ? ['us-west-2'] : [],
    profiles: { us: `us.meta.llama3-${version === '3.1' ? '1' : '2'}-${size}-instruct-v1:0` },
    sources: [
      PROFILE_DOC,
      PROFILE_REFUSED,
      'https://github.com/langchain-ai/langchain-aws/issues/258 (Llama 3.2: "only inference profile ids are supported", use us.meta.llama3-2-3b-instruct-v1:0)',
      'https://github.com/aws-samples/bedrock-access-gateway/issues/71 (meta.llama3-1-70b-instruct-v1:0 refused on demand in us-east-1)',
    ],
  },
  prices: {
    trainingPer1kTokens: unknownPrice('per 1,000 training tokens'),
    storagePerModelMonth: unknownPrice('per custom model per month'),
    provisionedNoCommitPerHour: unknownPrice('per model unit per hour, no commitment'),
    inputPer1kTokens: unknownPrice('per 1,000 input tokens'),
    outputPer1kTokens: unknownPrice('per 1,000 output tokens'),
  },
  sources: [
    'https://docs.aws.amazon.com/bedrock/latest/userguide/custom-model-fine-tuning.html (supported models and Regions)',
    'https://github.com/aws-samples/amazon-bedrock-samples/blob/main/custom-models/bedrock-fine-tuning/meta-llama/dataset_validation/model_config/models_registry.py',
    'https://github.com/aws-samples/amazon-bedrock-samples/blob/main/custom-models/bedrock-fine-tuning/meta-llama/dataset_validation/README.md (row limits)',
    'https://docs.aws.amazon.com/bedrock/latest/userguide/cm-hp-meta-llama31.html and cm-hp-meta-llama32.html (hyperparameters)',
  ],
});

const titanRow = (variant: 'express' | 'lite'): ModelSpec => ({
  id: `amazon.titan-text-${variant}-v1:0:${variant === 'express' ? '8k' : '4k'}`,
  invokeId: `amazon.titan-text-${variant}-v1`,
  aliases: [`amazon.titan-text-${variant}-v1`, `titan-text-${variant}`],
  name: `Titan Text G1 – ${variant === 'express' ? 'Express' : 'Lite'}`,
  provider: 'Amazon',
  family: 'titan-text',
  format: 'prompt-completion',
  runtimeBody: 'titan-text',
  lifecycle: 'END_OF_LIFE',
  lifecycleNote:
    'reached end of life on Bedrock in 2025 (invocations fail with ResourceNotFoundException); still validated so tutorial data can be checked — use amazon.nova-micro-v1:0:128k instead',
  regions: ['us-east-1', 'us-west-2'],
  customizationTypes: ['FINE_TUNING', 'CONTINUED_PRE_TRAINING'],
  teachers: [],
  limits: limits({
    minRecords: 1,
    maxRecords: 10_000,
    maxTokensPerRecord: 4_096,
    maxCharsPerRecord: 4_096 * 6,
    maxTrainingFileBytes: 1_000_000_000,
    maxValidationFileBytes: 100_000_000,
    notes: [
      `at batch size ${variant === 'express' ? '2–4' : '3–6'} the per-record limit halves to 2,048 tokens`,
      'the 10,000-record maximum is the commonly cited default (UNCONFIRMED)',
    ],
  }),
  hyperparameters: titanHyperparameters,
  reservedStrings: [],
  onDemandDeployment: false,
  provisionedThroughput: true,
  // Called by its plain id where it was offered (before end of life); it never had an inference profile.
  onDemandInference: {
    inRegion: ['us-east-1', 'us-west-2'],
    profiles: {},
    sources: [
      'https://docs.aws.amazon.com/bedrock/latest/userguide/custom-model-supported.html (an earlier version; plain model id, no inference profile)',
    ],
  },
  prices:
    variant === 'express'
      ? {
          trainingPer1kTokens: {
            usd: 0.008,
            unit: 'per 1,000 training tokens',
            source: GAPS,
            asOf: 'undated (pre-EOL)',
          },
          storagePerModelMonth: {
            usd: 1.95,
            unit: 'per custom model per month',
            source: GAPS,
            asOf: 'undated (pre-EOL)',
          },
          provisionedNoCommitPerHour: {
            usd: 20.5,
            unit: 'per model unit per hour, no commitment',
            source: GAPS,
            asOf: 'undated (pre-EOL)',
          },
          inputPer1kTokens: {
            usd: 0.0002,
            unit: 'per 1,000 input tokens',
            source: GAPS,
            asOf: 'undated (pre-EOL)',
          },
          outputPer1kTokens: {
            usd: 0.0006,
            unit: 'per 1,000 output tokens',
            source: GAPS,
            asOf: 'undated (pre-EOL)',
          },
        }
      : {
          trainingPer1kTokens: {
            usd: 0.0004,
            unit: 'per 1,000 training tokens',
            source: GAPS,
            asOf: 'undated (pre-EOL)',
          },
          storagePerModelMonth: {
            usd: 1.95,
            unit: 'per custom model per month',
            source: GAPS,
            asOf: 'undated (pre-EOL)',
          },
          provisionedNoCommitPerHour: {
            usd: 7.1,
            unit: 'per model unit per hour, no commitment',
            source: GAPS,
            asOf: 'undated (pre-EOL)',
          },
          inputPer1kTokens: {
            usd: 0.00015,
            unit: 'per 1,000 input tokens',
            source: GAPS,
            asOf: 'undated (pre-EOL)',
          },
          outputPer1kTokens: {
            usd: 0.0002,
            unit: 'per 1,000 output tokens',
            source: GAPS,
            asOf: 'undated (pre-EOL)',
          },
        },
  sources: [
    'https://github.com/aws-observability/application-signals-demo/pull/330 (2026-02-27: amazon.titan-text-express-v1 reached end of life; invocations fail with ResourceNotFoundException)',
    'https://docs.aws.amazon.com/bedrock/latest/userguide/custom-model-supported.html (an earlier version listed it)',
    'https://docs.aws.amazon.com/bedrock/latest/userguide/model-training-validation-requirements.html (record and file limits)',
    'https://docs.aws.amazon.com/bedrock/latest/userguide/cm-hp-titan-text.html (hyperparameters)',
    PRICING_PAGE,
  ],
});

/** Teachers of the smaller Nova students (bedrock-facts §11.6). */
const NOVA_TEACHERS = ['amazon.nova-pro-v1:0', 'amazon.nova-premier-v1:0'];

export const CATALOG: readonly ModelSpec[] = [
  novaRow(
    'nova-micro',
    'Amazon Nova Micro',
    'amazon.nova-micro-v1:0:128k',
    'amazon.nova-micro-v1:0',
    novaPrices(0.000035, 0.00014, { source: NOVA_MICRO_PRICE_PAGE, asOf: '2025' }),
    NOVA_TEACHERS,
  ),
  novaRow(
    'nova-lite',
    'Amazon Nova Lite',
    'amazon.nova-lite-v1:0:300k',
    'amazon.nova-lite-v1:0',
    novaPrices(0.00006, 0.00024),
    NOVA_TEACHERS,
  ),
  novaRow(
    'nova-pro',
    'Amazon Nova Pro',
    'amazon.nova-pro-v1:0:300k',
    'amazon.nova-pro-v1:0',
    novaPrices(0.0008, 0.0032),
    ['amazon.nova-premier-v1:0'],
  ),
  {
    ...novaRow(
      'nova-2-lite',
      'Amazon Nova 2 Lite',
      'amazon.nova-2-lite-v1:0:256k',
      'amazon.nova-2-lite-v1:0',
      {
        ...novaPrices(0, 0),
        inputPer1kTokens: unknownPrice('per 1,000 input tokens'),
        outputPer1kTokens: unknownPrice('per 1,000 output tokens'),
      },
    ),
    family: 'nova-2',
    // RFT on Bedrock is offered for Nova 2 Lite (bedrock-facts §11.6, §1.2); no distillation.
    customizationTypes: ['FINE_TUNING', 'REINFORCEMENT_FINE_TUNING'],
    teachers: [],
    limits: limits({
      minRecords: 200,
      maxRecords: 20_000,
      notes: [
        'validation data is not used during SFT training',
        'tool use in records is not supported',
        'hyperparameters assumed equal to Nova (UNCONFIRMED)',
      ],
    }),
    onDemandDeployment: false,
    onDemandInference: {
      // No in-Region on-demand route: the plain id is refused everywhere (bedrock-facts §11.4).
      inRegion: [],
      profiles: {
        us: 'us.amazon.nova-2-lite-v1:0',
        eu: 'eu.amazon.nova-2-lite-v1:0',
        global: 'global.amazon.nova-2-lite-v1:0',
      },
      sources: [
        PROFILE_DOC,
        PROFILE_REFUSED,
        'https://docs.aws.amazon.com/bedrock/latest/userguide/model-card-amazon-nova-2-lite.html (Geo and Global inference ids)',
      ],
    },
    sources: [
      'https://docs.aws.amazon.com/bedrock/latest/userguide/custom-model-fine-tuning.html (supported models and Regions)',
      'https://docs.aws.amazon.com/bedrock/latest/userguide/nova-2-sft-data-prep.html',
      'https://github.com/aws-samples/amazon-nova-samples/blob/main/customization/bedrock-finetuning/understanding/dataset_validation/nova_ft_dataset_validator.py (NOVA_2_0_LITE_SAMPLE_BOUNDS)',
    ],
  },
  {
    id: 'anthropic.claude-3-haiku-20240307-v1:0:200k',
    invokeId: 'anthropic.claude-3-haiku-20240307-v1:0',
    aliases: ['claude-3-haiku'],
    name: 'Claude 3 Haiku',
    provider: 'Anthropic',
    family: 'claude-3',
    format: 'claude-messages',
    runtimeBody: 'claude-messages',
    lifecycle: 'ACTIVE',
    regions: ['us-west-2'],
    customizationTypes: ['FINE_TUNING'],
    teachers: [],
    limits: limits({
      minRecords: 1,
      notes: ['record count, tokens per record and file size limits are not published (UNCONFIRMED)'],
    }),
    hyperparameters: claudeHyperparameters,
    reservedStrings: [],
    onDemandDeployment: false,
    provisionedThroughput: true,
    onDemandInference: {
      // In-Region on demand in both US Regions the profile routes to (the docs' own example).
      inRegion: ['us-east-1', 'us-west-2'],
      profiles: {
        us: 'us.anthropic.claude-3-haiku-20240307-v1:0',
        eu: 'eu.anthropic.claude-3-haiku-20240307-v1:0',
      },
      sources: [
        `${PROFILE_DOC} (example: us.anthropic.claude-3-haiku-20240307-v1:0 called from us-west-2 routes to us-east-1 or us-west-2)`,
      ],
    },
    prices: {
      trainingPer1kTokens: unknownPrice('per 1,000 training tokens'),
      storagePerModelMonth: unknownPrice('per custom model per month'),
      provisionedNoCommitPerHour: unknownPrice('per model unit per hour, no commitment'),
      inputPer1kTokens: {
        usd: 0.00025,
        unit: 'per 1,000 input tokens (base model)',
        source:
          'https://github.com/ministryofjustice/analytical-platform/issues/6601 (quoting https://aws.amazon.com/bedrock/pricing/)',
        asOf: '2025-01',
      },
      outputPer1kTokens: {
        usd: 0.00125,
        unit: 'per 1,000 output tokens (base model)',
        source:
          'https://github.com/ministryofjustice/analytical-platform/issues/6601 (quoting https://aws.amazon.com/bedrock/pricing/)',
        asOf: '2025-01',
      },
    },
    sources: [
      'https://docs.aws.amazon.com/bedrock/latest/userguide/custom-model-fine-tuning.html (supported models and Regions)',
      'https://platform.claude.com/cookbook/finetuning-finetuning-on-bedrock (record format and rules)',
      'https://docs.aws.amazon.com/bedrock/latest/userguide/cm-hp-anth-claude-3.html (hyperparameters)',
    ],
  },
  llamaRow('8b', '3.1'),
  llamaRow('70b', '3.1'),
  llamaRow('1b', '3.2'),
  llamaRow('3b', '3.2'),
  llamaRow('11b', '3.2'),
  llamaRow('90b', '3.2'),
  titanRow('express'),
  titanRow('lite'),
];
