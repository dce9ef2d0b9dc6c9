import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { PipelineTask } from '../pipeline/definition.ts';
import { acknowledge, acknowledgeWildcardResources } from './nag-suppressions.ts';
import {
  type BedrockResource,
  HELD_OUT_PERMISSIONS,
  type PrefixName,
  TASK_PERMISSIONS,
  type TaskPermissions,
} from './task-permissions.ts';
import { TunekitFunction } from './tunekit-function.ts';

export interface TaskFunctionsProps {
  readonly tasks: readonly PipelineTask[];
  readonly bucket: s3.IBucket;
  readonly topic: sns.ITopic;
  readonly prefixes: Record<PrefixName, string>;
  /** Environment every task function gets (bucket, project, prefixes, config). */
  readonly environment: Record<string, string>;
  /** No evaluation suite: add HELD_OUT_PERMISSIONS to the rows that need them. */
  readonly heldOutEvaluation?: boolean;
}

/**
 * One Lambda per task handler (several states may share one, e.g. the Notify states). Each wraps the same
 * handler the local runner calls, selected by `TUNEKIT_TASK`, and gets only its row of TASK_PERMISSIONS.
 */
export class TaskFunctions extends Construct {
  /** Function per handler name. */
  readonly byHandler: ReadonlyMap<string, lambda.IFunction>;
  /** `definitionSubstitutions` entries: placeholder name -> function ARN. */
  readonly substitutions: Record<string, string>;

  constructor(scope: Construct, id: string, props: TaskFunctionsProps) {
    super(scope, id);
    const byHandler = new Map<string, lambda.IFunction>();
    const substitutions: Record<string, string> = {};
    for (const task of props.tasks) {
      if (task.handler === null || task.substitution === null) continue;
      let fn = byHandler.get(task.handler);
      if (!fn) {
        const permissions = TASK_PERMISSIONS[task.handler];
        if (!permissions) {
          throw new Error(
            `Pipeline task handler "${task.handler}" (state ${task.state}) has no entry in TASK_PERMISSIONS (src/infra/task-permissions.ts); add one with the IAM it needs`,
          );
        }
        const extra = props.heldOutEvaluation ? HELD_OUT_PERMISSIONS[task.handler] : undefined;
        const merged = extra
          ? {
              ...permissions,
              s3Read: [...(permissions.s3Read ?? []), ...(extra.s3Read ?? [])],
              s3Write: [...(permissions.s3Write ?? []), ...(extra.s3Write ?? [])],
            }
          : permissions;
        fn = this.createFunction(task.handler, merged, props);
        byHandler.set(task.handler, fn);
      }
      substitutions[task.substitution] = fn.functionArn;
    }
    this.byHandler = byHandler;
    this.substitutions = substitutions;
  }

  private createFunction(
    handler: string,
    permissions: TaskPermissions,
    props: TaskFunctionsProps,
  ): lambda.IFunction {
    // Stable construct ids: derived from the handler name, never from order.
    const id = handler[0]!.toUpperCase() + handler.slice(1);
    const fn = new TunekitFunction(this, id, {
      entryFile: 'task.ts',
      description: `tunekit pipeline task ${handler}`,
      environment: { ...props.environment, TUNEKIT_TASK: handler },
      timeout: Duration.seconds(permissions.timeoutSeconds),
      memorySize: permissions.memoryMb,
    }).function;

    const objects = (names: readonly PrefixName[] | undefined) =>
      (names ?? []).map((name) => props.bucket.arnForObjects(`${props.prefixes[name]}*`));
    const readable = [...(permissions.s3Read ?? []), ...(permissions.s3Write ?? [])];
    if (readable.length > 0) {
      fn.addToRolePolicy(
        new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: objects(readable) }),
      );
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['s3:ListBucket'],
          resources: [props.bucket.bucketArn],
          conditions: { StringLike: { 's3:prefix': readable.map((name) => `${props.prefixes[name]}*`) } },
        }),
      );
    }
    if (permissions.s3Write?.length) {
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['s3:PutObject', 's3:DeleteObject'],
          resources: objects(permissions.s3Write),
        }),
      );
    }
    if (props.bucket.encryptionKey && readable.length > 0) props.bucket.encryptionKey.grantEncryptDecrypt(fn);
    for (const statement of permissions.bedrock ?? []) {
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: [...statement.actions],
          resources: statement.resources.map((type) => bedrockArn(this, type)),
        }),
      );
    }
    if (permissions.publish) props.topic.grantPublish(fn);
    if (fn.role && permissions.publish) {
      acknowledge(
        fn.role,
        ['AwsSolutions-IAM5[Action::kms:GenerateDataKey*]'],
        "CDK's grantPublish on a KMS-encrypted topic; the grant is limited to the topic's own key",
      );
    }
    if (fn.role) {
      acknowledgeWildcardResources(
        fn.role,
        objects(readable),
        `Task ${handler} reads/writes objects under its own key prefixes only; object names vary per run`,
      );
      const bedrockResources = (permissions.bedrock ?? [])
        .flatMap((s) => s.resources)
        .filter((r) => r !== '*');
      acknowledgeWildcardResources(
        fn.role,
        [...new Set(bedrockResources)].map((type) => bedrockArn(this, type)),
        `Task ${handler} acts on Bedrock models and deployments whose names are chosen per execution (this account and region only)`,
      );
      if (permissions.bedrock?.some((s) => s.resources.includes('*'))) {
        acknowledge(
          fn.role,
          ['AwsSolutions-IAM5[Resource::*]'],
          'bedrock:ListCustomModelDeployments / ListProvisionedModelThroughputs support no resource-level permissions',
        );
      }
    }
    return fn;
  }
}

/** ARN pattern of a Bedrock resource type in this stack's account and region. */
export function bedrockArn(scope: Construct, type: BedrockResource): string {
  if (type === '*') return '*';
  const stack = Stack.of(scope);
  // Foundation models are AWS-owned: their ARNs have no account, and a cross-region inference profile
  // routes to the same model in other regions, which IAM checks against that region's ARN.
  if (type === 'foundation-model') {
    return stack.formatArn({
      service: 'bedrock',
      resource: type,
      resourceName: '*',
      account: '',
      region: '*',
    });
  }
  return stack.formatArn({ service: 'bedrock', resource: type, resourceName: '*' });
}
