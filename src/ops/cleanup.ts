import { DeleteCustomModelCommand } from '@aws-sdk/client-bedrock';
import {
  DeleteRuleCommand,
  ListRulesCommand,
  ListTagsForResourceCommand as ListRuleTagsCommand,
  ListTargetsByRuleCommand,
  RemoveTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import {
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetRoleCommand,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import { DeleteBucketCommand, DeleteObjectsCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import {
  DeleteTopicCommand,
  ListTopicsCommand,
  ListTagsForResourceCommand as ListTopicTagsCommand,
} from '@aws-sdk/client-sns';
import type { AwsClients } from '../aws/clients.ts';
import { findProjectCustomModels } from '../bedrock/custom-models.ts';
import { type BillableResource, findBillableResources, sweepBillableResources } from '../bedrock/index.ts';
import { type ResourceTag, tunekitProject } from '../bedrock/tags.ts';
import type { Config } from '../config/schema.ts';
import { errorName, errorText, hasEndpoint, isLocalEndpoint } from './checks.ts';

/**
 * `tunekit cleanup`: the tutorial's cleanup in dependency order — Provisioned Throughput and deployments
 * (they bill by the hour and pin the model), custom models (--all), EventBridge rules and their targets,
 * SNS topics, the service role, the bucket (--all) — then a check for anything still billable.
 * Only resources tagged `tunekit:project=<project>` are touched (and untagged custom models and evaluation
 * deployments with the exact names tunekit gives them), and never one a CloudFormation stack
 * owns (`tunekit destroy` removes those, or the stack would drift).
 */

export type CleanupAction = 'deleted' | 'would-delete' | 'kept' | 'skipped' | 'failed';

export interface CleanupEntry {
  step: string;
  resource: string;
  action: CleanupAction;
  message?: string;
}

export interface CleanupReport {
  entries: CleanupEntry[];
  /** What still costs money after the run (hourly resources, stored custom models). */
  stillBillable: { kind: string; arn: string }[];
  /** False when listing what still bills failed (refused, throttled): then `stillBillable` may be incomplete. */
  verified: boolean;
}

/** What a delete returns when the resource was already gone: a second cleanup is not a failure. */
const GONE = Symbol('gone');

const ours = (tags: ResourceTag[], project: string) =>
  tunekitProject(tags) === project && !tags.some((t) => t.key === 'aws:cloudformation:stack-name');
const lower = (tags: { Key?: string; Value?: string }[] | undefined): ResourceTag[] =>
  (tags ?? []).map((t) => ({ key: t.Key, value: t.Value }));

export async function runCleanup(
  config: Config,
  clients: AwsClients,
  options: { dryRun?: boolean; all?: boolean; env?: NodeJS.ProcessEnv } = {},
): Promise<CleanupReport> {
  const env = options.env ?? process.env;
  const dry = Boolean(options.dryRun);
  const project = config.project;
  const entries: CleanupEntry[] = [];
  const local = isLocalEndpoint(env);
  // One failed delete doesn't stop the rest: the report names it and a second run retries it.
  const act = async (step: string, resource: string, del: () => Promise<unknown>) => {
    if (dry) return entries.push({ step, resource, action: 'would-delete' });
    try {
      const result = await del();
      entries.push(
        result === GONE
          ? { step, resource, action: 'skipped', message: 'already gone' }
          : { step, resource, action: 'deleted' },
      );
    } catch (error) {
      entries.push({ step, resource, action: 'failed', message: errorText(error) });
    }
  };
  const skip = (step: string, message: string) =>
    entries.push({ step, resource: '-', action: 'skipped', message });
  // A step whose listing is refused (AccessDenied, throttling) is reported and the next step still runs.
  const section = async (step: string, run: () => Promise<unknown>) => {
    try {
      await run();
    } catch (error) {
      entries.push({ step, resource: '-', action: 'failed', message: errorText(error) });
    }
  };

  // 1+2. Provisioned Throughput, then deployments (the janitor's sweep, with no minimum age).
  let found: BillableResource[] | undefined;
  await section('deployments', async () => {
    const sweep = await sweepBillableResources(clients.bedrock, {
      maxAgeMinutes: 0,
      project,
      dryRun: dry,
      includeProduction: Boolean(options.all),
    });
    found = sweep.entries.map((e) => e.resource);
    for (const e of sweep.entries) {
      entries.push({
        step: e.resource.kind,
        resource: e.resource.arn,
        action:
          e.action === 'would-delete' || e.action === 'deleted' || e.action === 'failed' ? e.action : 'kept',
        ...(e.action === 'kept-production'
          ? { message: 'kept: serves the production version (pass --all to delete)' }
          : e.message
            ? { message: e.message }
            : {}),
      });
    }
  });

  // 3. Custom models: storage-billed monthly and the product of paid training, so only with --all.
  let models: string[] | undefined;
  await section('custom-model', async () => {
    models = await projectModels(clients, project);
    for (const arn of models) {
      if (options.all)
        await act('custom-model', arn, () =>
          clients.bedrock.send(new DeleteCustomModelCommand({ modelIdentifier: arn })),
        );
      else
        entries.push({
          step: 'custom-model',
          resource: arn,
          action: 'kept',
          message: 'kept (pass --all to delete)',
        });
    }
  });

  // 4. EventBridge rules (targets first: a rule with targets cannot be deleted).
  if (local && !hasEndpoint('EVENTBRIDGE', env)) skip('eventbridge-rule', 'skipped (local stack)');
  else
    await section('eventbridge-rule', async () => {
      let token: string | undefined;
      do {
        const page = await clients.eventbridge.send(new ListRulesCommand({ NextToken: token }));
        for (const rule of page.Rules ?? []) {
          const { Tags } = await clients.eventbridge.send(new ListRuleTagsCommand({ ResourceARN: rule.Arn }));
          if (!ours(lower(Tags), project)) continue;
          await act('eventbridge-rule', rule.Arn!, async () => {
            const targets = await clients.eventbridge.send(new ListTargetsByRuleCommand({ Rule: rule.Name }));
            const ids = (targets.Targets ?? []).map((t) => t.Id!);
            if (ids.length)
              await clients.eventbridge.send(new RemoveTargetsCommand({ Rule: rule.Name, Ids: ids }));
            await clients.eventbridge.send(new DeleteRuleCommand({ Name: rule.Name }));
          });
        }
        token = page.NextToken;
      } while (token);
    });

  // 5. SNS topics.
  if (local && !hasEndpoint('SNS', env)) skip('sns-topic', 'skipped (local stack)');
  else
    await section('sns-topic', async () => {
      let token: string | undefined;
      do {
        const page = await clients.sns.send(new ListTopicsCommand({ NextToken: token }));
        for (const topic of page.Topics ?? []) {
          const { Tags } = await clients.sns.send(new ListTopicTagsCommand({ ResourceArn: topic.TopicArn }));
          if (!ours(lower(Tags), project)) continue;
          await act('sns-topic', topic.TopicArn!, () =>
            clients.sns.send(new DeleteTopicCommand({ TopicArn: topic.TopicArn })),
          );
        }
        token = page.NextToken;
      } while (token);
    });

  // 6. The service role `tunekit setup` made (config.roleArn, only when it carries the project tag).
  if (local && !hasEndpoint('IAM', env)) skip('iam-role', 'skipped (local stack)');
  else if (config.roleArn) await cleanupRole(clients, config.roleArn, project, entries, act);

  // 7. The bucket, emptied first: the data and the registry live there, so only with --all.
  if (options.all) {
    await act('s3-bucket', `s3://${config.bucket}`, () => deleteBucket(clients, config.bucket));
  } else
    entries.push({
      step: 's3-bucket',
      resource: `s3://${config.bucket}`,
      action: 'kept',
      message: 'kept (pass --all to delete)',
    });

  // Ask AWS again only about what this run may have deleted: a dry run deleted nothing, and custom
  // models are deleted only with --all (each listing costs a ListTagsForResource per resource).
  const stillBillable: CleanupReport['stillBillable'] = [];
  let verified = false;
  await section('verify', async () => {
    const billableLeft = dry && found ? found : await findBillableResources(clients.bedrock, { project });
    const modelsLeft = (options.all && !dry) || !models ? await projectModels(clients, project) : models;
    stillBillable.push(
      ...billableLeft.map((r) => ({ kind: r.kind, arn: r.arn })),
      ...modelsLeft.map((arn) => ({ kind: 'custom-model (storage)', arn })),
    );
    verified = true;
  });
  return { entries, stillBillable, verified };
}

/**
 * Every custom model of the project: tagged `tunekit:project`, or untagged with a name tunekit gives
 * (models from before tunekit tagged them). Never one a CloudFormation stack owns.
 */
async function projectModels(clients: AwsClients, project: string): Promise<string[]> {
  const models = await findProjectCustomModels(clients.bedrock, project, {
    exclude: (tags) => tags.some((t) => t.key === 'aws:cloudformation:stack-name'),
  });
  return models.map((m) => m.arn);
}

async function cleanupRole(
  clients: AwsClients,
  roleArn: string,
  project: string,
  entries: CleanupEntry[],
  act: (step: string, resource: string, del: () => Promise<unknown>) => Promise<unknown>,
) {
  const RoleName = roleArn.split('/').pop()!;
  try {
    const { Role } = await clients.iam.send(new GetRoleCommand({ RoleName }));
    if (!ours(lower(Role?.Tags), project)) {
      entries.push({
        step: 'iam-role',
        resource: roleArn,
        action: 'kept',
        message: 'not created by `tunekit setup` (no tunekit:project tag)',
      });
      return;
    }
  } catch (error) {
    if (errorName(error) === 'NoSuchEntityException') return;
    // Cannot tell whether the role is ours (e.g. no iam:GetRole): report it, leave it, go on.
    entries.push({ step: 'iam-role', resource: roleArn, action: 'failed', message: errorText(error) });
    return;
  }
  await act('iam-role', roleArn, async () => {
    const attached = await clients.iam.send(new ListAttachedRolePoliciesCommand({ RoleName }));
    for (const p of attached.AttachedPolicies ?? [])
      await clients.iam.send(new DetachRolePolicyCommand({ RoleName, PolicyArn: p.PolicyArn }));
    const inline = await clients.iam.send(new ListRolePoliciesCommand({ RoleName }));
    for (const name of inline.PolicyNames ?? [])
      await clients.iam.send(new DeleteRolePolicyCommand({ RoleName, PolicyName: name }));
    await clients.iam.send(new DeleteRoleCommand({ RoleName }));
  });
}

async function deleteBucket(clients: AwsClients, bucket: string) {
  let token: string | undefined;
  do {
    let page: Awaited<ReturnType<typeof listPage>>;
    try {
      page = await listPage(clients, bucket, token);
    } catch (error) {
      if (errorName(error) === 'NoSuchBucket') return GONE;
      throw error;
    }
    const keys = (page.Contents ?? []).map((o) => ({ Key: o.Key! }));
    if (keys.length)
      await clients.s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys } }));
    token = page.NextContinuationToken;
  } while (token);
  try {
    await clients.s3.send(new DeleteBucketCommand({ Bucket: bucket }));
  } catch (error) {
    if (errorName(error) === 'NoSuchBucket') return GONE;
    throw error;
  }
  return undefined;
}

const listPage = (clients: AwsClients, bucket: string, token: string | undefined) =>
  clients.s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
