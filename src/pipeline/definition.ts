/**
 * The one state machine (Amazon States Language, JSONPath only — the local interpreter has no JSONata).
 * The local runner executes it, CDK deploys it; `${Name}` placeholders are substituted by each
 * (CloudFormation `DefinitionSubstitutions` on AWS, `substitute()` locally).
 *
 * Input: an EventBridge "Object Created" event (S3 trigger), or one of the same shape that `tunekit run`
 * and the schedule build, so every execution starts from `$.detail.bucket.name` / `$.detail.object.key`.
 *
 * Data layout while running: `$.validation`, `$.training`, `$.deployment`, `$.readiness`, `$.plan`,
 * `$.cases`, `$.evaluation`, `$.registration`, `$.promotion`, `$.teardown`, `$.error` ({Error, Cause}).
 * InitRun starts every one of them at null, so Teardown and Notify can name exactly the fields they read
 * (a JSONPath to a missing field fails the state; to a null one it passes null), whichever state failed.
 * Each Lambda result is trimmed to `{Payload}` so the Lambda envelope never leaks into later states.
 * Everything that grows with the suite (cases, answers, scores per case) lives in S3: `$.plan` holds the
 * keys PlanEvaluation wrote, `$.cases` the Evaluate map run's manifest location, `$.evaluation` the
 * verdict and per-model summary. The state stays a few KB at any suite size, well under Step Functions'
 * 256 KiB limit, so Teardown and Notify (which read the state) can never be cut off by it.
 */

import { jobSlotRetrier } from '../bedrock/wait-for-job-slot.ts';
import type { Config } from '../config/schema.ts';
import type { Method } from '../models/methods.ts';
import { functionArnSubstitution as fn, placeholder, type TaskHandlerName } from './tasks-table.ts';

export const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';
/** The S3 actions a Distributed Map's ItemReader and ResultWriter name (Step Functions calls them itself). */
export const S3_GET_OBJECT = 'arn:aws:states:::s3:getObject';
export const S3_PUT_OBJECT = 'arn:aws:states:::s3:putObject';

/**
 * Where an evaluation's data lives in the bucket: PlanEvaluation writes `<prefix><execution>/items.json`
 * (one item per case) and `suite.json`; the Evaluate map run writes its results under
 * `<EVALUATION_RESULTS_PREFIX><map run id>/` (manifest.json, SUCCEEDED_0.json, FAILED_0.json).
 */
export const EVALUATIONS_PREFIX = 'evaluations/';
export const EVALUATION_RESULTS_PREFIX = `${EVALUATIONS_PREFIX}map-runs`;
export const TRAIN_SYNC = 'arn:aws:states:::bedrock:createModelCustomizationJob.sync';

export {
  functionArnSubstitution,
  OTHER_SUBSTITUTIONS,
  PIPELINE_TASKS,
  type PipelineTask,
  placeholder,
  TASK_HANDLERS,
  type TaskHandlerName,
} from './tasks-table.ts';

/** Poll interval of WaitUntilReady and WaitForPromotion. */
export const READY_POLL_SECONDS = 30;

/** How many polls fit in `deployment.readyTimeoutMinutes`: CheckDeployment and Promote stop after that many. */
export const maxReadyPolls = (config: Config) =>
  Math.max(1, Math.ceil((config.deployment.readyTimeoutMinutes * 60) / READY_POLL_SECONDS));

/** The Wait states that poll Bedrock, shortened for the local stack (which gets ready in milliseconds). */
export const pollWaitOverrides = (ms: number) => ({ WaitForDeployment: ms, WaitForPromotion: ms });

// Throttling and 5xx from Bedrock/S3 (handlers rethrow SDK errors under their SDK name) and Lambda's own.
const TRANSIENT = [
  'ThrottlingException',
  'TooManyRequestsException',
  'ServiceUnavailableException',
  'InternalServerException',
  'SlowDown',
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
];
const retry = (maxAttempts = 4) => [
  {
    ErrorEquals: TRANSIENT,
    IntervalSeconds: 2,
    BackoffRate: 2,
    MaxAttempts: maxAttempts,
    JitterStrategy: 'FULL',
  },
];
const catchToTeardown = [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Teardown' }];

function lambdaTask(
  handler: TaskHandlerName,
  payload: Record<string, unknown>,
  next: { Next: string } | { End: true },
  options: { resultPath?: string; timeoutSeconds?: number; catch?: boolean } = {},
): Record<string, unknown> {
  return {
    Type: 'Task',
    Resource: LAMBDA_INVOKE,
    Parameters: { FunctionName: placeholder(fn(handler)), Payload: payload },
    ResultSelector: { 'Payload.$': '$.Payload' },
    // ResultPath omitted = '$' (the result replaces the input), which is what Map iterations want.
    ...(options.resultPath === '$' ? {} : { ResultPath: options.resultPath ?? null }),
    TimeoutSeconds: options.timeoutSeconds ?? 300,
    Retry: retry(),
    ...(options.catch === false ? {} : { Catch: catchToTeardown }),
    ...next,
  };
}

function withRetry(state: Record<string, unknown>, retrier: Record<string, unknown>) {
  return { ...state, Retry: [...(state.Retry as unknown[]), retrier] };
}

/** Every field a state writes its result to; InitRun starts them at null. */
const RESULT_SLOTS = [
  'validation',
  'training',
  'deployment',
  'readiness',
  'plan',
  'cases',
  'evaluation',
  'registration',
  'promotion',
  'teardown',
  'error',
] as const;

/**
 * What Notify reads (notify-outcome.ts): every result slot, to report the results and tell from which are
 * still null where a failed run stopped; not the triggering event, nor an earlier notification.
 */
const notifyState = Object.fromEntries(RESULT_SLOTS.map((slot) => [`${slot}.$`, `$.${slot}`]));

const exec = { 'executionName.$': '$$.Execution.Name', 'executionArn.$': '$$.Execution.Id' };

/**
 * Optional CreateModelCustomizationJob fields the config sets. ASL (JSONPath) cannot drop a field whose
 * value is missing, so the definition names each one only when the config uses it; the values come from
 * ValidateTrainingData's `job` (validateTrainingData in tasks/validate-training-data.ts).
 */
export interface JobRequestFields {
  validationData?: boolean;
  customModelKmsKey?: boolean;
  vpc?: boolean;
  /** customization.method: decides CustomizationConfig (and whether the fine-tuning HyperParameters go). */
  method?: Method;
}

export const jobRequestFields = (
  training: {
    validationData?: string | undefined;
    customModelKmsKeyId?: string | undefined;
    vpc?: unknown;
  },
  customization?: { method: Method },
): JobRequestFields => ({
  validationData: training.validationData !== undefined,
  customModelKmsKey: training.customModelKmsKeyId !== undefined,
  vpc: training.vpc !== undefined,
  method: customization?.method ?? 'fine-tuning',
});

/**
 * The placeholder of the grader's Lambda ARN, in the definition only for method "reinforcement": the stack
 * deploys the grader (CloudFormation substitutes its ARN), the local stack registers it by name.
 */
export const GRADER_SUBSTITUTION = 'GraderFunctionArn';

const JOB = '$.validation.Payload.job';

function optionalJobParameters(fields: JobRequestFields): Record<string, unknown> {
  const method = fields.method ?? 'fine-tuning';
  return {
    // Fine-tuning's string map; reinforcement's typed hyperparameters go in RftConfig (botocore RFTConfig).
    ...(method === 'fine-tuning' ? { 'HyperParameters.$': `${JOB}.hyperParameters` } : {}),
    ...(method === 'distillation'
      ? {
          CustomizationConfig: {
            DistillationConfig: { 'TeacherModelConfig.$': `${JOB}.states.teacherModelConfig` },
          },
        }
      : {}),
    ...(method === 'reinforcement'
      ? {
          CustomizationConfig: {
            RftConfig: {
              GraderConfig: { LambdaGrader: { LambdaArn: placeholder(GRADER_SUBSTITUTION) } },
              'HyperParameters.$': `${JOB}.states.rftHyperParameters`,
            },
          },
        }
      : {}),
    ...(fields.validationData
      ? { ValidationDataConfig: { Validators: [{ 'S3Uri.$': `${JOB}.validationS3Uri` }] } }
      : {}),
    ...(fields.customModelKmsKey ? { 'CustomModelKmsKeyId.$': `${JOB}.customModelKmsKeyId` } : {}),
    ...(fields.vpc
      ? {
          VpcConfig: {
            'SubnetIds.$': `${JOB}.vpcConfig.subnetIds`,
            'SecurityGroupIds.$': `${JOB}.vpcConfig.securityGroupIds`,
          },
        }
      : {}),
  };
}

/** The pipeline as ASL JSON with `${Name}` placeholders (see PIPELINE_TASKS and OTHER_SUBSTITUTIONS). */
export function pipelineDefinition(fields: JobRequestFields = {}): Record<string, unknown> {
  return {
    Comment:
      'tunekit: validate -> fine-tune -> deploy for evaluation -> evaluate -> gate -> register -> promote -> teardown -> notify',
    StartAt: 'InitRun',
    TimeoutSeconds: 2 * 24 * 3600,
    States: {
      // Keeps what ValidateTrainingData reads from the event and starts each result slot at null (see above).
      InitRun: {
        Type: 'Pass',
        Parameters: {
          'detail.$': '$.detail',
          'source.$': '$.source',
          ...Object.fromEntries(RESULT_SLOTS.map((slot) => [slot, null])),
        },
        Next: 'ValidateTrainingData',
      },
      ValidateTrainingData: lambdaTask(
        'validateTrainingData',
        {
          'bucket.$': '$.detail.bucket.name',
          'key.$': '$.detail.object.key',
          'object.$': '$.detail.object',
          'source.$': '$.source',
          ...exec,
        },
        { Next: 'CheckValidation' },
        { resultPath: '$.validation' },
      ),
      CheckValidation: {
        Type: 'Choice',
        Choices: [
          { Variable: '$.validation.Payload.valid', BooleanEquals: true, Next: 'StartFineTuningJob' },
        ],
        Default: 'NotifyValidationFailed',
      },
      NotifyValidationFailed: lambdaTask(
        'notify',
        { kind: 'validation-failed', state: { 'validation.$': '$.validation' }, ...exec },
        { Next: 'TrainingDataInvalid' },
        { resultPath: '$.notification', catch: false },
      ),
      TrainingDataInvalid: {
        Type: 'Fail',
        Error: 'TrainingDataInvalid',
        Cause:
          'The training data failed validation; `tunekit runs show <run>` and the notification list each problem with its line number.',
      },
      StartFineTuningJob: {
        Type: 'Task',
        Resource: TRAIN_SYNC,
        // PascalCase, as the optimized Bedrock integration takes CreateModelCustomizationJob's fields.
        Parameters: {
          'JobName.$': '$.validation.Payload.job.jobName',
          'CustomModelName.$': '$.validation.Payload.job.customModelName',
          'BaseModelIdentifier.$': '$.validation.Payload.job.baseModelIdentifier',
          // From customization.method (FINE_TUNING, DISTILLATION or REINFORCEMENT_FINE_TUNING).
          'CustomizationType.$': '$.validation.Payload.job.customizationType',
          RoleArn: placeholder('BedrockJobRoleArn'),
          'ClientRequestToken.$': '$.validation.Payload.job.clientRequestToken',
          TrainingDataConfig: { 'S3Uri.$': '$.validation.Payload.job.trainingS3Uri' },
          OutputDataConfig: { 'S3Uri.$': '$.validation.Payload.job.outputS3Uri' },
          // `tunekit:project` on the job and on the custom model it makes (the model bills monthly
          // storage; cleanup and the janitor find it by this tag). {Key, Value} as the integration takes them.
          'JobTags.$': '$.validation.Payload.job.states.jobTags',
          'CustomModelTags.$': '$.validation.Payload.job.states.customModelTags',
          ...optionalJobParameters(fields),
        },
        ResultPath: '$.training',
        // Training is bounded by its own clock; Bedrock jobs can take hours.
        TimeoutSeconds: 24 * 3600,
        Retry: [
          {
            ErrorEquals: TRANSIENT.map((e) => (e.startsWith('Lambda.') ? e : `Bedrock.${e}`)),
            IntervalSeconds: 5,
            BackoffRate: 2,
            MaxAttempts: 5,
            JitterStrategy: 'FULL',
          },
          // At the account's 2-concurrent-jobs quota a third upload waits for a slot (bounded), not fails.
          jobSlotRetrier(),
        ],
        Catch: catchToTeardown,
        Next: 'DeployForEvaluation',
      },
      DeployForEvaluation: withRetry(
        lambdaTask(
          'deployForEvaluation',
          { 'training.$': '$.training', ...exec },
          { Next: 'InitReadiness' },
          { resultPath: '$.deployment' },
        ),
        // Bedrock may still be creating the custom model when the job reports Completed.
        {
          ErrorEquals: ['CustomModelNotActive'],
          IntervalSeconds: 10,
          BackoffRate: 1.5,
          MaxDelaySeconds: 60,
          MaxAttempts: 30,
        },
      ),
      InitReadiness: {
        Type: 'Pass',
        Result: { Payload: { attempts: 0, status: 'Creating' } },
        ResultPath: '$.readiness',
        Next: 'CheckDeployment',
      },
      CheckDeployment: lambdaTask(
        'checkDeployment',
        { 'deployment.$': '$.deployment.Payload', 'attempts.$': '$.readiness.Payload.attempts' },
        { Next: 'WaitUntilReady' },
        { resultPath: '$.readiness' },
      ),
      WaitUntilReady: {
        Type: 'Choice',
        Choices: [
          { Variable: '$.readiness.Payload.status', StringEquals: 'Ready', Next: 'PlanEvaluation' },
          { Variable: '$.readiness.Payload.status', StringEquals: 'Failed', Next: 'DeploymentFailed' },
          { Variable: '$.readiness.Payload.timedOut', BooleanEquals: true, Next: 'DeploymentFailed' },
        ],
        Default: 'WaitForDeployment',
      },
      WaitForDeployment: { Type: 'Wait', Seconds: READY_POLL_SECONDS, Next: 'CheckDeployment' },
      DeploymentFailed: {
        Type: 'Pass',
        Parameters: { Error: 'DeploymentNotReady', 'Cause.$': '$.readiness.Payload.message' },
        ResultPath: '$.error',
        Next: 'Teardown',
      },
      PlanEvaluation: lambdaTask(
        'planEvaluation',
        { 'deployment.$': '$.deployment.Payload', 'validation.$': '$.validation.Payload', ...exec },
        { Next: 'Evaluate' },
        { resultPath: '$.plan' },
      ),
      // A Distributed Map (bedrock-facts.md §11.2): the cases are read from the S3 object PlanEvaluation
      // wrote, each case runs as a child execution, and every child's output (each model's answer and
      // scores) is written to S3 by the ResultWriter. The state keeps only the manifest's location, so
      // no suite size or answer length can reach Step Functions' 256 KiB payload limit (§11.1).
      Evaluate: {
        Type: 'Map',
        ItemReader: {
          Resource: S3_GET_OBJECT,
          ReaderConfig: { InputType: 'JSON' },
          Parameters: { 'Bucket.$': '$.plan.Payload.bucket', 'Key.$': '$.plan.Payload.itemsKey' },
        },
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
          StartAt: 'EvaluateCase',
          States: {
            EvaluateCase: {
              ...lambdaTask(
                'evaluateCase',
                { 'item.$': '$' },
                { End: true },
                { resultPath: '$', catch: false },
              ),
              OutputPath: '$.Payload',
            },
          },
        },
        MaxConcurrencyPath: '$.plan.Payload.concurrency',
        ResultWriter: {
          Resource: S3_PUT_OBJECT,
          Parameters: { 'Bucket.$': '$.plan.Payload.bucket', Prefix: EVALUATION_RESULTS_PREFIX },
        },
        ResultPath: '$.cases',
        Catch: catchToTeardown,
        Next: 'ScoreEvaluation',
      },
      ScoreEvaluation: lambdaTask(
        'scoreEvaluation',
        {
          'plan.$': '$.plan.Payload',
          'results.$': '$.cases',
          'training.$': '$.training',
          ...exec,
        },
        { Next: 'RegisterModel' },
        { resultPath: '$.evaluation' },
      ),
      RegisterModel: lambdaTask(
        'registerModel',
        {
          'validation.$': '$.validation.Payload',
          'training.$': '$.training',
          'deployment.$': '$.deployment.Payload',
          'evaluation.$': '$.evaluation.Payload',
          ...exec,
        },
        { Next: 'Gate' },
        { resultPath: '$.registration' },
      ),
      Gate: {
        Type: 'Choice',
        Choices: [
          {
            And: [
              { Variable: '$.evaluation.Payload.passed', BooleanEquals: true },
              { Variable: '$.registration.Payload.autoPromote', BooleanEquals: true },
            ],
            Next: 'InitPromotion',
          },
        ],
        Default: 'Teardown',
      },
      InitPromotion: {
        Type: 'Pass',
        Result: { Payload: { attempts: 0 } },
        ResultPath: '$.promotion',
        Next: 'Promote',
      },
      // With a production deployment configured, Promote first points it at the new version and answers
      // `pending` until Bedrock has switched; the alias moves only then (bounded by readyTimeoutMinutes).
      Promote: lambdaTask(
        'promoteModel',
        {
          'registration.$': '$.registration.Payload',
          'attempts.$': '$.promotion.Payload.attempts',
          ...exec,
        },
        { Next: 'PromotionSettled' },
        { resultPath: '$.promotion' },
      ),
      PromotionSettled: {
        Type: 'Choice',
        Choices: [{ Variable: '$.promotion.Payload.pending', BooleanEquals: true, Next: 'WaitForPromotion' }],
        Default: 'Teardown',
      },
      WaitForPromotion: { Type: 'Wait', Seconds: READY_POLL_SECONDS, Next: 'Promote' },
      // Always runs: after success, rejection, and every caught error. It finds what to delete by the
      // names derived from the execution, so it also cleans up after a half-finished DeployForEvaluation.
      Teardown: {
        ...lambdaTask(
          'teardown',
          { 'deployment.$': '$.deployment', ...exec },
          { Next: 'RouteOutcome' },
          { resultPath: '$.teardown' },
        ),
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.teardownError', Next: 'RouteOutcome' }],
      },
      RouteOutcome: {
        Type: 'Choice',
        // `Not IsNull: true` rather than `IsNull: false`: aws-local-stepfunctions 2.x reads the latter as
        // never matching (it returns `IsNull && value === null`), where AWS matches any non-null value.
        Choices: [{ Not: { Variable: '$.error', IsNull: true }, Next: 'NotifyFailure' }],
        Default: 'NotifyResult',
      },
      // The run's output is the notification's summary. OutputPath sits here, not on Done: cfn-lint's ASL
      // schema refuses it on a Succeed state, and a template must deploy without lint errors.
      NotifyResult: {
        ...lambdaTask(
          'notify',
          { kind: 'result', state: notifyState, ...exec },
          { Next: 'Done' },
          { resultPath: '$.notification', catch: false },
        ),
        OutputPath: '$.notification.Payload',
      },
      Done: { Type: 'Succeed' },
      NotifyFailure: lambdaTask(
        'notify',
        { kind: 'failed', state: notifyState, ...exec },
        { Next: 'PipelineFailed' },
        { resultPath: '$.notification', catch: false },
      ),
      PipelineFailed: { Type: 'Fail', ErrorPath: '$.error.Error', CausePath: '$.error.Cause' },
    },
  };
}
