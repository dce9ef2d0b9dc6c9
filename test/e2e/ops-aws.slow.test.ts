import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  EventBridgeClient,
  ListRulesCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { GetRoleCommand, GetRolePolicyCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateTopicCommand, ListTopicsCommand, SNSClient } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.ts';
import { startMoto } from './helpers/local-process.ts';
import { type OpsStack, startOpsStack } from './ops-stack.ts';

/**
 * setup, doctor and cleanup against moto_server for IAM, STS, SNS and EventBridge (the local stack
 * serves only S3 and Bedrock): the commands' real AWS paths with an independent implementation.
 */
let ops: OpsStack;
let moto: { endpoint: string; stop(): void };
let env: Record<string, string>;
const common = () => ({
  region: 'us-east-1',
  endpoint: moto.endpoint,
  // moto accepts any key pair.
  credentials: { accessKeyId: 'moto', secretAccessKey: 'moto' },
});

beforeAll(async () => {
  moto = await startMoto();
  ops = await startOpsStack({ bucket: 'tunekit-setup', createBucket: false });
  env = {
    ...ops.env,
    AWS_ENDPOINT_URL_IAM: moto.endpoint,
    AWS_ENDPOINT_URL_STS: moto.endpoint,
    AWS_ENDPOINT_URL_SNS: moto.endpoint,
    AWS_ENDPOINT_URL_EVENTBRIDGE: moto.endpoint,
  };
});
afterAll(async () => {
  await ops?.stack.stop();
  moto?.stop();
});

const cli = (args: string[]) => runCli(args, { cwd: ops.dir, env });
const writeConfig = (extra: Record<string, unknown>) =>
  writeFileSync(
    join(ops.dir, 'tunekit.config.json'),
    JSON.stringify({ project: 'ops', bucket: 'tunekit-setup', ...extra }),
  );

describe('setup, doctor and cleanup against moto (IAM, STS, SNS, EventBridge)', () => {
  let roleArn: string;

  it('setup creates the bucket and a least-privilege role, and is idempotent', async () => {
    writeConfig({});
    const first = await cli(['setup', '--json']);
    expect(first.code).toBe(0);
    const out = JSON.parse(first.stdout);
    roleArn = out.roleArn;
    expect(roleArn).toBe('arn:aws:iam::123456789012:role/tunekit-ops-bedrock');
    expect(out.steps.map((s: { action: string }) => s.action)).toEqual(['created', 'created']);

    const iam = new IAMClient(common());
    const { Role } = await iam.send(new GetRoleCommand({ RoleName: 'tunekit-ops-bedrock' }));
    const trust = JSON.parse(decodeURIComponent(Role!.AssumeRolePolicyDocument!));
    expect(trust.Statement[0]).toMatchObject({
      Principal: { Service: 'bedrock.amazonaws.com' },
      Condition: {
        StringEquals: { 'aws:SourceAccount': '123456789012' },
        ArnLike: { 'aws:SourceArn': 'arn:aws:bedrock:us-east-1:123456789012:model-customization-job/*' },
      },
    });
    const policy = await iam.send(
      new GetRolePolicyCommand({ RoleName: 'tunekit-ops-bedrock', PolicyName: 'tunekit-training-data' }),
    );
    const doc = JSON.parse(decodeURIComponent(policy.PolicyDocument!));
    const by = Object.fromEntries(doc.Statement.map((s: { Sid: string }) => [s.Sid, s]));
    expect(by.ReadTrainingData.Resource).toEqual([
      'arn:aws:s3:::tunekit-setup/training-data/*',
      'arn:aws:s3:::tunekit-setup/manual-uploads/*',
    ]);
    expect(by.WriteJobOutputs).toMatchObject({
      Action: ['s3:PutObject', 's3:GetObject'],
      Resource: 'arn:aws:s3:::tunekit-setup/job-outputs/*',
    });

    const second = JSON.parse((await cli(['setup', '--json'])).stdout);
    expect(second.roleArn).toBe(roleArn);
    expect(second.steps.map((s: { action: string }) => s.action)).toEqual(['exists', 'updated']);
  });

  it('doctor reports the account from STS and finds the role trusting Bedrock', async () => {
    writeConfig({ roleArn });
    const r = await cli(['doctor', '--json']);
    const by = Object.fromEntries(JSON.parse(r.stdout).checks.map((c: { name: string }) => [c.name, c]));
    expect(by.credentials).toMatchObject({ status: 'ok' });
    expect(by.credentials.detail).toContain('account 123456789012');
    expect(by['bedrock service role']).toMatchObject({ status: 'ok' });
    expect(by.bucket).toMatchObject({ status: 'ok' });
    expect(r.code).toBe(0);
  });

  it("cleanup deletes the project's tagged rule (with targets), topic and role, and nothing else", async () => {
    const events = new EventBridgeClient(common());
    const sns = new SNSClient(common());
    const tags = [{ Key: 'tunekit:project', Value: 'ops' }];
    const topic = await sns.send(new CreateTopicCommand({ Name: 'ops-notify', Tags: tags }));
    await sns.send(new CreateTopicCommand({ Name: 'someone-else' }));
    await events.send(
      new PutRuleCommand({ Name: 'ops-upload', EventPattern: '{"source":["aws.s3"]}', Tags: tags }),
    );
    await events.send(
      new PutTargetsCommand({ Rule: 'ops-upload', Targets: [{ Id: 'sns', Arn: topic.TopicArn! }] }),
    );
    await events.send(new PutRuleCommand({ Name: 'foreign-rule', ScheduleExpression: 'rate(1 hour)' }));

    const r = await cli(['cleanup', '--yes', '--json']);
    expect(r.code).toBe(0);
    const steps = JSON.parse(r.stdout).entries.map(
      (e: { step: string; action: string }) => `${e.step}:${e.action}`,
    );
    expect(steps).toEqual(
      expect.arrayContaining(['eventbridge-rule:deleted', 'sns-topic:deleted', 'iam-role:deleted']),
    );
    const rules = (await events.send(new ListRulesCommand({}))).Rules?.map((x) => x.Name);
    expect(rules).toEqual(['foreign-rule']);
    const topics = (await sns.send(new ListTopicsCommand({}))).Topics?.map((t) =>
      t.TopicArn?.split(':').pop(),
    );
    expect(topics).toEqual(['someone-else']);
    await expect(
      new IAMClient(common()).send(new GetRoleCommand({ RoleName: 'tunekit-ops-bedrock' })),
    ).rejects.toMatchObject({ name: 'NoSuchEntityException' });
  });
});
