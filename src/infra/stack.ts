import { resolve } from 'node:path';
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { Config } from '../config/schema.ts';
import { configuredSuite } from '../evaluation/suite-source.ts';
import { FineTunePipeline } from './fine-tune-pipeline.ts';

export interface TunekitStackProps extends StackProps {
  /** The resolved tunekit config (tunekit.config.json). */
  readonly config: Config;
  /** E-mail subscribed to notifications. */
  readonly notificationEmail?: string;
  /** The config file's directory, where `eval/suite.json` is looked for. @default the working directory */
  readonly configDir?: string;
}

/** The deployable stack: one FineTunePipeline configured from tunekit.config.json. */
export class TunekitStack extends Stack {
  readonly pipeline: FineTunePipeline;

  constructor(scope: Construct, id: string, props: TunekitStackProps) {
    super(scope, id, props);
    const { config } = props;
    // As locally: no configured suite and no eval/suite.json means each run evaluates on held-out data.
    const configDir = props.configDir ?? process.cwd();
    const suite = configuredSuite(config.evaluation.suite, configDir);
    // Reinforcement: the project's grader file becomes the Lambda function Bedrock calls.
    const grader =
      config.customization.method === 'reinforcement' && config.customization.reinforcement
        ? resolve(configDir, config.customization.reinforcement.grader)
        : undefined;
    this.pipeline = new FineTunePipeline(this, 'FineTunePipeline', {
      project: config.project,
      trainingDataPrefix: config.data.prefix,
      trainingDataSuffix: config.data.suffix,
      registryPrefix: config.registry.prefix,
      ...(config.schedule ? { retrainSchedule: config.schedule } : {}),
      ...(props.notificationEmail ? { notificationEmail: props.notificationEmail } : {}),
      logExecutionData: config.aws.logExecutionData,
      ...(suite === undefined ? { evaluateOnHeldOutData: true } : {}),
      ...(grader ? { graderEntry: grader } : {}),
      training: config.training,
      // What the task handlers need from the config; the bucket, topic and role come from the stack.
      taskConfig: {
        project: config.project,
        region: config.region,
        baseModel: config.baseModel,
        data: config.data,
        hyperparameters: config.hyperparameters,
        customization: config.customization,
        evaluation: config.evaluation,
        gate: config.gate,
        deployment: config.deployment,
        registry: config.registry,
      },
    });
    // What `tunekit` and the user need after a deploy (also shown by `cdk deploy`).
    const outputs: Record<string, [string, string]> = {
      BucketName: [this.pipeline.bucket.bucketName, 'Upload training data under the training prefix here'],
      StateMachineArn: [
        this.pipeline.stateMachine.stateMachineArn,
        'The pipeline (tunekit runs list/show/watch)',
      ],
      NotificationTopicArn: [this.pipeline.notificationTopic.topicArn, 'Subscribe here for run results'],
      BedrockJobRoleArn: [this.pipeline.bedrockJobRole.roleArn, 'Role Bedrock customization jobs run as'],
      ...(suite === undefined
        ? {}
        : {
            UploadSuiteCommand: [
              `aws s3 cp ${suite} s3://${this.pipeline.bucket.bucketName}/eval/suite.json`,
              'Run once (and after each suite change) so the evaluation planner finds the suite',
            ] as [string, string],
          }),
    };
    for (const [id, [value, description]] of Object.entries(outputs))
      new CfnOutput(this, id, { value, description });
  }
}
