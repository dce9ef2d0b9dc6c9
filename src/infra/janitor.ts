import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge, acknowledgeWildcardResources } from './nag-suppressions.ts';
import { schedulerRole } from './triggers.ts';
import { TunekitFunction } from './tunekit-function.ts';

export interface JanitorProps {
  readonly project: string;
  readonly maxAge: Duration;
  readonly interval: Duration;
  readonly deadLetterQueue: sqs.IQueue;
  /** The pipeline's bucket and the task environment: the janitor reads the registry to find rejected models. */
  readonly bucket: s3.IBucket;
  readonly registryPrefix: string;
  readonly environment: Record<string, string>;
}

/**
 * A scheduled sweep that deletes this project's tagged custom model deployments and Provisioned
 * Throughput older than `maxAge` (src/bedrock/), the safety net under every pipeline's Teardown, and
 * rejected candidates' custom models past `registry.rejectedModelRetentionDays`
 * (src/pipeline/rejected-models.ts), recording each deletion in the registry.
 */
export class Janitor extends Construct {
  readonly function: lambda.IFunction;
  readonly schedule: scheduler.Schedule;

  constructor(scope: Construct, id: string, props: JanitorProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.function = new TunekitFunction(this, 'Sweep', {
      entryFile: 'janitor.ts',
      description: `Deletes tunekit (${props.project}) deployments and Provisioned Throughput older than ${props.maxAge.toHumanString()}`,
      environment: {
        ...props.environment,
        TUNEKIT_PROJECT: props.project,
        TUNEKIT_JANITOR_MAX_AGE_MINUTES: String(props.maxAge.toMinutes()),
      },
      timeout: Duration.minutes(5),
      memorySize: 256,
    }).function;
    const arn = (resource: string) => stack.formatArn({ service: 'bedrock', resource, resourceName: '*' });
    this.function.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ListBillable',
        // List operations have no resource type in IAM.
        actions: ['bedrock:ListCustomModelDeployments', 'bedrock:ListProvisionedModelThroughputs'],
        resources: ['*'],
      }),
    );
    this.function.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'DeleteStaleBillable',
        actions: [
          'bedrock:ListTagsForResource',
          'bedrock:DeleteCustomModelDeployment',
          'bedrock:DeleteProvisionedModelThroughput',
        ],
        resources: [arn('custom-model-deployment'), arn('provisioned-model')],
      }),
    );
    this.function.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'DeleteRejectedModels',
        // Only models the registry lists as rejected and past retention; production's are never deleted.
        actions: ['bedrock:DeleteCustomModel'],
        resources: [arn('custom-model')],
      }),
    );
    // Reads the registry index and records each deletion (a conditional rewrite of the index + history),
    // with the same narrow statements the task functions get (src/infra/task-functions.ts).
    const registryObjects = props.bucket.arnForObjects(`${props.registryPrefix}*`);
    this.function.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'RegistryReadWrite',
        actions: ['s3:GetObject', 's3:PutObject'],
        resources: [registryObjects],
      }),
    );
    this.function.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'RegistryList',
        actions: ['s3:ListBucket'],
        resources: [props.bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${props.registryPrefix}*`] } },
      }),
    );
    if (props.bucket.encryptionKey) props.bucket.encryptionKey.grantEncryptDecrypt(this.function);
    const role = this.function.role!;
    acknowledgeWildcardResources(
      role,
      [registryObjects],
      'The janitor reads and updates the registry index and history under the registry prefix only',
    );
    acknowledge(
      role,
      ['AwsSolutions-IAM5[Resource::*]'],
      'bedrock:List* calls support no resource-level permissions (and X-Ray tracing needs none)',
    );
    acknowledgeWildcardResources(
      role,
      [arn('custom-model-deployment'), arn('provisioned-model'), arn('custom-model')],
      'The janitor deletes deployments and Provisioned Throughput created by any run (it checks the tunekit:project tag or name before deleting) and rejected custom models the registry names',
    );
    const scheduleRole = schedulerRole(this, 'ScheduleRole');
    acknowledgeWildcardResources(
      scheduleRole,
      [`${this.function.functionArn}:*`],
      "Added by CDK's Scheduler LambdaInvoke target (function versions); the role can invoke only the janitor",
    );
    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      description: 'tunekit janitor: delete forgotten billable Bedrock resources',
      schedule: scheduler.ScheduleExpression.rate(props.interval),
      target: new schedulerTargets.LambdaInvoke(this.function, {
        role: scheduleRole,
        deadLetterQueue: props.deadLetterQueue,
        retryAttempts: 2,
      }),
    });
  }
}
