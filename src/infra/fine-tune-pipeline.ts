import { Duration, RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { DEFAULT_JANITOR_MAX_AGE_MINUTES } from '../bedrock/sweep.ts';
import { TUNEKIT_PROJECT_TAG } from '../bedrock/tags.ts';
import {
  GRADER_SUBSTITUTION,
  jobRequestFields,
  type OTHER_SUBSTITUTIONS,
  PIPELINE_TASKS,
  type PipelineTask,
  pipelineDefinition,
} from '../pipeline/definition.ts';
import { trainingFingerprint } from '../pipeline/run-name.ts';
import { stateMachineNameFor } from '../pipeline/runs.ts';
import { BedrockJobRole } from './bedrock-job-role.ts';
import { Janitor } from './janitor.ts';
import { acknowledge } from './nag-suppressions.ts';
import { PipelineStateMachine } from './pipeline-state-machine.ts';
import { DEFAULTS, type FineTunePipelineProps, taskMethod, validateProps } from './props.ts';
import { toScheduleExpression } from './schedule-expression.ts';
import { TaskFunctions } from './task-functions.ts';
import { FIXED_PREFIXES, type PrefixName } from './task-permissions.ts';
import { Triggers } from './triggers.ts';
import { TunekitFunction } from './tunekit-function.ts';

/**
 * tunekit's fine-tuning pipeline on AWS: an upload under the training prefix (or the schedule) starts the
 * Step Functions state machine from the single ASL source (src/pipeline/definition.ts), whose Lambda tasks
 * are the same handlers the local runner calls; Bedrock trains as a least-privilege service role; results
 * and Bedrock job state changes go to an encrypted SNS topic; a janitor deletes forgotten billable resources.
 *
 * @example
 * new FineTunePipeline(stack, 'Pipeline', { project: 'banking-assistant', notificationEmail: 'ml@example.com' });
 */
export class FineTunePipeline extends Construct {
  readonly bucket: s3.IBucket;
  readonly stateMachine: sfn.StateMachine;
  readonly notificationTopic: sns.Topic;
  readonly bedrockJobRole: iam.IRole;
  readonly triggers: Triggers;
  readonly janitor: Janitor;
  /** The Lambda function behind each task handler name. */
  readonly taskFunctions: ReadonlyMap<string, lambda.IFunction>;
  /** The user's grader, deployed for reinforcement fine-tuning (props.graderEntry). */
  readonly graderFunction?: lambda.IFunction;

  constructor(scope: Construct, id: string, props: FineTunePipelineProps = {}) {
    super(scope, id);
    validateProps(props);
    const project = props.project ?? DEFAULTS.project;
    const prefixes: Record<PrefixName, string> = {
      ...FIXED_PREFIXES,
      trainingData: props.trainingDataPrefix ?? DEFAULTS.trainingDataPrefix,
      registry: props.registryPrefix ?? DEFAULTS.registryPrefix,
    };
    const suffix = props.trainingDataSuffix ?? DEFAULTS.trainingDataSuffix;
    // Resources that cost money carry the project tag, as does everything else for cost allocation.
    Tags.of(this).add(TUNEKIT_PROJECT_TAG, project);

    this.bucket =
      props.bucket ?? this.createBucket(prefixes.output, props.jobOutputRetention ?? Duration.days(90));
    // `eventBridgeEnabled` makes CDK add its own stack-wide custom resource that sets the notification.
    const notificationsHandler = Stack.of(this).node.children.find((c) =>
      c.node.id.startsWith('BucketNotificationsHandler'),
    );
    if (notificationsHandler) {
      acknowledge(
        notificationsHandler,
        [
          'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        ],
        "CDK's own BucketNotificationsHandler (switches EventBridge notifications on at deploy time); its role is not configurable",
      );
    }
    this.notificationTopic = this.createTopic(props.notificationEmail);
    this.bedrockJobRole =
      props.bedrockJobRole ??
      new BedrockJobRole(this, 'BedrockJobRole', {
        bucket: this.bucket,
        trainingDataPrefix: prefixes.trainingData,
        outputPrefix: prefixes.output,
        ...(props.training?.validationData ? { validationDataUri: props.training.validationData } : {}),
        ...(props.training?.vpc ? { vpc: props.training.vpc } : {}),
      }).role;
    // The handlers read the training options from the config like every other setting.
    const taskConfig = props.training ? { ...props.taskConfig, training: props.training } : props.taskConfig;

    // The name the CLI looks for (`tunekit runs` finds `<project>-pipeline` on AWS as it does locally).
    const stateMachineName = stateMachineNameFor(project);
    const environment: Record<string, string> = {
      TUNEKIT_PROJECT: project,
      TUNEKIT_BUCKET: this.bucket.bucketName,
      TUNEKIT_TRAINING_PREFIX: prefixes.trainingData,
      TUNEKIT_TRAINING_SUFFIX: suffix,
      TUNEKIT_REGISTRY_PREFIX: prefixes.registry,
      // Without it the handlers evaluate on a held-out slice of each run's data (TUNEKIT_EVALUATION).
      ...(props.evaluateOnHeldOutData
        ? { TUNEKIT_EVALUATION: 'held-out' }
        : {
            TUNEKIT_SUITE_URI: `s3://${this.bucket.bucketName}/${props.evaluationSuiteKey ?? DEFAULTS.evaluationSuiteKey}`,
          }),
      TUNEKIT_TOPIC_ARN: this.notificationTopic.topicArn,
      TUNEKIT_BEDROCK_ROLE_ARN: this.bedrockJobRole.roleArn,
      ...(taskConfig ? { TUNEKIT_CONFIG: JSON.stringify(taskConfig) } : {}),
    };
    const tasks = new TaskFunctions(this, 'Tasks', {
      tasks: PIPELINE_TASKS as readonly PipelineTask[],
      bucket: this.bucket,
      topic: this.notificationTopic,
      prefixes,
      environment,
      heldOutEvaluation: props.evaluateOnHeldOutData ?? false,
    });
    this.taskFunctions = tasks.byHandler;
    this.graderFunction = props.graderEntry ? this.createGrader(project, props.graderEntry) : undefined;

    const otherSubstitutions: Record<(typeof OTHER_SUBSTITUTIONS)[number], string> = {
      BedrockJobRoleArn: this.bedrockJobRole.roleArn,
    };
    const machine = new PipelineStateMachine(this, 'Pipeline', {
      // The method decides CustomizationConfig; the handlers read the same customization from taskConfig.
      definition: pipelineDefinition(
        jobRequestFields(props.training ?? {}, { method: taskMethod(props.taskConfig) }),
      ),
      ...(props.training?.customModelKmsKeyId
        ? { customModelKmsKeyArn: props.training.customModelKmsKeyId }
        : {}),
      substitutions: {
        ...tasks.substitutions,
        ...otherSubstitutions,
        ...(this.graderFunction ? { [GRADER_SUBSTITUTION]: this.graderFunction.functionArn } : {}),
      },
      taskFunctions: [...tasks.byHandler.values()],
      bedrockJobRole: this.bedrockJobRole,
      stateMachineName,
      logLevel: props.logLevel ?? sfn.LogLevel.ALL,
      bucket: this.bucket,
      evaluationsPrefix: prefixes.evaluations,
      includeExecutionData: props.logExecutionData ?? false,
    });
    this.stateMachine = machine.stateMachine;

    // Both paths that start runs on AWS name them by content and these settings (src/pipeline/run-name.ts).
    const fingerprint = trainingFingerprint(taskConfig ?? {});
    const retrainFunction = props.retrainSchedule
      ? this.createRetrainFunction(environment, prefixes, fingerprint)
      : undefined;
    this.triggers = new Triggers(this, 'Triggers', {
      bucket: this.bucket,
      project,
      trainingDataPrefix: prefixes.trainingData,
      trainingDataSuffix: suffix,
      uploadStarter: this.createUploadStarter(fingerprint),
      topic: this.notificationTopic,
      bedrockJobRole: this.bedrockJobRole,
      ...(props.retrainSchedule && retrainFunction
        ? { retrainScheduleExpression: toScheduleExpression(props.retrainSchedule), retrainFunction }
        : {}),
    });

    this.janitor = new Janitor(this, 'Janitor', {
      project,
      maxAge: props.janitorMaxAge ?? Duration.minutes(DEFAULT_JANITOR_MAX_AGE_MINUTES),
      interval: props.janitorInterval ?? Duration.hours(1),
      deadLetterQueue: this.triggers.deadLetterQueue,
      bucket: this.bucket,
      registryPrefix: prefixes.registry,
      environment,
    });
  }

  private createBucket(outputPrefix: string, retention: Duration): s3.Bucket {
    const accessLogs = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    return new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.KMS_MANAGED,
      versioned: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      eventBridgeEnabled: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'bucket/',
      lifecycleRules: [
        {
          id: 'expire-job-outputs',
          prefix: outputPrefix,
          expiration: retention,
          noncurrentVersionExpiration: Duration.days(30),
        },
        // Versioning protects the registry from overwrites; old versions should not be kept forever.
        { id: 'expire-noncurrent-versions', noncurrentVersionExpiration: Duration.days(90) },
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(7) },
      ],
      // Training data and the model registry outlive the stack; delete the bucket by hand if you mean it.
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  private createTopic(email: string | undefined): sns.Topic {
    // A customer key, because EventBridge cannot publish to a topic encrypted with the AWS-managed SNS key.
    const key = new kms.Key(this, 'TopicKey', {
      description: 'Encrypts tunekit notifications',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const topic = new sns.Topic(this, 'Notifications', {
      displayName: 'tunekit notifications',
      masterKey: key,
      enforceSSL: true,
    });
    // EventBridge's use of the key is granted by the job state rule's target, conditioned on that rule.
    if (email) topic.addSubscription(new subscriptions.EmailSubscription(email));
    return topic;
  }

  /** The upload rule's target: names each run by content (a rule targeting the state machine cannot). */
  private createUploadStarter(fingerprint: string): lambda.IFunction {
    const fn = new TunekitFunction(this, 'UploadStarter', {
      entryFile: 'upload-starter.ts',
      description:
        'Starts the tunekit pipeline for an upload, named by its content (a repeat starts nothing)',
      environment: {
        TUNEKIT_STATE_MACHINE_ARN: this.stateMachine.stateMachineArn,
        TUNEKIT_TRAINING_FINGERPRINT: fingerprint,
        TUNEKIT_TOPIC_ARN: this.notificationTopic.topicArn,
      },
      timeout: Duration.seconds(30),
      memorySize: 256,
    }).function;
    // states:StartExecution on this state machine only, and publishing "nothing started" to the topic.
    this.stateMachine.grantStartExecution(fn);
    this.notificationTopic.grantPublish(fn);
    acknowledge(
      fn.role!,
      ['AwsSolutions-IAM5[Action::kms:GenerateDataKey*]'],
      "CDK's grantPublish on a KMS-encrypted topic; the grant is limited to the topic's own key",
    );
    return fn;
  }

  /**
   * The user's reward function as a Lambda: its role may write its own logs and nothing else (it scores
   * text), and only the Bedrock job role may invoke it — Bedrock calls the grader with the job's service
   * role (https://docs.aws.amazon.com/bedrock/latest/userguide/rft-access-security.html).
   */
  private createGrader(project: string, entry: string): lambda.IFunction {
    const grader = new TunekitFunction(this, 'Grader', {
      entryFile: entry,
      description: `tunekit ${project}: the reward function Bedrock calls during reinforcement fine-tuning`,
      environment: {},
      timeout: Duration.minutes(5),
      memorySize: 512,
      // Bundled from the user's project, where the grader and what it imports live.
      userEntry: true,
    }).function;
    // The unqualified ARN only (the job names it so): grantInvoke would add `<arn>:*` (every version).
    this.bedrockJobRole.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [grader.functionArn] }),
    );
    return grader;
  }

  private createRetrainFunction(
    environment: Record<string, string>,
    prefixes: { trainingData: string },
    fingerprint: string,
  ): lambda.IFunction {
    const fn = new TunekitFunction(this, 'Retrain', {
      entryFile: 'scheduled-retrain.ts',
      description: 'Starts the tunekit pipeline on the newest training data (retraining schedule)',
      environment: {
        TUNEKIT_BUCKET: environment.TUNEKIT_BUCKET!,
        TUNEKIT_TRAINING_PREFIX: environment.TUNEKIT_TRAINING_PREFIX!,
        TUNEKIT_TRAINING_SUFFIX: environment.TUNEKIT_TRAINING_SUFFIX!,
        TUNEKIT_STATE_MACHINE_ARN: this.stateMachine.stateMachineArn,
        TUNEKIT_TRAINING_FINGERPRINT: fingerprint,
      },
      timeout: Duration.minutes(1),
      memorySize: 256,
    }).function;
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [this.bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${prefixes.trainingData}*`] } },
      }),
    );
    this.bucket.encryptionKey?.grantDecrypt(fn);
    this.stateMachine.grantStartExecution(fn);
    return fn;
  }
}
