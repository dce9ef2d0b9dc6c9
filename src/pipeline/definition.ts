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
 * Each Lambda result is trimmed to `{Payload}` so the Lambda envelope never leaks into later states.
 */

import type { Config } from '../config/schema.ts';
import { functionArnSubstitution as fn, placeholder, type TaskHandlerName } from './tasks-table.ts';

export const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';
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

const exec = { 'executionName.$': '$$.Execution.Name', 'executionArn.$': '$$.Execution.Id' };

/** The pipeline as ASL JSON with `${Name}` placeholders (see PIPELINE_TASKS and OTHER_SUBSTITUTIONS). */
export function pipelineDefinition(): Record<string, unknown> {
  return {
    Comment:
      'tunekit: validate -> fine-tune -> deploy for evaluation -> evaluate -> gate -> register -> promote -> teardown -> notify',
    StartAt: 'ValidateTrainingData',
    TimeoutSeconds: 2 * 24 * 3600,
    States: {
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
        { kind: 'validation-failed', 'state.$': '$', ...exec },
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
          CustomizationType: 'FINE_TUNING',
          RoleArn: placeholder('BedrockJobRoleArn'),
          'ClientRequestToken.$': '$.validation.Payload.job.clientRequestToken',
          'HyperParameters.$': '$.validation.Payload.job.hyperParameters',
          TrainingDataConfig: { 'S3Uri.$': '$.validation.Payload.job.trainingS3Uri' },
          OutputDataConfig: { 'S3Uri.$': '$.validation.Payload.job.outputS3Uri' },
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
      Evaluate: {
        Type: 'Map',
        ItemsPath: '$.plan.Payload.items',
        MaxConcurrencyPath: '$.plan.Payload.concurrency',
        ItemProcessor: {
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
          { 'state.$': '$', ...exec },
          { Next: 'RouteOutcome' },
          { resultPath: '$.teardown' },
        ),
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.teardownError', Next: 'RouteOutcome' }],
      },
      RouteOutcome: {
        Type: 'Choice',
        Choices: [{ Variable: '$.error', IsPresent: true, Next: 'NotifyFailure' }],
        Default: 'NotifyResult',
      },
      NotifyResult: lambdaTask(
        'notify',
        { kind: 'result', 'state.$': '$', ...exec },
        { Next: 'Done' },
        { resultPath: '$.notification', catch: false },
      ),
      Done: { Type: 'Succeed', OutputPath: '$.notification.Payload' },
      NotifyFailure: lambdaTask(
        'notify',
        { kind: 'failed', 'state.$': '$', ...exec },
        { Next: 'PipelineFailed' },
        { resultPath: '$.notification', catch: false },
      ),
      PipelineFailed: { Type: 'Fail', ErrorPath: '$.error.Error', CausePath: '$.error.Cause' },
    },
  };
}
