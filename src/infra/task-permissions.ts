import { JOB_OUTPUT_PREFIX } from '../bedrock/prepare-job.ts';
import { HELD_OUT_TRAINING_PREFIX } from '../bedrock/validation-data.ts';
import { EVALUATIONS_PREFIX } from '../pipeline/definition.ts';

/**
 * What each pipeline task handler may do on AWS, as data: the construct turns a row into IAM statements
 * for that one function, so no task Lambda gets another task's permissions. Handler names are those of
 * `TASK_HANDLERS` in src/pipeline/definition.ts.
 */
/**
 * Key prefixes the handlers use. `trainingData` and `registry` come from props/config; the others are
 * where the pipeline's handlers write (src/pipeline/tasks: validate-training-data's `job-outputs/`,
 * score-evaluation's `reports/`, notify's sent-log `notifications/`, plan-evaluation's and the Evaluate
 * map run's `evaluations/`), and where the suite is uploaded.
 */
export const FIXED_PREFIXES = {
  output: JOB_OUTPUT_PREFIX,
  reports: 'reports/',
  notifications: 'notifications/',
  suite: 'eval/',
  evaluations: EVALUATIONS_PREFIX,
  heldOut: HELD_OUT_TRAINING_PREFIX,
} as const;

export type PrefixName = 'trainingData' | 'registry' | keyof typeof FIXED_PREFIXES;

export interface TaskPermissions {
  /** Bucket key prefixes (by name) the handler reads. */
  readonly s3Read?: readonly PrefixName[];
  /** Bucket key prefixes the handler writes (implies read: registry writes are conditional read-modify-writes). */
  readonly s3Write?: readonly PrefixName[];
  /** Bedrock actions and the resource types they apply to (`*` where the action has no resource type). */
  readonly bedrock?: readonly { actions: readonly string[]; resources: readonly BedrockResource[] }[];
  /** Publishes to the notification topic. */
  readonly publish?: boolean;
  /** Timeout in seconds: evaluation calls models, teardown waits on deletes. */
  readonly timeoutSeconds: number;
  /** Memory in MB: validation streams the dataset. */
  readonly memoryMb: number;
}

export type BedrockResource =
  | 'foundation-model'
  | 'custom-model'
  | 'custom-model-deployment'
  | 'provisioned-model'
  | 'inference-profile'
  | '*';

const deployedModels: BedrockResource[] = ['custom-model-deployment', 'provisioned-model'];
const listDeployments = {
  actions: ['bedrock:ListCustomModelDeployments', 'bedrock:ListProvisionedModelThroughputs'],
  resources: ['*'] as BedrockResource[],
};

/** Rows follow the SDK calls each handler in src/pipeline/tasks makes. */
export const TASK_PERMISSIONS: Record<string, TaskPermissions> = {
  validateTrainingData: {
    // Pre-flight reads the suite; job preparation reads the registry (retraining continues from
    // production's custom model when it is still Active).
    s3Read: ['trainingData', 'suite', 'registry'],
    bedrock: [{ actions: ['bedrock:GetCustomModel'], resources: ['custom-model'] }],
    timeoutSeconds: 300,
    memoryMb: 1024,
  },
  deployForEvaluation: {
    // It reads the registry to deploy the `production` version next to the candidate.
    s3Read: ['registry'],
    bedrock: [
      {
        actions: [
          'bedrock:CreateCustomModelDeployment',
          'bedrock:CreateProvisionedModelThroughput',
          'bedrock:TagResource',
        ],
        resources: ['custom-model', ...deployedModels],
      },
      { actions: ['bedrock:GetCustomModel'], resources: ['custom-model'] },
      // With deployment.production it asks production through the production deployment when that
      // already serves it (checks its tags and which model it serves).
      {
        actions: [
          'bedrock:GetCustomModelDeployment',
          'bedrock:GetProvisionedModelThroughput',
          'bedrock:ListTagsForResource',
        ],
        resources: deployedModels,
      },
      // A retried state looks up what its first attempt created before creating anything.
      listDeployments,
    ],
    timeoutSeconds: 60,
    memoryMb: 256,
  },
  checkDeployment: {
    bedrock: [
      {
        actions: ['bedrock:GetCustomModelDeployment', 'bedrock:GetProvisionedModelThroughput'],
        resources: deployedModels,
      },
    ],
    timeoutSeconds: 30,
    memoryMb: 256,
  },
  planEvaluation: {
    // Writes the Map items and the suite for the Evaluate Distributed Map and ScoreEvaluation.
    s3Read: ['suite'],
    s3Write: ['evaluations'],
    timeoutSeconds: 60,
    memoryMb: 512,
  },
  evaluateCase: {
    // Converse is authorised by bedrock:InvokeModel; baseline (foundation model or inference profile),
    // candidate and production (deployment / PT) and the judge are all invoked from here.
    bedrock: [
      {
        actions: ['bedrock:InvokeModel'],
        resources: ['foundation-model', 'inference-profile', ...deployedModels],
      },
    ],
    timeoutSeconds: 120,
    memoryMb: 256,
  },
  // Reads the Evaluate map run's result files (every case's answers) and the suite PlanEvaluation wrote.
  scoreEvaluation: {
    s3Read: ['output', 'evaluations'],
    s3Write: ['reports'],
    timeoutSeconds: 300,
    memoryMb: 1024,
  },
  registerModel: { s3Write: ['registry'], timeoutSeconds: 60, memoryMb: 256 },
  promoteModel: {
    s3Write: ['registry'],
    // With deployment.production enabled it points the production deployment at the promoted version
    // (src/bedrock/production-deployment.ts): create it once, then update it, and delete the one it
    // replaces when the base model moved to the other deployment mode.
    bedrock: [
      {
        actions: [
          'bedrock:CreateCustomModelDeployment',
          'bedrock:CreateProvisionedModelThroughput',
          'bedrock:UpdateCustomModelDeployment',
          'bedrock:UpdateProvisionedModelThroughput',
          'bedrock:TagResource',
        ],
        resources: ['custom-model', ...deployedModels],
      },
      {
        actions: [
          'bedrock:GetCustomModelDeployment',
          'bedrock:GetProvisionedModelThroughput',
          'bedrock:ListTagsForResource',
          'bedrock:DeleteCustomModelDeployment',
          'bedrock:DeleteProvisionedModelThroughput',
        ],
        resources: deployedModels,
      },
      listDeployments,
    ],
    timeoutSeconds: 60,
    memoryMb: 256,
  },
  teardown: {
    bedrock: [
      {
        actions: [
          'bedrock:DeleteCustomModelDeployment',
          'bedrock:DeleteProvisionedModelThroughput',
          'bedrock:GetCustomModelDeployment',
          'bedrock:GetProvisionedModelThroughput',
        ],
        resources: deployedModels,
      },
      listDeployments,
      // With registry.rejectedModelRetentionDays 0 it deletes rejected candidates' custom models.
      { actions: ['bedrock:DeleteCustomModel'], resources: ['custom-model'] },
    ],
    // ...and records each deletion in the registry.
    s3Write: ['registry'],
    timeoutSeconds: 120,
    memoryMb: 256,
  },
  notify: { s3Write: ['notifications'], publish: true, timeoutSeconds: 30, memoryMb: 256 },
};

/**
 * What a stack without an evaluation suite adds (FineTunePipelineProps.evaluateOnHeldOutData): the pre-flight
 * writes the data minus its held-out slice for the job, and PlanEvaluation reads the upload to ask the slice.
 */
export const HELD_OUT_PERMISSIONS: Readonly<Record<string, Pick<TaskPermissions, 's3Read' | 's3Write'>>> = {
  validateTrainingData: { s3Write: ['heldOut'] },
  planEvaluation: { s3Read: ['trainingData'] },
};
