import {
  type BedrockClient,
  CreateCustomModelDeploymentCommand,
  CreateProvisionedModelThroughputCommand,
  DeleteCustomModelDeploymentCommand,
  ListCustomModelDeploymentsCommand,
  ListCustomModelsCommand,
  ListProvisionedModelThroughputsCommand,
} from '@aws-sdk/client-bedrock';
import { EventBridgeClient, ListRulesCommand, PutRuleCommand } from '@aws-sdk/client-eventbridge';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { CreateTopicCommand, ListTopicsCommand, SNSClient } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLES } from '../../src/samples.ts';
import { type OpsStack, runInProcess, startOpsStack } from './ops-stack.ts';

let ops: OpsStack;
let bedrock: BedrockClient;
let modelArn: string;
let events: EventBridgeClient;
let sns: SNSClient;
let iam: IAMClient;
const TAGS = [{ key: 'tunekit:project', value: 'ops' }];
const CLIENT_TAGS = [{ Key: 'tunekit:project', Value: 'ops' }];

beforeAll(async () => {
  ops = await startOpsStack({ bucket: 'tunekit-cleanup' });
  bedrock = ops.bedrock;
  const trained = await cli(['train', SAMPLES.tutorialConversation, '--interval', '50', '--json']);
  modelArn = JSON.parse(trained.stdout).final.outputModelArn;
  await bedrock.send(
    new CreateProvisionedModelThroughputCommand({
      provisionedModelName: 'ops-pt',
      modelId: modelArn,
      modelUnits: 1,
      tags: TAGS,
    }),
  );
  await bedrock.send(
    new CreateCustomModelDeploymentCommand({ modelDeploymentName: 'ops-od', modelArn, tags: TAGS }),
  );
  // Someone else's deployment of the same model: cleanup must never touch it.
  await bedrock.send(new CreateCustomModelDeploymentCommand({ modelDeploymentName: 'other-team', modelArn }));

  // The project's rule, topic and role (the local stack serves EventBridge, SNS and IAM), and a foreign rule.
  const common = {
    region: 'us-east-1',
    endpoint: ops.stack.endpoint,
    credentials: { accessKeyId: ops.env.AWS_ACCESS_KEY_ID!, secretAccessKey: ops.env.AWS_SECRET_ACCESS_KEY! },
  };
  events = new EventBridgeClient(common);
  sns = new SNSClient(common);
  iam = new IAMClient(common);
  const pattern = JSON.stringify({ source: ['aws.s3'] });
  await events.send(new PutRuleCommand({ Name: 'ops-upload', EventPattern: pattern, Tags: CLIENT_TAGS }));
  await events.send(new PutRuleCommand({ Name: 'other-team-rule', EventPattern: pattern }));
  await sns.send(new CreateTopicCommand({ Name: 'ops-notifications', Tags: CLIENT_TAGS }));
  expect((await cli(['setup', '--json'])).code).toBe(0); // the tagged service role of config.roleArn
});
afterAll(async () => {
  await ops?.stack.stop();
});

function cli(args: string[]) {
  return runInProcess(args, { cwd: ops.dir, env: ops.env });
}
const names = async () => ({
  pts: (
    (await bedrock.send(new ListProvisionedModelThroughputsCommand({}))).provisionedModelSummaries ?? []
  ).map((p) => p.provisionedModelName),
  deployments: (
    (await bedrock.send(new ListCustomModelDeploymentsCommand({}))).modelDeploymentSummaries ?? []
  ).map((d) => d.customModelDeploymentName),
  models: ((await bedrock.send(new ListCustomModelsCommand({}))).modelSummaries ?? []).length,
});

describe('tunekit cleanup against the local stack', () => {
  it('refuses without a terminal or --yes, and a dry run lists in order without deleting', async () => {
    expect((await cli(['cleanup'])).code).toBe(2);
    const r = await cli(['cleanup', '--dry-run', '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    const steps = report.entries.map((e: { step: string; action: string }) => `${e.step}:${e.action}`);
    expect(steps).toEqual([
      'provisioned-throughput:would-delete',
      'custom-model-deployment:would-delete',
      'custom-model:kept',
      'eventbridge-rule:would-delete',
      'sns-topic:would-delete',
      'iam-role:would-delete',
      's3-bucket:kept',
    ]);
    // Nothing was deleted, so everything of the project is still billable (and nothing of other-team's).
    expect(report.stillBillable.map((b: { kind: string }) => b.kind)).toEqual([
      'provisioned-throughput',
      'custom-model-deployment',
      'custom-model (storage)',
    ]);
    expect(await names()).toEqual({
      pts: ['ops-pt'],
      deployments: expect.arrayContaining(['ops-od', 'other-team']),
      models: 1,
    });
  });

  it("deletes the project's hourly resources, keeps others' and the model, and verifies", async () => {
    const r = await cli(['cleanup', '--yes']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/provisioned-throughput\s+deleted/);
    expect(r.stdout).toMatch(/custom-model\s+kept\s+\S+\s+kept \(pass --all to delete\)/);
    expect(r.stdout).toContain('Still billable (1)');
    expect(r.stdout).toContain('custom-model (storage)');
    expect(await names()).toEqual({ pts: [], deployments: ['other-team'], models: 1 });
    expect((await events.send(new ListRulesCommand({}))).Rules?.map((r) => r.Name)).toEqual([
      'other-team-rule',
    ]);
    expect((await sns.send(new ListTopicsCommand({}))).Topics).toEqual([]);
    await expect(iam.send(new GetRoleCommand({ RoleName: 'BedrockFineTuningRole' }))).rejects.toMatchObject({
      name: 'NoSuchEntityException',
    });
  });

  it('--all reports a model still in use by a foreign deployment, then deletes model and bucket', async () => {
    const blocked = await cli(['cleanup', '--all', '--yes']);
    expect(blocked.code).toBe(1);
    expect(blocked.stdout).toMatch(
      /custom-model\s+FAILED\s+\S+\s+ConflictException: .*in use by deployment other-team/,
    );
    const other = ((await bedrock.send(new ListCustomModelDeploymentsCommand({}))).modelDeploymentSummaries ??
      [])[0]!;
    await bedrock.send(
      new DeleteCustomModelDeploymentCommand({
        customModelDeploymentIdentifier: other.customModelDeploymentArn,
      }),
    );
    const r = await cli(['cleanup', '--all', '--yes', '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.stillBillable).toEqual([]);
    // The blocked run already deleted the bucket; the retry says so instead of failing.
    expect(report.entries.at(-1)).toMatchObject({
      step: 's3-bucket',
      action: 'skipped',
      message: 'already gone',
    });
    expect((await names()).models).toBe(0);
    await expect(ops.s3.send(new HeadBucketCommand({ Bucket: 'tunekit-cleanup' }))).rejects.toThrow();
  });
});
