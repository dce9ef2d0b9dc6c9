import { existsSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { type Duration, Token } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Method } from '../models/methods.ts';
import { FIXED_PREFIXES } from './task-permissions.ts';

/** Properties of {@link FineTunePipeline}. Every prop is optional; the defaults deploy a working pipeline. */
export interface FineTunePipelineProps {
  /**
   * Project name: prefixes resource names and is the `tunekit:project` tag value on every billable
   * resource, which is how the janitor finds them.
   * Lowercase letters, digits and dashes, at most 40 characters (the same rule as the config's `project`).
   * @default 'banking-assistant'
   */
  readonly project?: string;

  /**
   * An existing bucket for training data, job outputs and the registry. It must have EventBridge
   * notifications on (`eventBridgeEnabled: true`), or uploads will never start a run.
   * @default - a new bucket: KMS-managed encryption, versioning, public access blocked, TLS only, EventBridge on
   */
  readonly bucket?: s3.IBucket;

  /**
   * Uploads under this key prefix start a run. Must end with `/` and must not start with one.
   * @default 'training-data/'
   * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html#eb-filtering-prefix-matching
   */
  readonly trainingDataPrefix?: string;

  /**
   * Only keys ending with this start a run.
   * @default '.jsonl'
   */
  readonly trainingDataSuffix?: string;

  /**
   * Where the model registry (versions, aliases, evaluation reports) lives in the bucket.
   * @default 'models/'
   */
  readonly registryPrefix?: string;

  /**
   * Key of the evaluation suite in the bucket (a Lambda has no project directory; upload the suite there,
   * e.g. `aws s3 cp eval/suite.json s3://<bucket>/eval/suite.json`). Must start with `eval/`, the only
   * prefix the evaluation planner may read besides the registry.
   * @default 'eval/suite.json'
   */
  readonly evaluationSuiteKey?: string;

  /**
   * No evaluation suite: each run evaluates on a deterministic held-out slice of its own training data
   * (the job trains on the rest) plus tunekit's built-in out-of-domain and safety cases, as locally.
   * Cannot be combined with `evaluationSuiteKey`.
   * @default false
   */
  readonly evaluateOnHeldOutData?: boolean;

  /**
   * With `taskConfig.customization.method` "reinforcement": the absolute path of the grader file (a module
   * exporting `handler`, Bedrock's Lambda grader event and response). The construct bundles and deploys it
   * as a Lambda function with no permissions beyond its own logs, lets the Bedrock job role invoke it, and
   * names it in the job's `graderConfig.lambdaGrader`.
   */
  readonly graderEntry?: string;

  /**
   * Job outputs older than this are expired by a lifecycle rule (new buckets only). 1 to 3650 days.
   * @default Duration.days(90)
   */
  readonly jobOutputRetention?: Duration;

  /**
   * Periodic retraining on the newest object under the prefix: a 5-field UTC cron (`0 3 * * 1`) or an
   * EventBridge Scheduler expression (`rate(7 days)`, `cron(0 3 ? * 2 *)`).
   * @default - no schedule; only uploads (and `tunekit run`) start runs
   * @see https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html
   */
  readonly retrainSchedule?: string;

  /**
   * An e-mail address subscribed to the notification topic (AWS sends a confirmation mail first).
   * @default - no subscription; subscribe to the `notificationTopic` yourself
   */
  readonly notificationEmail?: string;

  /**
   * The role Bedrock assumes for customization jobs.
   * @default - a role trusted by bedrock.amazonaws.com for this account's customization jobs only, reading
   * the training prefix and writing `job-outputs/`
   */
  readonly bedrockJobRole?: iam.IRole;

  /**
   * The janitor deletes tunekit-tagged custom model deployments and Provisioned Throughput older than this,
   * so a run that died before its Teardown cannot bill for days. 30 minutes to 7 days; must exceed a
   * pipeline's evaluation time.
   * @default Duration.hours(6)
   */
  readonly janitorMaxAge?: Duration;

  /**
   * How often the janitor runs. 5 minutes to 1 day.
   * @default Duration.hours(1)
   */
  readonly janitorInterval?: Duration;

  /**
   * State machine log level in CloudWatch Logs.
   * @default sfn.LogLevel.ALL
   */
  readonly logLevel?: sfn.LogLevel;

  /**
   * Log each state's input and output with the events. They hold training data keys, hyperparameters and
   * every evaluation answer (which may repeat personal data from the suite), kept for three months in
   * CloudWatch Logs; the execution history in Step Functions shows them either way.
   * @default false
   * @see https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html
   */
  readonly logExecutionData?: boolean;

  /**
   * Optional fields of every customization job (config `training`): validation data (an s3:// URI the
   * job role may then read), a KMS key for the custom model (the state machine role may then use it
   * through Bedrock), a VPC (the job role gets the EC2 network-interface permissions), and continued
   * fine-tuning from the production model. Each permission exists only when its option is set.
   * @default - none of them; training starts from the base model
   */
  readonly training?: CustomizationJobOptions;

  /**
   * Settings the task handlers read (the resolved tunekit config: base model, hyperparameters, gate,
   * evaluation, deployment mode). Passed to every task Lambda as `TUNEKIT_CONFIG` (JSON, at most 3 KB,
   * as Lambda's environment is limited to 4 KB). `bucket`, `project` and notifiers are set by the construct.
   * @default - the handlers' own defaults
   */
  readonly taskConfig?: Record<string, unknown>;
}

/** The config's `training` section as the construct uses it. */
export interface CustomizationJobOptions {
  readonly continueFromProduction?: boolean;
  /** s3://bucket/key of a validation JSONL file (a local path cannot be read by a Lambda). */
  readonly validationData?: string;
  /** KMS key ARN the custom model is encrypted with. */
  readonly customModelKmsKeyId?: string;
  readonly vpc?: { readonly subnetIds: string[]; readonly securityGroupIds: string[] };
}

export const DEFAULTS = {
  project: 'banking-assistant',
  trainingDataPrefix: 'training-data/',
  trainingDataSuffix: '.jsonl',
  evaluationSuiteKey: 'eval/suite.json',
  registryPrefix: 'models/',
} as const;

const PROJECT = /^[a-z0-9][a-z0-9-]{0,39}$/;
const PREFIX = /^[A-Za-z0-9!_.*'()\-/]+\/$/;

/** Checks props before any resource is made, so a typo fails `cdk synth` with a message, not a deploy. */
export function validateProps(props: FineTunePipelineProps): void {
  const errors: string[] = [];
  const literal = (value: string | undefined): value is string =>
    value !== undefined && !Token.isUnresolved(value);

  if (literal(props.project) && !PROJECT.test(props.project)) {
    errors.push(
      `project "${props.project}" must be lowercase letters, digits and dashes, at most 40 characters`,
    );
  }
  for (const [name, value] of [
    ['trainingDataPrefix', props.trainingDataPrefix],
    ['registryPrefix', props.registryPrefix],
  ] as const) {
    if (literal(value) && (!PREFIX.test(value) || value.startsWith('/'))) {
      errors.push(
        `${name} "${value}" must be a key prefix ending with "/" and not starting with one (e.g. "data/")`,
      );
    }
  }
  const prefixes = [
    props.trainingDataPrefix ?? DEFAULTS.trainingDataPrefix,
    props.registryPrefix ?? DEFAULTS.registryPrefix,
    ...Object.values(FIXED_PREFIXES),
  ];
  // Each task may touch only its own prefixes; overlapping prefixes would undo that split (and an upload
  // under the registry would start a training run).
  if (
    prefixes.every((p) => literal(p)) &&
    prefixes.some((a, i) => prefixes.some((b, j) => i !== j && a.startsWith(b)))
  ) {
    errors.push(
      `trainingDataPrefix and registryPrefix must not overlap each other or the pipeline's own prefixes (got ${prefixes.join(', ')})`,
    );
  }
  if (literal(props.evaluationSuiteKey) && !/^eval\/[^*]+$/.test(props.evaluationSuiteKey)) {
    errors.push(
      `evaluationSuiteKey "${props.evaluationSuiteKey}" must be a key under "eval/" (e.g. "eval/suite.json")`,
    );
  }
  if (props.evaluateOnHeldOutData && props.evaluationSuiteKey !== undefined) {
    errors.push(
      'evaluateOnHeldOutData and evaluationSuiteKey exclude each other: evaluate on a suite in the bucket, or on held-out data',
    );
  }
  if (literal(props.trainingDataSuffix) && props.trainingDataSuffix.length === 0) {
    errors.push('trainingDataSuffix must not be empty (use ".jsonl")');
  }
  checkDuration(errors, 'jobOutputRetention', props.jobOutputRetention, 'days', 1, 3650);
  checkDuration(errors, 'janitorMaxAge', props.janitorMaxAge, 'minutes', 30, 7 * 24 * 60);
  checkDuration(errors, 'janitorInterval', props.janitorInterval, 'minutes', 5, 24 * 60);
  if (literal(props.notificationEmail) && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(props.notificationEmail)) {
    errors.push(`notificationEmail "${props.notificationEmail}" is not an e-mail address`);
  }
  const validationData = props.training?.validationData;
  if (literal(validationData) && !/^s3:\/\/[^/]+\/.+[^/]$/.test(validationData)) {
    errors.push(
      `training.validationData "${validationData}" must be an s3:// URI of a file on AWS (task Lambdas have no project directory): upload it with \`aws s3 cp\` and use its URI`,
    );
  }
  if (taskMethod(props.taskConfig) === 'reinforcement') {
    // The definition names the grader's Lambda (${GraderFunctionArn}): this construct deploys graderEntry.
    if (props.graderEntry === undefined)
      errors.push(
        'taskConfig.customization.method "reinforcement" needs graderEntry: the absolute path of your grader file (e.g. graders/grader.mjs, exporting `handler`), which the construct deploys as the Lambda function Bedrock calls',
      );
    else if (!isAbsolute(props.graderEntry) || !existsSync(props.graderEntry))
      errors.push(`graderEntry "${props.graderEntry}" must be the absolute path of an existing file`);
  } else if (props.graderEntry !== undefined) {
    errors.push('graderEntry is only used with taskConfig.customization.method "reinforcement"');
  }
  if (props.taskConfig !== undefined) {
    const size = Buffer.byteLength(JSON.stringify(props.taskConfig));
    if (size > 3072)
      errors.push(`taskConfig is ${size} bytes as JSON; Lambda environments allow 4 KB, keep it under 3072`);
  }
  if (errors.length > 0) throw new Error(`Invalid FineTunePipeline props:\n- ${errors.join('\n- ')}`);
}

function checkDuration(
  errors: string[],
  name: string,
  value: Duration | undefined,
  unit: 'days' | 'minutes',
  min: number,
  max: number,
): void {
  if (value === undefined || value.isUnresolved()) return;
  const amount = unit === 'days' ? value.toDays({ integral: false }) : value.toMinutes({ integral: false });
  if (amount < min || amount > max) {
    errors.push(`${name} must be between ${min} and ${max} ${unit} (got ${value.toHumanString()})`);
  }
}

/** The customization method in the handlers' config (`customization.method`); fine-tuning when absent. */
export function taskMethod(taskConfig: Record<string, unknown> | undefined): Method {
  const method = (taskConfig?.customization as { method?: Method } | undefined)?.method;
  return method ?? 'fine-tuning';
}
