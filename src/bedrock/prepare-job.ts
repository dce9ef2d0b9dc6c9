import type { AwsClients } from '../aws/clients.ts';
import type { Config } from '../config/schema.ts';
import {
  computeManifest,
  type RequestMetadataFilters,
  type ValidationReport,
  validateDataset,
  validateInvocationLogs,
} from '../dataset/index.ts';
import { TunekitError } from '../errors.ts';
import { getModel } from '../models/catalog.ts';
import type { ModelSpec } from '../models/schema.ts';
import { hyperparametersFor } from './hyperparameters.ts';
import { readInvocationLogObjects } from './invocation-log-objects.ts';
import { type JobCustomization, jobCustomization } from './job-request.ts';
import { projectTags } from './tags.ts';
import { readTrainingObject } from './training-object.ts';
import { validationDataUri } from './validation-data.ts';

/**
 * The one preparation of a CreateModelCustomizationJob, shared by the pipeline (ValidateTrainingData feeds
 * StartFineTuningJob) and `tunekit train`: read and validate the data for the configured base model,
 * resolve the hyperparameters (catalog defaults < config < flags, range-checked), and build the request
 * with the caller's names, an idempotency token, the output location and the project's tags.
 */

/** Where Bedrock writes a customization job's outputs; the service role may write only here. */
export const JOB_OUTPUT_PREFIX = 'job-outputs/';

export interface JobNames {
  jobName: string;
  customModelName: string;
  /** Makes CreateModelCustomizationJob idempotent: a retried create never starts a second job. */
  clientRequestToken: string;
}

export interface PrepareJobInput {
  bucket: string;
  key: string;
  names: JobNames;
  /** Folder under JOB_OUTPUT_PREFIX for this job's outputs (the execution's or the train call's name). */
  outputFolder: string;
  /** `--hp` values (highest precedence). */
  hyperparameters?: Record<string, string>;
  /** Continue fine-tuning this custom model instead of the base model. */
  startFrom?: { version: string; customModelArn: string };
  /** The config file's directory: a local `training.validationData` path is relative to it. */
  configDir: string;
  /** The training object when the caller has already read it (readTrainingObject), so it is read once. */
  object?: { uri: string; buffer: Buffer };
}

/**
 * The fields of CreateModelCustomizationJob tunekit sets (camelCase, as the SDK takes them); the method's
 * part (customizationType, teacher, RFT hyperparameters, grader) is JobCustomization (job-request.ts).
 */
export interface PreparedJob extends JobNames, JobCustomization {
  baseModelIdentifier: string;
  continuesFrom?: string;
  hyperParameters: Record<string, string>;
  trainingS3Uri: string;
  /** Distillation from invocation logs: trainingDataConfig.invocationLogsConfig instead of s3Uri. */
  invocationLogs?: InvocationLogsSource;
  outputS3Uri: string;
  jobTags: { key: string; value: string }[];
  customModelTags: { key: string; value: string }[];
  /** Optional request fields, present only when the config sets them (definition.ts names them then). */
  validationS3Uri?: string;
  customModelKmsKeyId?: string;
  vpcConfig?: { subnetIds: string[]; securityGroupIds: string[] };
}

/** trainingDataConfig.invocationLogsConfig: where the logs are and which of them the job uses. */
export interface InvocationLogsSource {
  s3Uri: string;
  usePromptResponse: boolean;
  requestMetadataFilters?: RequestMetadataFilters;
}

const MAX_REPORTED_ISSUES = 20;

export async function prepareTrainingJob(config: Config, clients: AwsClients, input: PrepareJobInput) {
  const model = getModel(config.baseModel);
  // Ranges first: nothing is read or created for a typo (throws a UsageError naming the value and range).
  const hyperParameters = hyperparametersFor(
    config.customization.method,
    model,
    config.hyperparameters,
    input.hyperparameters ?? {},
  );
  const { uri: dataUri, buffer } =
    input.object ?? (await readTrainingObject(clients, input.bucket, input.key));
  const customization = jobCustomization(config);
  const report = await validateDataset(
    { buffer },
    { model: model.id, role: 'training', maxIssues: MAX_REPORTED_ISSUES, method: customization.method },
  );
  if (!report.valid) return summaryOf(report, dataUri, model, customization);
  const manifest = await computeManifest({ buffer });
  const job = await jobFrom(config, clients, input, {
    model,
    customization,
    hyperParameters,
    trainingS3Uri: dataUri,
  });
  return {
    ...summaryOf(report, dataUri, model, customization),
    manifest: { ...manifest, uri: dataUri },
    job,
  };
}

/** What a validation tells the caller: valid or not, the counts and the first problems with their fixes. */
function summaryOf(
  report: ValidationReport,
  dataUri: string,
  model: ModelSpec,
  customization: JobCustomization,
) {
  return {
    valid: report.valid,
    dataUri,
    format: report.format,
    records: report.records,
    errorCount: report.errorCount,
    warningCount: report.warningCount,
    errors: report.errors.map((e) => ({
      ...(e.file ? { file: e.file } : {}),
      line: e.line,
      path: e.path,
      code: e.code,
      message: e.message,
      hint: e.hint,
    })),
    model: { id: model.id, family: model.family, name: model.name },
    method: customization.method,
  };
}

/** The request for valid data: names, method, hyperparameters, output, tags and the config's options. */
async function jobFrom(
  config: Config,
  clients: AwsClients,
  input: Pick<PrepareJobInput, 'names' | 'outputFolder' | 'startFrom' | 'configDir'>,
  data: {
    model: ModelSpec;
    customization: JobCustomization;
    hyperParameters: Record<string, string>;
    trainingS3Uri: string;
    invocationLogs?: InvocationLogsSource;
  },
): Promise<PreparedJob> {
  const tags = projectTags(config.project);
  const training = config.training;
  const options = {
    ...(training.validationData
      ? {
          validationS3Uri: await validationDataUri(training.validationData, {
            clients,
            bucket: config.bucket,
            configDir: input.configDir,
          }),
        }
      : {}),
    ...(training.customModelKmsKeyId ? { customModelKmsKeyId: training.customModelKmsKeyId } : {}),
    ...(training.vpc ? { vpcConfig: training.vpc } : {}),
  };
  return {
    ...input.names,
    ...data.customization,
    baseModelIdentifier: input.startFrom?.customModelArn ?? data.model.id,
    ...(input.startFrom ? { continuesFrom: input.startFrom.version } : {}),
    hyperParameters: data.hyperParameters,
    trainingS3Uri: data.trainingS3Uri,
    ...(data.invocationLogs ? { invocationLogs: data.invocationLogs } : {}),
    outputS3Uri: `s3://${config.bucket}/${JOB_OUTPUT_PREFIX}${input.outputFolder}/`,
    // Both lists: jobTags tag the job, customModelTags the model it makes (which bills monthly storage
    // and which `tunekit cleanup` and the janitor find by this tag).
    jobTags: tags,
    customModelTags: tags,
    ...options,
  };
}

/**
 * Distillation from model invocation logs (`tunekit train --invocation-logs`): the logs under the source
 * are read and checked as the job would use them (validateInvocationLogs), and the request names them in
 * trainingDataConfig.invocationLogsConfig. Nothing is uploaded: Bedrock reads the logs where they are.
 */
export async function prepareInvocationLogJob(
  config: Config,
  clients: AwsClients,
  input: Pick<PrepareJobInput, 'names' | 'outputFolder' | 'hyperparameters' | 'configDir'> & {
    logs: InvocationLogsSource;
    onProgress?: (files: number) => void;
  },
) {
  const model = getModel(config.baseModel);
  const customization = jobCustomization(config);
  const teacher = customization.teacherModelConfig?.teacherModelIdentifier;
  if (customization.method !== 'distillation' || !teacher)
    throw new TunekitError(
      'TRAIN.LOGS_METHOD',
      `invocation logs are distillation data, and the configured method is ${customization.method}`,
      { hint: 'set customization.method to "distillation" with a teacherModel (docs/methods.md)' },
    );
  const hyperParameters = hyperparametersFor(
    'distillation',
    model,
    config.hyperparameters,
    input.hyperparameters ?? {},
  );
  const files = await readInvocationLogObjects(clients, input.logs.s3Uri, input.onProgress);
  const report = validateInvocationLogs(files, {
    model: model.id,
    teacherModelId: teacher,
    usePromptResponse: input.logs.usePromptResponse,
    ...(input.logs.requestMetadataFilters
      ? { requestMetadataFilters: input.logs.requestMetadataFilters }
      : {}),
    maxIssues: MAX_REPORTED_ISSUES,
  });
  const summary = {
    ...summaryOf(report, input.logs.s3Uri, model, customization),
    invocationLogs: report.invocationLogs,
  };
  if (!report.valid) return summary;
  const job = await jobFrom(config, clients, input, {
    model,
    customization,
    hyperParameters,
    trainingS3Uri: input.logs.s3Uri,
    invocationLogs: input.logs,
  });
  return { ...summary, job };
}

export type PreparedTraining =
  | Awaited<ReturnType<typeof prepareTrainingJob>>
  | Awaited<ReturnType<typeof prepareInvocationLogJob>>;
