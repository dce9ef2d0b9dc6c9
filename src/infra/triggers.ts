import { Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge, acknowledgeWildcardResources } from './nag-suppressions.ts';

export interface TriggersProps {
  readonly bucket: s3.IBucket;
  readonly trainingDataPrefix: string;
  readonly trainingDataSuffix: string;
  /** The function the upload rule invokes: it starts the state machine with a content-derived name. */
  readonly uploadStarter: lambda.IFunction;
  readonly topic: sns.ITopic;
  /** Names the job state rule (`<project>-job-state-changes`). */
  readonly project: string;
  readonly bedrockJobRole: iam.IRole;
  /** Scheduler expression; no schedule when absent. */
  readonly retrainScheduleExpression?: string;
  /** The function the schedule invokes (it picks the newest training object). */
  readonly retrainFunction?: lambda.IFunction;
}

/**
 * What starts and reports runs: uploads (S3 -> EventBridge -> the starter Lambda, which names the run by
 * its content and calls StartExecution: a rule cannot name executions itself), an optional retraining
 * schedule (EventBridge Scheduler, which AWS recommends over scheduled rules), and Bedrock's own job
 * state changes forwarded to the notification topic.
 */
export class Triggers extends Construct {
  readonly uploadRule: events.Rule;
  readonly deadLetterQueue: sqs.Queue;
  readonly jobStateRule: events.Rule;
  readonly retrainSchedule?: scheduler.Schedule;

  constructor(scope: Construct, id: string, props: TriggersProps) {
    super(scope, id);
    // Events EventBridge could not deliver after its retries land here instead of being dropped.
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(
      this.deadLetterQueue,
      ['AwsSolutions-SQS3'],
      'This queue is itself the dead-letter queue of the EventBridge targets and schedules; nothing consumes it automatically',
    );

    this.uploadRule = new events.Rule(this, 'UploadRule', {
      description: `Start the tunekit pipeline for s3://${props.trainingDataPrefix}*${props.trainingDataSuffix} uploads`,
      eventPattern: uploadEventPattern(
        props.bucket.bucketName,
        props.trainingDataPrefix,
        props.trainingDataSuffix,
      ),
    });
    this.uploadRule.addTarget(
      new targets.LambdaFunction(props.uploadStarter, {
        deadLetterQueue: this.deadLetterQueue,
        retryAttempts: 8,
        maxEventAge: Duration.hours(2),
      }),
    );

    // Only jobs that run as our Bedrock role are ours; other teams' jobs in the account stay silent.
    // A fixed name, so the topic key's policy can name the rule without a dependency cycle
    // (key -> rule -> topic -> key).
    const jobStateRuleName = `${props.project}-job-state-changes`;
    this.jobStateRule = new events.Rule(this, 'JobStateRule', {
      ruleName: jobStateRuleName,
      description: 'Forward state changes of tunekit Bedrock customization jobs to the notification topic',
      eventPattern: {
        source: ['aws.bedrock'],
        detailType: ['Model Customization Job State Change'],
        detail: { roleArn: [props.bedrockJobRole.roleArn] },
      },
    });
    this.jobStateRule.addTarget(
      new RuleScopedSnsTopic(props.topic, jobStateRuleName, {
        message: events.RuleTargetInput.fromText(
          `Bedrock customization job ${events.EventField.fromPath('$.detail.jobName')} is ${events.EventField.fromPath('$.detail.jobStatus')} (${events.EventField.fromPath('$.detail.jobArn')})`,
        ),
        deadLetterQueue: this.deadLetterQueue,
      }),
    );

    if (props.retrainScheduleExpression && props.retrainFunction) {
      const role = schedulerRole(this, 'RetrainScheduleRole');
      this.retrainSchedule = new scheduler.Schedule(this, 'RetrainSchedule', {
        description: 'Periodic retraining on the newest training data',
        schedule: scheduler.ScheduleExpression.expression(props.retrainScheduleExpression),
        target: new schedulerTargets.LambdaInvoke(props.retrainFunction, {
          role,
          deadLetterQueue: this.deadLetterQueue,
          retryAttempts: 3,
          maxEventAge: Duration.hours(1),
        }),
      });
      acknowledgeWildcardResources(
        role,
        [`${props.retrainFunction.functionArn}:*`],
        "Added by CDK's Scheduler LambdaInvoke target (function versions); the role can invoke only this function",
      );
    }
  }
}

/**
 * The S3 "Object Created" pattern for one bucket, prefix and suffix. Prefix and suffix both constrain the
 * same field, and `[{prefix}, {suffix}]` in one array would be an OR (any `.jsonl` anywhere would start a
 * run), so they are combined into one wildcard, with literal `*` in them escaped.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html#eb-filtering-wildcard-matching
 */
export function uploadEventPattern(bucketName: string, prefix: string, suffix: string): events.EventPattern {
  const escapeWildcard = (text: string) => text.replace(/[\\*]/g, (c) => `\\${c}`);
  return {
    source: ['aws.s3'],
    detailType: ['Object Created'],
    detail: {
      bucket: { name: [bucketName] },
      object: { key: events.Match.wildcard(`${escapeWildcard(prefix)}*${escapeWildcard(suffix)}`) },
    },
  };
}

/**
 * CDK's SnsTopic target, except that EventBridge may publish to the topic (and use its KMS key) only on
 * behalf of this rule in this account: CDK's own target grants events.amazonaws.com without conditions,
 * which would let any account's rule publish (confused deputy).
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sns-permissions
 */
class RuleScopedSnsTopic implements events.IRuleTarget {
  constructor(
    private readonly topic: sns.ITopic,
    private readonly ruleName: string,
    private readonly props: targets.SnsTopicProps & { deadLetterQueue: sqs.IQueue },
  ) {}

  bind(rule: events.IRuleRef): events.RuleTargetConfig {
    const stack = Stack.of(rule);
    // A formatted ARN rather than rule.ruleArn: the key policy cannot reference the rule (cycle).
    const ruleArn = stack.formatArn({ service: 'events', resource: 'rule', resourceName: this.ruleName });
    const principal = new iam.ServicePrincipal('events.amazonaws.com', {
      conditions: {
        ArnEquals: { 'aws:SourceArn': ruleArn },
        StringEquals: { 'aws:SourceAccount': stack.account },
      },
    });
    // Adds the conditioned statement to the topic policy and to the topic key's policy.
    this.topic.grantPublish(principal);
    targets.addToDeadLetterQueueResourcePolicy(rule, this.props.deadLetterQueue);
    return {
      ...targets.bindBaseTargetConfig(this.props),
      arn: this.topic.topicArn,
      input: this.props.message,
      targetResource: this.topic,
    };
  }
}

/** A role for one EventBridge Scheduler target, so its grants can be reviewed (and acknowledged) here. */
export function schedulerRole(scope: Construct, id: string): iam.Role {
  const account = Stack.of(scope).account;
  return new iam.Role(scope, id, {
    assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
      conditions: { StringEquals: { 'aws:SourceAccount': account } },
    }),
  });
}
