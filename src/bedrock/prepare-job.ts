import type { AwsClients } from '../aws/clients.ts';
import type { Config } from '../config/schema.ts';
import { computeManifest, validateDataset } from '../dataset/index.ts';
import { getModel } from '../models/catalog.ts';
import { hyperparametersFor } from './hyperparameters.ts';
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
  outputS3Uri: string;
  jobTags: { key: string; value: string }[];
  customModelTags: { key: string; value: string }[];
  /** Optional request fields, present only when the config sets them (definition.ts names them then). */
  validationS3Uri?: string;
  customModelKmsKeyId?: string;
  vpcConfig?: { subnetIds: string[]; securityGroupIds: string[] };
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
  const common = {
    valid: report.valid,
    dataUri,
    format: report.format,
    records: report.records,
    errorCount: report.errorCount,
    warningCount: report.warningCount,
    errors: report.errors.map((e) => ({
      line: e.line,
      path: e.path,
      code: e.code,
      message: e.message,
      hint: e.hint,
    })),
    model: { id: model.id, family: model.family, name: model.name },
    method: customization.method,
  };
  if (!report.valid) return common;
  const manifest = await computeManifest({ buffer });
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
  const job: PreparedJob = {
    ...input.names,
    ...customization,
    baseModelIdentifier: input.startFrom?.customModelArn ?? model.id,
    ...(input.startFrom ? { continuesFrom: input.startFrom.version } : {}),
    hyperParameters,
    trainingS3Uri: dataUri,
    outputS3Uri: `s3://${config.bucket}/${JOB_OUTPUT_PREFIX}${input.outputFolder}/`,
    // Both lists: jobTags tag the job, customModelTags the model it makes (which bills monthly storage
    // and which `tunekit cleanup` and the janitor find by this tag).
    jobTags: tags,
    customModelTags: tags,
    ...options,
  };
  return { ...common, manifest: { ...manifest, uri: dataUri }, job };
}

export type PreparedTraining = Awaited<ReturnType<typeof prepareTrainingJob>>;
