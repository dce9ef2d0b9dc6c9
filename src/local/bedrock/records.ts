import type { CustomizationConfig } from './api/customization-config.ts';
import type { TrainingDataConfig } from './api/training-data-config.ts';

/** What the local Bedrock persists per resource (one JSON file each under <dataDir>/bedrock/<collection>/). */

export interface Tag {
  key: string;
  value: string;
}

export type JobStatus = 'InProgress' | 'Completed' | 'Failed' | 'Stopping' | 'Stopped';

export interface JobRecord {
  id: string;
  jobArn: string;
  jobName: string;
  outputModelName: string;
  outputModelArn: string;
  /** id of the custom model this job creates */
  customModelId: string;
  clientRequestToken?: string;
  requestHash: string;
  roleArn: string;
  status: JobStatus;
  failureMessage?: string;
  creationTime: string;
  lastModifiedTime: string;
  endTime?: string;
  baseModelArn: string;
  /** catalog id of the foundation model at the root of the lineage */
  foundationModelId: string;
  /** set when fine-tuning further from a custom model */
  baseCustomModelId?: string;
  hyperParameters: Record<string, string>;
  trainingDataConfig: TrainingDataConfig;
  validationDataConfig: { validators: { s3Uri: string }[] };
  outputDataConfig: { s3Uri: string };
  customizationType: string;
  /** DISTILLATION: the teacher; REINFORCEMENT_FINE_TUNING: the grader and RFT hyperparameters. */
  customizationConfig?: CustomizationConfig;
  trainingMetrics?: { trainingLoss: number };
  validationMetrics?: { validationLoss: number }[];
  vpcConfig?: unknown;
  tags: Tag[];
  customModelTags: Tag[];
  /** Local figures (not part of Bedrock's API): what the engine reported. */
  trainingStats?: { trainedTokens: number; tokensPerSecond: number; wallMs: number; steps: number };
}

export type ModelStatus = 'Active' | 'Creating' | 'Failed';

export interface CustomModelRecord {
  id: string;
  modelArn: string;
  modelName: string;
  jobName: string;
  jobArn: string;
  baseModelArn: string;
  foundationModelId: string;
  customizationType: string;
  customizationConfig?: CustomizationConfig;
  hyperParameters: Record<string, string>;
  trainingDataConfig: TrainingDataConfig;
  validationDataConfig: { validators: { s3Uri: string }[] };
  outputDataConfig: { s3Uri: string };
  trainingMetrics?: { trainingLoss: number };
  validationMetrics?: { validationLoss: number }[];
  creationTime: string;
  modelStatus: ModelStatus;
  failureMessage?: string;
  tags: Tag[];
}

export interface ProvisionedRecord {
  id: string;
  provisionedModelArn: string;
  provisionedModelName: string;
  modelArn: string;
  foundationModelArn: string;
  modelUnits: number;
  commitmentDuration?: string;
  commitmentExpirationTime?: string;
  status: 'Creating' | 'InService' | 'Updating' | 'Failed';
  creationTime: string;
  lastModifiedTime: string;
  /** when Creating (or Updating) turns InService (a configurable delay after creation or update) */
  readyAt: string;
  /** UpdateProvisionedModelThroughput: the model it switches to when the update finishes. */
  desiredModelArn?: string;
  clientRequestToken?: string;
  tags: Tag[];
}

export interface DeploymentRecord {
  id: string;
  customModelDeploymentArn: string;
  modelDeploymentName: string;
  modelArn: string;
  description?: string;
  createdAt: string;
  lastUpdatedAt: string;
  status: 'Creating' | 'Active' | 'Failed';
  readyAt: string;
  clientRequestToken?: string;
  tags: Tag[];
  /** UpdateCustomModelDeployment: the old model serves until `readyAt`, then `modelArn` switches. */
  update?: { modelArn: string; status: 'Updating' | 'UpdateCompleted'; readyAt: string };
}

/** PutModelInvocationLoggingConfiguration's loggingConfig as stored (botocore LoggingConfig; S3 only locally). */
export interface LoggingConfig {
  s3Config?: { bucketName: string; keyPrefix?: string };
  textDataDeliveryEnabled?: boolean;
  imageDataDeliveryEnabled?: boolean;
  embeddingDataDeliveryEnabled?: boolean;
  videoDataDeliveryEnabled?: boolean;
  audioDataDeliveryEnabled?: boolean;
}

/** One account-wide setting, keyed by its name (`id`). */
export interface SettingsRecord {
  id: 'model-invocation-logging';
  loggingConfig: LoggingConfig;
}
