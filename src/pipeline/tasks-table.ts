/**
 * The Task states of the pipeline and the code behind them: what CDK needs to deploy the definition
 * (one Lambda per handler, its ARN substituted into `${<Handler>FunctionArn}`) and what the local
 * runner registers by name.
 */

/** Handler names the CLI registers with the local runner (and CDK wraps as Lambda functions). */
export const TASK_HANDLERS = [
  'validateTrainingData',
  'deployForEvaluation',
  'checkDeployment',
  'planEvaluation',
  'evaluateCase',
  'scoreEvaluation',
  'registerModel',
  'promoteModel',
  'teardown',
  'notify',
] as const;
export type TaskHandlerName = (typeof TASK_HANDLERS)[number];

export interface PipelineTask {
  /** State name in the definition (several Notify states share one handler). */
  state: string;
  /** Handler name in `src/pipeline/tasks/` (null for the `.sync` Bedrock integration). */
  handler: TaskHandlerName | null;
  /** `${...}` placeholder holding the Lambda function ARN (null for the `.sync` integration). */
  substitution: string | null;
}

/** `${Name}`, the form CloudFormation's DefinitionSubstitutions and `substitute()` replace. */
export const placeholder = (name: string) => `\${${name}}`;

/** `ValidateTrainingDataFunctionArn` for `validateTrainingData`: the placeholder holding its Lambda ARN. */
export const functionArnSubstitution = (handler: TaskHandlerName) =>
  `${handler[0]!.toUpperCase()}${handler.slice(1)}FunctionArn`;

/** A Task state run by a Lambda function: its ARN placeholder follows from the handler's name. */
const lambdaTask = (state: string, handler: TaskHandlerName): PipelineTask => ({
  state,
  handler,
  substitution: functionArnSubstitution(handler),
});

export const PIPELINE_TASKS: readonly PipelineTask[] = [
  lambdaTask('ValidateTrainingData', 'validateTrainingData'),
  { state: 'StartFineTuningJob', handler: null, substitution: null },
  lambdaTask('DeployForEvaluation', 'deployForEvaluation'),
  lambdaTask('CheckDeployment', 'checkDeployment'),
  lambdaTask('PlanEvaluation', 'planEvaluation'),
  lambdaTask('EvaluateCase', 'evaluateCase'),
  lambdaTask('ScoreEvaluation', 'scoreEvaluation'),
  lambdaTask('RegisterModel', 'registerModel'),
  lambdaTask('Promote', 'promoteModel'),
  lambdaTask('Teardown', 'teardown'),
  lambdaTask('NotifyValidationFailed', 'notify'),
  lambdaTask('NotifyResult', 'notify'),
  lambdaTask('NotifyFailure', 'notify'),
];

/** Non-Lambda placeholders: the Bedrock service role the training job runs as. */
export const OTHER_SUBSTITUTIONS = ['BedrockJobRoleArn'] as const;
