import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { Config } from '../config/schema.ts';
import { FineTunePipeline } from './fine-tune-pipeline.ts';

export interface TunekitStackProps extends StackProps {
  /** The resolved tunekit config (tunekit.config.json). */
  readonly config: Config;
  /** E-mail subscribed to notifications. */
  readonly notificationEmail?: string;
}

/** The deployable stack: one FineTunePipeline configured from tunekit.config.json. */
export class TunekitStack extends Stack {
  readonly pipeline: FineTunePipeline;

  constructor(scope: Construct, id: string, props: TunekitStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.pipeline = new FineTunePipeline(this, 'FineTunePipeline', {
      project: config.project,
      trainingDataPrefix: config.data.prefix,
      trainingDataSuffix: config.data.suffix,
      registryPrefix: config.registry.prefix,
      ...(config.schedule ? { retrainSchedule: config.schedule } : {}),
      ...(props.notificationEmail ? { notificationEmail: props.notificationEmail } : {}),
      logExecutionData: config.aws.logExecutionData,
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
      UploadSuiteCommand: [
        `aws s3 cp ${config.evaluation.suite ?? 'eval/suite.json'} s3://${this.pipeline.bucket.bucketName}/eval/suite.json`,
        'Run once (and after each suite change) so the evaluation planner finds the suite',
      ],
    };
    for (const [id, [value, description]] of Object.entries(outputs))
      new CfnOutput(this, id, { value, description });
  }
}
