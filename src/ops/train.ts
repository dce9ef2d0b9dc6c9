import { createHash } from 'node:crypto';
import {
  CreateModelCustomizationJobCommand,
  GetModelCustomizationJobCommand,
  type GetModelCustomizationJobCommandOutput,
} from '@aws-sdk/client-bedrock';
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import type { AwsClients } from '../aws/clients.ts';
import { hyperparametersFor } from '../bedrock/hyperparameters.ts';
import { createJobInput, localGraderArn } from '../bedrock/job-request.ts';
import { bedrockName } from '../bedrock/names.ts';
import {
  type InvocationLogsSource,
  type PreparedTraining,
  prepareInvocationLogJob,
  prepareTrainingJob,
} from '../bedrock/prepare-job.ts';
import { type JobSlotWaitOptions, whenJobSlotFree } from '../bedrock/wait-for-job-slot.ts';
import type { Config } from '../config/schema.ts';
import { TunekitError } from '../errors.ts';
import { getModel } from '../models/catalog.ts';
import { noBucketError, resolveRunTarget } from '../pipeline/start-run.ts';
import { errorName, isLocalEndpoint, isMissingBucket } from './checks.ts';
import { defaultRoleName } from './setup.ts';
import { readStepProgress, type StepProgress } from './training-progress.ts';

/**
 * `tunekit train` (the tutorial's Lab 2) as plain functions: resolve/upload the data, then validate it and
 * prepare the job with the pipeline's own preparation (src/bedrock/prepare-job.ts), then create the job with unique names and an idempotency
 * token derived from the data and the moment — so a retried create call never starts a second job.
 */

export interface TrainOptions {
  /** Where the endpoints are read (default process.env): the local stack needs no role. */
  env?: NodeJS.ProcessEnv;
  target?: string;
  hyperparameters: Record<string, string>;
  /** The config file's directory (a local `training.validationData` path is relative to it). */
  configDir: string;
  now?: Date;
  log?: (line: string) => void;
  /**
   * The grader Lambda's ARN for a reinforcement job (on AWS: the stack's grader function). Local stack:
   * defaults to the project's grader function there.
   */
  graderArn?: string;
  /** Distill from these model invocation logs instead of a data file (trainingDataConfig.invocationLogsConfig). */
  invocationLogs?: InvocationLogsSource;
  /** How long (and how often) to wait for a free job slot when the account is at its job quota. */
  slotWait?: Pick<JobSlotWaitOptions, 'maxWaitMs' | 'firstDelayMs'>;
}

export type Validation = PreparedTraining;

export type TrainStart =
  | { started: false; validation: Validation }
  | {
      started: true;
      validation: Validation;
      jobArn: string;
      jobName: string;
      customModelName: string;
      hyperParameters: Record<string, string>;
      trainingS3Uri: string;
      /** The job's method and its options as sent (customizationType, customizationConfig). */
      customizationType: string;
      customizationConfig?: unknown;
    };

export async function startTraining(
  config: Config,
  clients: AwsClients,
  options: TrainOptions,
): Promise<TrainStart> {
  // Ranges first: nothing is uploaded or created for a typo in a flag (prepareTrainingJob resolves the
  // same values again with the same resolver once the data is in place).
  hyperparametersFor(
    config.customization.method,
    getModel(config.baseModel),
    config.hyperparameters,
    options.hyperparameters,
  );
  const graderArn = graderArnFor(config, options);
  // The local stack assumes no role (setup skips it there): a placeholder in setup's naming stands in.
  const roleArn =
    config.roleArn ??
    (isLocalEndpoint(options.env)
      ? `arn:aws:iam::000000000000:role/${defaultRoleName(config.project)}`
      : undefined);
  if (!roleArn) {
    throw new TunekitError(
      'TRAIN.NO_ROLE',
      'no "roleArn" in tunekit.config.json: Bedrock needs a role to read the data',
      {
        hint: 'run `tunekit setup` and put the role ARN it prints into "roleArn" (`tunekit doctor` checks it)',
      },
    );
  }
  const now = options.now ?? new Date();
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
  const jobOf = (seed: string) => {
    const tag = createHash('sha256').update(`${seed}:${now.toISOString()}`).digest('hex').slice(0, 8);
    return {
      names: {
        jobName: bedrockName(config.project, 'job', stamp, tag),
        customModelName: bedrockName(config.project, stamp, tag),
        clientRequestToken: `tunekit-train-${tag}`,
      },
      outputFolder: `train-${stamp}-${tag}`,
      hyperparameters: options.hyperparameters,
      configDir: options.configDir,
    };
  };
  let validation: Validation;
  if (options.invocationLogs) {
    // Distillation from invocation logs: nothing to upload, Bedrock reads the logs where they are; the
    // job still writes its outputs to the project's bucket, so that must exist before a job is created.
    await clients.s3.send(new HeadBucketCommand({ Bucket: config.bucket })).catch((error) => {
      if (isMissingBucket(error)) throw noBucketError(config.bucket);
      throw error;
    });
    validation = await prepareInvocationLogJob(config, clients, {
      ...jobOf(`logs:${JSON.stringify(options.invocationLogs)}`),
      logs: options.invocationLogs,
      onProgress: (files) => {
        if (files % 100 === 0) options.log?.(`read ${files} log files`);
      },
    });
  } else {
    const target = await resolveRunTarget(clients, config, options.target);
    // Lab 2 trains from the base model; continuing a production model is the pipeline's business.
    validation = await prepareTrainingJob(config, clients, {
      bucket: target.bucket,
      key: target.key,
      ...jobOf(`train:${target.bucket}/${target.key}:${target.etag}`),
    });
  }
  if (!validation.valid || !('job' in validation)) return { started: false, validation };
  const { job } = validation;
  try {
    // At the account's job quota, wait for a slot; the token makes each retry the same request.
    const request = createJobInput(job, roleArn, graderArn);
    const create = () => clients.bedrock.send(new CreateModelCustomizationJobCommand(request));
    const r = await whenJobSlotFree(create, { ...options.slotWait, log: options.log });
    return {
      started: true,
      validation,
      jobArn: r.jobArn!,
      jobName: job.jobName,
      customModelName: job.customModelName,
      hyperParameters: job.hyperParameters,
      trainingS3Uri: job.trainingS3Uri,
      customizationType: job.customizationType,
      ...(request.customizationConfig ? { customizationConfig: request.customizationConfig } : {}),
    };
  } catch (error) {
    if (error instanceof TunekitError) throw error;
    throw createError(error, config);
  }
}

/** The grader Lambda a reinforcement job names: the option, or the local stack's grader function. */
function graderArnFor(config: Config, options: TrainOptions): string | undefined {
  if (config.customization.method !== 'reinforcement') return undefined;
  if (options.graderArn) return options.graderArn;
  if (isLocalEndpoint(options.env)) return localGraderArn(config.project, config.region);
  throw new TunekitError(
    'TRAIN.NO_GRADER',
    'method "reinforcement" needs the Lambda function of your grader (customization.reinforcement.grader) on AWS',
    {
      hint: 'deploy the stack (`cdk deploy`, it deploys the grader) and pass its grader function ARN with --grader-arn',
    },
  );
}

/** AWS's error, with what to do about it. */
function createError(error: unknown, config: Config): TunekitError {
  const name = errorName(error);
  const message = `CreateModelCustomizationJob failed: ${name}: ${(error as Error).message}`;
  const hints: Record<string, string> = {
    AccessDeniedException: `your identity needs bedrock:CreateModelCustomizationJob and iam:PassRole on ${config.roleArn}; the role needs S3 read on the data and write on the output prefix (\`tunekit doctor\`)`,
    ThrottlingException: 'Bedrock is throttling this account: try again in a minute',
    ValidationException: 'fix the field the message names (tunekit.config.json or --hp) and run again',
    ResourceNotFoundException: `the base model or role was not found in ${config.region}: run \`tunekit doctor\``,
  };
  return new TunekitError('TRAIN.CREATE_FAILED', message, {
    hint: hints[name] ?? 'run `tunekit doctor` to check the setup',
    cause: error,
  });
}

export interface JobProgress {
  status: string;
  elapsedMs: number;
  trainingLoss?: number;
  validationLoss?: number;
  failureMessage?: string;
  outputModelArn?: string;
  /** Step, epoch, loss and ETA while training, when the step metrics file can be read (local stack). */
  steps?: StepProgress;
}

const TERMINAL = new Set(['Completed', 'Failed', 'Stopped']);

export function progressOf(job: GetModelCustomizationJobCommandOutput, now = Date.now()): JobProgress {
  const started = job.creationTime?.getTime() ?? now;
  const ended = job.endTime?.getTime();
  return {
    status: job.status ?? 'Unknown',
    elapsedMs: (ended ?? now) - started,
    ...(job.trainingMetrics?.trainingLoss === undefined
      ? {}
      : { trainingLoss: job.trainingMetrics.trainingLoss }),
    ...(job.validationMetrics?.[0]?.validationLoss === undefined
      ? {}
      : { validationLoss: job.validationMetrics[0].validationLoss }),
    ...(job.failureMessage ? { failureMessage: job.failureMessage } : {}),
    ...(job.outputModelArn ? { outputModelArn: job.outputModelArn } : {}),
  };
}

/** Polls until the job ends; throttled or failed polls are retried (the job itself is unaffected). */
export async function waitForJob(
  clients: AwsClients,
  jobArn: string,
  onProgress: (p: JobProgress) => void,
  pollMs = 30_000,
  records?: number,
): Promise<JobProgress> {
  for (;;) {
    try {
      const job = await clients.bedrock.send(new GetModelCustomizationJobCommand({ jobIdentifier: jobArn }));
      const progress = progressOf(job);
      if (progress.status === 'InProgress') {
        const steps = await readStepProgress(clients, job, progress.elapsedMs, records);
        if (steps) progress.steps = steps;
      }
      onProgress(progress);
      if (TERMINAL.has(progress.status)) return progress;
    } catch (error) {
      if (!/Throttling|InternalServer|ServiceUnavailable|TooManyRequests/.test(errorName(error))) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** What to do after a failed job, from the kind of failure message Bedrock writes. */
export function failureHint(message: string | undefined): string {
  const m = message ?? '';
  if (/access|denied|permission|assume/i.test(m))
    return 'the service role cannot read the data or write the output: run `tunekit doctor` (or `tunekit setup` to fix the role)';
  if (/format|json|record|token|line/i.test(m))
    return 'fix the training data (`tunekit data validate <file>` names the lines) and train again';
  if (/quota|limit/i.test(m)) return 'wait for other jobs to finish or request a quota increase';
  return 'see the job in the Bedrock console or `aws bedrock get-model-customization-job --job-identifier <arn>`';
}
