import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { acknowledge, acknowledgeWildcardResources } from './nag-suppressions.ts';

export interface PipelineStateMachineProps {
  /** The ASL definition with `${Name}` placeholders (src/pipeline/definition.ts). */
  readonly definition: Record<string, unknown>;
  /** Placeholder -> value (function ARNs, the Bedrock job role ARN). */
  readonly substitutions: Record<string, string>;
  readonly taskFunctions: readonly lambda.IFunction[];
  readonly bedrockJobRole: iam.IRole;
  readonly stateMachineName: string;
  readonly logLevel: sfn.LogLevel;
  /** The pipeline bucket: the Evaluate Distributed Map reads its items and writes its results there. */
  readonly bucket: s3.IBucket;
  /** Key prefix of those items and results (`evaluations/`). */
  readonly evaluationsPrefix: string;
  /** Whether state inputs and outputs (evaluation answers, possibly PII) go to CloudWatch Logs. */
  readonly includeExecutionData: boolean;
  /** The custom model's KMS key (config training.customModelKmsKeyId): the job's creator must use it. */
  readonly customModelKmsKeyArn?: string;
}

/**
 * The deployed pipeline: the single ASL source as a string plus CloudFormation substitutions, so what
 * runs on AWS is byte-for-byte what the local runner executes. CDK's BedrockCreateModelCustomizationJob
 * is deliberately not used: it renders without `.sync` and demands validation data.
 */
export class PipelineStateMachine extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: PipelineStateMachineProps) {
    super(scope, id);
    const placeholders = findPlaceholders(props.definition);
    const missing = placeholders.filter((name) => !(name in props.substitutions));
    if (missing.length > 0) {
      throw new Error(`The pipeline definition uses \${${missing.join('}, ${')}} but nothing substitutes it`);
    }

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/aws/vendedlogs/states/${props.stateMachineName}`,
      retention: logs.RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName: props.stateMachineName,
      definitionBody: sfn.DefinitionBody.fromString(JSON.stringify(props.definition)),
      definitionSubstitutions: props.substitutions,
      logs: {
        destination: this.logGroup,
        level: props.logLevel,
        includeExecutionData: props.includeExecutionData,
      },
      tracingEnabled: true,
    });
    this.grantPipelinePermissions(props);
  }

  private grantPipelinePermissions(props: PipelineStateMachineProps): void {
    const stack = Stack.of(this);
    const role = this.stateMachine.role;
    const bedrock = (resource: string, account = stack.account) =>
      stack.formatArn({ service: 'bedrock', resource, resourceName: '*', account });
    // Only the task functions, unqualified, as the definition invokes them.
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'InvokeTaskFunctions',
        actions: ['lambda:InvokeFunction'],
        resources: props.taskFunctions.map((fn) => fn.functionArn),
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'StartFineTuningJob',
        actions: ['bedrock:CreateModelCustomizationJob', 'bedrock:TagResource'],
        resources: [
          bedrock('foundation-model', ''),
          bedrock('custom-model'),
          bedrock('model-customization-job'),
        ],
      }),
    );
    // `.sync` polls the job and stops it when the execution is stopped or times out.
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'WatchFineTuningJob',
        actions: ['bedrock:GetModelCustomizationJob', 'bedrock:StopModelCustomizationJob'],
        resources: [bedrock('model-customization-job')],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'PassBedrockJobRole',
        actions: ['iam:PassRole'],
        resources: [props.bedrockJobRole.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'bedrock.amazonaws.com' } },
      }),
    );
    // The Evaluate Distributed Map runs each case as a child execution of this state machine, reads the
    // cases with its ItemReader and writes the answers with its ResultWriter
    // (https://docs.aws.amazon.com/step-functions/latest/dg/iam-policies-eg-dist-map.html). ARNs are built
    // from the name: the machine's own ARN attribute would make its role depend on itself.
    const self = stack.formatArn({
      service: 'states',
      resource: 'stateMachine',
      resourceName: props.stateMachineName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const children = stack.formatArn({
      service: 'states',
      resource: 'execution',
      resourceName: `${props.stateMachineName}/*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'EvaluateMapRun',
        actions: ['states:StartExecution'],
        resources: [self],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'EvaluateMapRunChildren',
        actions: ['states:DescribeExecution', 'states:StopExecution'],
        resources: [children],
      }),
    );
    const evaluations = props.bucket.arnForObjects(`${props.evaluationsPrefix}*`);
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'EvaluateItemsAndResults',
        actions: ['s3:GetObject', 's3:PutObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload'],
        resources: [evaluations],
      }),
    );
    props.bucket.encryptionKey?.grantEncryptDecrypt(role);
    acknowledgeWildcardResources(
      role,
      [children, evaluations],
      "The Evaluate map run's child executions and result files are named by Step Functions per run, under this state machine's name and the evaluations/ prefix",
    );
    if (props.customModelKmsKeyArn) {
      // The identity that calls CreateModelCustomizationJob with customModelKmsKeyId needs these on the
      // key, used through Bedrock only.
      // @see https://docs.aws.amazon.com/bedrock/latest/userguide/encryption-custom-job.html
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'EncryptCustomModel',
          actions: ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey', 'kms:CreateGrant'],
          resources: [props.customModelKmsKeyArn],
          conditions: { StringEquals: { 'kms:ViaService': `bedrock.${stack.region}.amazonaws.com` } },
        }),
      );
    }
    const syncRule = stack.formatArn({
      service: 'events',
      resource: 'rule',
      resourceName: 'StepFunctionsGetEventsForBedrock*',
    });
    // `.sync` integrations learn of completion through a Step Functions-managed EventBridge rule. AWS
    // documents its name for batch inference (StepFunctionsGetEventsForBedrockModelInvocationJobsRule);
    // the customization-job rule's exact name is not published, hence the Bedrock-scoped wildcard.
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'SyncManagedRule',
        actions: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
        resources: [syncRule],
      }),
    );
    acknowledgeWildcardResources(
      role,
      [bedrock('foundation-model', ''), bedrock('custom-model'), bedrock('model-customization-job')],
      'Job, custom model and base model names are chosen per execution at run time; access stays within this account and region',
    );
    acknowledgeWildcardResources(
      role,
      [syncRule],
      'The .sync integration creates its managed rule itself; its name is only known by this Bedrock-scoped prefix',
    );
    acknowledge(
      role,
      ['AwsSolutions-IAM5[Resource::*]'],
      'X-Ray tracing (tracingEnabled) and CloudWatch Logs delivery for Step Functions support no resource-level permissions',
    );
  }
}

/** Every `${Name}` placeholder in a definition's string values. */
export function findPlaceholders(value: unknown, found = new Set<string>()): string[] {
  if (typeof value === 'string') {
    for (const match of value.matchAll(/\$\{([A-Za-z0-9_]+)\}/g)) found.add(match[1]!);
  } else if (Array.isArray(value)) {
    for (const item of value) findPlaceholders(item, found);
  } else if (value && typeof value === 'object') {
    for (const item of Object.values(value)) findPlaceholders(item, found);
  }
  return [...found].sort();
}
