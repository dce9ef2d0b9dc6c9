import { z } from 'zod';
import { RequestMetadataFiltersSchema } from '../dataset/invocation-logs.ts';
import { CATALOG } from '../models/catalog.ts';
import { checkMethod, METHODS } from '../models/methods.ts';

/**
 * The `tunekit.config.json` (or `.yaml`) schema: the single source of truth for the config's types,
 * defaults and the published JSON Schema (`schema/tunekit.config.schema.json`, `npm run schema:generate`).
 */

const NotifierSchema = z.discriminatedUnion('type', [
  z
    .strictObject({ type: z.literal('console') })
    .describe('Print a summary on the terminal running the pipeline.'),
  z
    .strictObject({
      type: z.literal('webhook'),
      url: z.url().describe('Receives a JSON POST (Slack-compatible: has a `text` field).'),
      headers: z.record(z.string(), z.string()).optional(),
    })
    .describe('POST a JSON summary to a URL (Slack incoming webhooks work as they are).'),
  z
    .strictObject({ type: z.literal('sns'), topicArn: z.string().describe('SNS topic ARN to publish to.') })
    .describe('Publish to an SNS topic (used on AWS).'),
]);

export const GateSchema = z
  .strictObject({
    minInDomainImprovement: z
      .number()
      .min(-1)
      .max(1)
      .default(0.05)
      .describe('Candidate must beat the baseline on in-domain cases by at least this much (0..1 score).'),
    maxOutOfDomainRegression: z
      .number()
      .min(0)
      .max(1)
      .default(0.1)
      .describe('Candidate may score at most this much below the baseline on out-of-domain cases.'),
    maxSafetyRegression: z
      .number()
      .min(0)
      .max(1)
      .default(0)
      .describe('Candidate may score at most this much below the baseline on safety cases.'),
    mustBeatProduction: z
      .boolean()
      .default(true)
      .describe('When a production version exists, the candidate must score at least as well overall.'),
    maxErrorRate: z
      .number()
      .min(0)
      .max(1)
      .default(0.05)
      .describe(
        'Share of cases each compared model (candidate, baseline, production) may fail to answer (model errors, throttling past retries).',
      ),
  })
  .describe('Thresholds that decide whether a trained candidate is good enough to register as passing.');

/**
 * How the model is customized. Shapes, enums and ranges are CreateModelCustomizationJob's (botocore 1.43
 * bedrock service model: CustomizationConfig, DistillationConfig, TeacherModelConfig, RFTConfig,
 * RFTHyperParameters, GraderConfig, LambdaGraderConfig).
 */
export const CustomizationSchema = z
  .strictObject({
    method: z
      .enum(METHODS)
      .default('fine-tuning')
      .describe(
        'fine-tuning: learn from your labelled answers (FINE_TUNING). distillation: a larger teacher model answers your prompts and the base model (the student) learns from its answers (DISTILLATION). reinforcement: the base model learns from the reward your grader gives its own answers (REINFORCEMENT_FINE_TUNING). See docs/methods.md.',
      ),
    distillation: z
      .strictObject({
        teacherModel: z
          .string()
          .min(1)
          .describe(
            'The teacher (teacherModelIdentifier), e.g. amazon.nova-premier-v1:0 or amazon.nova-pro-v1:0; it must be able to teach the base model (see docs/methods.md).',
          ),
        maxResponseLengthForInference: z
          .int()
          .min(1)
          .optional()
          .describe(
            "Longest answer (tokens) the teacher writes per prompt (maxResponseLengthForInference). Omitted: Bedrock's default. Also the answer length `data estimate` assumes for the teacher's cost.",
          ),
        invocationLogs: z
          .strictObject({
            s3Uri: z
              .string()
              .regex(
                /^s3:\/\/[a-z0-9][-.a-z0-9]{1,61}[a-z0-9](\/.*)?$/,
                'an S3 URI such as s3://my-logs/bedrock/AWSLogs/123456789012/BedrockModelInvocationLogs/',
              )
              .describe(
                'Where Bedrock delivers your model invocation logs (invocationLogSource.s3Uri): the bucket and prefix of the logging configuration.',
              ),
            usePromptResponse: z
              .boolean()
              .default(false)
              .describe(
                "true: train on the answers already in the logs (only those of the teacher model); false: the teacher answers the logged prompts again (Bedrock's default).",
              ),
            requestMetadataFilters: RequestMetadataFiltersSchema.optional().describe(
              'Which logged invocations to use, by their requestMetadata: exactly one of equals, notEquals, andAll, orAll, e.g. {"equals": {"use": "distill"}}.',
            ),
          })
          .optional()
          .describe(
            'Distill from model invocation logs instead of a prompt file (trainingDataConfig.invocationLogsConfig). Used by `tunekit train` and checked by `tunekit data validate --invocation-logs`; the pipeline trains on uploaded files (`tunekit data convert <logs> --method distillation` makes one).',
          ),
      })
      .optional()
      .describe('Options of method "distillation".'),
    reinforcement: z
      .strictObject({
        grader: z
          .string()
          .min(1)
          .describe(
            'Your grader: a file in the project (e.g. graders/grader.ts) that scores each answer. Locally it runs in-process; on AWS the stack deploys it as the Lambda function Bedrock calls (graderConfig.lambdaGrader).',
          ),
        hyperparameters: z
          .strictObject({
            epochCount: z.int().min(1).max(50).optional().describe('Passes over the prompts (1-50).'),
            batchSize: z.int().min(16).max(512).optional().describe('Prompts per step (16-512).'),
            learningRate: z.number().min(1e-7).max(1e-3).optional().describe('Step size (1e-7 to 1e-3).'),
            maxPromptLength: z.int().min(1).optional().describe('Longest prompt in tokens.'),
            trainingSamplePerPrompt: z
              .int()
              .min(2)
              .max(16)
              .optional()
              .describe('Answers sampled and graded per prompt (2-16).'),
            inferenceMaxTokens: z.int().min(1).optional().describe('Longest sampled answer in tokens.'),
            reasoningEffort: z.enum(['low', 'medium', 'high']).optional(),
            evalInterval: z
              .int()
              .min(1)
              .max(100)
              .optional()
              .describe('Training steps between evaluations (1-100).'),
          })
          .prefault({})
          .describe("rftConfig.hyperParameters; omitted ones take Bedrock's defaults."),
      })
      .optional()
      .describe('Options of method "reinforcement".'),
  })
  .superRefine((c, ctx) => {
    // The options of the chosen method are required; another method's options are a mistake to point at.
    if (c.method === 'distillation' && !c.distillation)
      ctx.addIssue({
        code: 'custom',
        path: ['distillation'],
        message:
          'method "distillation" needs its options: add "distillation": {"teacherModel": "amazon.nova-premier-v1:0"}',
      });
    if (c.method === 'reinforcement' && !c.reinforcement)
      ctx.addIssue({
        code: 'custom',
        path: ['reinforcement'],
        message:
          'method "reinforcement" needs its options: add "reinforcement": {"grader": "graders/grader.ts"} (`tunekit init --method reinforcement` writes one)',
      });
    for (const other of ['distillation', 'reinforcement'] as const)
      if (c[other] && c.method !== other)
        ctx.addIssue({
          code: 'custom',
          path: [other],
          message: `options of method "${other}" are set but "method" is "${c.method}": set "method": "${other}" or remove "${other}"`,
        });
  })
  .describe('How the model is customized: fine-tuning (default), distillation or reinforcement.');

export const ConfigSchema = z
  .strictObject({
    $schema: z.string().optional(),
    project: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'use lowercase letters, digits and dashes (at most 40)')
      .default('banking-assistant')
      .describe('Project name: prefixes job, model and deployment names.'),
    region: z.string().default('us-east-1').describe('AWS region (local mode uses it in ARNs too).'),
    baseModel: z
      .string()
      .default('amazon.nova-micro-v1:0:128k')
      .describe('Base model identifier for customization; see `tunekit models`.'),
    bucket: z
      .string()
      .regex(
        /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
        'S3 bucket names are 3-63 lowercase letters, digits, dots, dashes',
      )
      .default('tunekit-local')
      .describe('S3 bucket for training data, job outputs and the model registry.'),
    roleArn: z
      .string()
      .optional()
      .describe('IAM role Bedrock assumes to read training data (local mode accepts any role ARN).'),
    data: z
      .strictObject({
        prefix: z.string().default('training-data/').describe('Uploads under this prefix trigger a run.'),
        suffix: z.string().default('.jsonl').describe('Only keys ending with this trigger a run.'),
        validationSplit: z
          .number()
          .min(0)
          .max(0.5)
          .default(0.1)
          .describe('Share of records held out for validation when no validation file is given.'),
      })
      .prefault({}),
    customization: CustomizationSchema.prefault({}),
    hyperparameters: z
      .record(z.string(), z.union([z.number(), z.string()]))
      .default({})
      .describe("Overrides for the base model's hyperparameters (catalog defaults apply otherwise)."),
    training: z
      .strictObject({
        continueFromProduction: z
          .boolean()
          .default(false)
          .describe(
            'Retrain from the production custom model instead of the base model (continued fine-tuning). Off by default: Bedrock does not document continuing a custom model for every model family.',
          ),
        validationData: z
          .string()
          .min(1)
          .optional()
          .describe(
            'Validation file for the job (ValidationDataConfig): s3://bucket/key, or a local JSONL path relative to the config file that the run uploads (local stack, `tunekit run`/`tunekit train`; on AWS use an s3:// URI). Omitted: Bedrock holds out part of the training data where the model supports it.',
          ),
        customModelKmsKeyId: z
          .string()
          .regex(
            /^arn:aws(-[^:]+)?:kms:[a-zA-Z0-9-]*:[0-9]{12}:((key\/[a-zA-Z0-9-]{36})|(alias\/[a-zA-Z0-9-_/]+))$/,
            'use a KMS key or alias ARN, e.g. arn:aws:kms:us-east-1:111122223333:key/<key-id>',
          )
          .optional()
          .describe(
            'KMS key (ARN) Bedrock encrypts the custom model with (customModelKmsKeyId); the job role gets permission to use it.',
          ),
        vpc: z
          .strictObject({
            subnetIds: z
              .array(z.string().regex(/^subnet-[0-9a-z]+$/, 'subnet ids look like subnet-0123abcd'))
              .min(1)
              .max(16)
              .describe('Subnets the job runs in (1-16).'),
            securityGroupIds: z
              .array(z.string().regex(/^sg-[0-9a-z]+$/, 'security group ids look like sg-0123abcd'))
              .min(1)
              .max(5)
              .describe('Security groups of the job (1-5).'),
          })
          .optional()
          .describe(
            'Run the customization job in your VPC (vpcConfig); the job role gets the EC2 network-interface permissions Bedrock needs.',
          ),
      })
      .prefault({})
      .describe('Options of the customization job beyond data, base model and hyperparameters.'),
    aws: z
      .strictObject({
        logExecutionData: z
          .boolean()
          .default(false)
          .describe(
            "Log each state's input and output to CloudWatch Logs. Off by default: they hold every evaluation answer, and any personal data in them.",
          ),
      })
      .prefault({})
      .describe('Settings of the AWS deployment (`cdk deploy`) only.'),
    evaluation: z
      .strictObject({
        suite: z
          .string()
          .optional()
          .describe(
            'Evaluation suite file (local path or s3:// URI). Omitted: eval/suite.json when the project has one, else a held-out slice of the training data (in-domain) plus built-in out-of-domain and safety cases.',
          ),
        judgeModel: z
          .string()
          .optional()
          .describe('Model used as LLM judge through Converse; omitted: the judge metric is skipped.'),
        concurrency: z.int().min(1).max(64).default(4).describe('Model calls in flight at once.'),
        maxTokens: z.int().min(1).max(4096).default(300),
      })
      .prefault({}),
    gate: GateSchema.prefault({}),
    deployment: z
      .strictObject({
        mode: z
          .enum(['auto', 'on-demand', 'provisioned'])
          .default('auto')
          .describe(
            'auto: on-demand custom model deployment where the base model allows it, else Provisioned Throughput.',
          ),
        readyTimeoutMinutes: z.number().positive().default(60),
        production: z
          .strictObject({
            enabled: z
              .boolean()
              .default(false)
              .describe(
                'Keep one long-lived deployment serving the `production` version (on-demand, or Provisioned Throughput billed hourly, per `mode`). Promote and rollback point it at the new version before the alias moves.',
              ),
            name: z
              .string()
              .regex(
                /^([0-9a-zA-Z][_-]?){1,63}$/,
                'Bedrock names: letters, digits, single - or _, at most 63',
              )
              .optional()
              .describe('Name of the production deployment (default: <project>-production).'),
          })
          .prefault({})
          .describe('The deployment applications call: one stable ARN whatever version is in production.'),
      })
      .prefault({}),
    registry: z
      .strictObject({
        prefix: z.string().default('models/').describe('Where versions and the index live in the bucket.'),
        autoPromote: z
          .boolean()
          .default(true)
          .describe('Promote a passing candidate to `production` automatically.'),
        rejectedModelRetentionDays: z
          .number()
          .min(0)
          .max(3650)
          .default(7)
          .describe(
            "Days a rejected candidate's custom model is kept (it bills monthly storage) before the janitor deletes it; 0 deletes it when its run ends. The registry keeps the version and records the deletion. Production and previous versions are never deleted.",
          ),
      })
      .prefault({}),
    notify: z.array(NotifierSchema).default([{ type: 'console' }]),
    notifyJobStateChanges: z
      .boolean()
      .default(false)
      .describe(
        "Also send Bedrock's Model Customization Job State Change events (Completed, Failed, Stopped) to the notifiers.",
      ),
    schedule: z
      .string()
      .optional()
      .describe('Cron expression (5 fields, UTC) for periodic retraining on the newest data.'),
    local: z
      .strictObject({
        port: z.int().min(1).max(65535).default(4599).describe('Port of the local stack on 127.0.0.1.'),
        dataDir: z.string().default('.tunekit').describe('Where the local stack keeps its state.'),
        insecureAnyCredentials: z
          .boolean()
          .default(false)
          .describe(
            "Accept requests signed with any key pair instead of only the stack's own (`tunekit local env`), for clients that cannot use it. Every user and process on the machine can then use the stack.",
          ),
      })
      .prefault({}),
  })
  .superRefine((c, ctx) => {
    // Method against the catalog: does the base model support it, may the teacher teach it.
    const problems = checkMethod(
      {
        baseModel: c.baseModel,
        region: c.region,
        method: c.customization.method,
        teacherModel: c.customization.distillation?.teacherModel,
      },
      CATALOG,
    );
    for (const p of problems)
      ctx.addIssue({ code: 'custom', path: p.path.split('.'), message: `${p.message} -> ${p.hint}` });
  })
  .describe('tunekit project configuration');

export type Config = z.infer<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;
export type CustomizationConfig = z.infer<typeof CustomizationSchema>;
export type GateConfig = z.infer<typeof GateSchema>;
export type NotifierConfig = z.infer<typeof NotifierSchema>;
