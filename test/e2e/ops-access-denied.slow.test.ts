import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EventBridgeClient, ListRulesCommand, PutRuleCommand } from '@aws-sdk/client-eventbridge';
import {
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  GetRoleCommand,
  IAMClient,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { CreateBucketCommand, HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, ListTopicsCommand, SNSClient } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.ts';
import { startMoto } from './helpers/local-process.ts';
import { type OpsStack, startOpsStack } from './ops-stack.ts';

/**
 * doctor, setup and cleanup when AWS says AccessDenied. moto_server enforces IAM policies after its
 * first INITIAL_NO_AUTH_ACTION_COUNT calls (moto's "IAM-like access control"): those three calls make an
 * admin user; the admin then makes users whose policies lack what a command needs. The real CLI runs
 * with such a user's keys against moto for IAM, STS, S3, SNS and EventBridge (Bedrock is the local
 * stack, which moto does not serve), so the errors are moto's renditions of AWS's wire shapes.
 */
const ACCOUNT = '123456789012';
const ROLE = 'tunekit-ops-bedrock';
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/${ROLE}`;
const BUCKET = 'tunekit-denied';
const TAGS = [{ Key: 'tunekit:project', Value: 'ops' }];

type Keys = { accessKeyId: string; secretAccessKey: string };
let ops: OpsStack;
let moto: { endpoint: string; stop(): void };
let admin: Keys;
const clientConfig = (credentials: Keys) => ({ region: 'us-east-1', endpoint: moto.endpoint, credentials });

async function makeUser(iam: IAMClient, name: string, actions: string[]): Promise<Keys> {
  await iam.send(new CreateUserCommand({ UserName: name }));
  await iam.send(
    new PutUserPolicyCommand({
      UserName: name,
      PolicyName: 'only-these',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }],
      }),
    }),
  );
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: name }));
  return { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
}

beforeAll(async () => {
  // Exactly the three calls of makeUser('admin') run unauthenticated; every later one is checked.
  moto = await startMoto({ env: { INITIAL_NO_AUTH_ACTION_COUNT: '3' } });
  admin = await makeUser(
    new IAMClient(clientConfig({ accessKeyId: 'bootstrap', secretAccessKey: 'bootstrap' })),
    'admin',
    ['*'],
  );
  // The CLI signs every service with the moto user's keys, Bedrock (the local stack) included: the stack
  // must accept a key pair that is not its own here (`--insecure-any-credentials`).
  ops = await startOpsStack({ bucket: BUCKET, createBucket: false, insecureAnyCredentials: true });
}, 60_000);
afterAll(async () => {
  await ops?.stack.stop();
  moto?.stop();
});

const writeConfig = (extra: Record<string, unknown> = {}) =>
  writeFileSync(
    join(ops.dir, 'tunekit.config.json'),
    JSON.stringify({ project: 'ops', bucket: BUCKET, roleArn: ROLE_ARN, ...extra }),
  );
const cliAs = (keys: Keys, args: string[]) =>
  runCli(args, {
    cwd: ops.dir,
    env: {
      ...ops.env,
      AWS_ACCESS_KEY_ID: keys.accessKeyId,
      AWS_SECRET_ACCESS_KEY: keys.secretAccessKey,
      AWS_ENDPOINT_URL_S3: moto.endpoint,
      AWS_ENDPOINT_URL_IAM: moto.endpoint,
      AWS_ENDPOINT_URL_STS: moto.endpoint,
      AWS_ENDPOINT_URL_SNS: moto.endpoint,
      AWS_ENDPOINT_URL_EVENTBRIDGE: moto.endpoint,
    },
  });

describe('AccessDenied from AWS (moto_server enforcing IAM policies)', () => {
  it('moto really enforces: a user without iam:GetRole is refused with AWS AccessDenied', async () => {
    const iam = new IAMClient(clientConfig(admin));
    const reader = await makeUser(iam, 'probe', ['sts:GetCallerIdentity']);
    await expect(
      new IAMClient(clientConfig(reader)).send(new GetRoleCommand({ RoleName: 'x' })),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
  });

  it('doctor reports each denied check with the AWS text and its fix, exits 1 and keeps checking', async () => {
    const iam = new IAMClient(clientConfig(admin));
    await iam
      .send(new CreateRoleCommand({ RoleName: ROLE, AssumeRolePolicyDocument: '{}', Tags: TAGS }))
      .catch(() => undefined);
    await new S3Client({ ...clientConfig(admin), forcePathStyle: true }).send(
      new CreateBucketCommand({ Bucket: BUCKET }),
    );
    // May ask who it is, nothing else: no iam:GetRole, no s3:ListBucket (HeadBucket).
    const user = await makeUser(iam, 'doctor-user', ['sts:GetCallerIdentity']);
    writeConfig();

    const json = await cliAs(user, ['doctor', '--json']);
    expect(json.code).toBe(1);
    expect(json.stderr).not.toContain('internal error');
    const by = Object.fromEntries(JSON.parse(json.stdout).checks.map((c: { name: string }) => [c.name, c]));
    expect(by.credentials).toMatchObject({ status: 'ok' });
    expect(by.credentials.detail).toContain('user/doctor-user');
    expect(by['bedrock base model']).toMatchObject({ status: 'ok' });
    expect(by['bedrock service role'].status).toBe('fail');
    expect(by['bedrock service role'].detail).toMatch(
      /^AccessDenied: .*not authorized to perform: iam:GetRole/,
    );
    expect(by['bedrock service role'].detail).toContain('user/doctor-user');
    expect(by['bedrock service role'].fix).toContain('iam:GetRole');
    expect(by.bucket.status).toBe('fail');
    expect(by.bucket.detail).toContain('AccessDenied (403) on HeadBucket');
    expect(by.bucket.detail).toContain(`s3://${BUCKET}`);
    expect(by.bucket.fix).toContain('s3:ListBucket');

    const text = await cliAs(user, ['doctor']);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/✗ bedrock service role: AccessDenied: .*iam:GetRole/);
    expect(text.stdout).toContain('fix: grant iam:GetRole');
    expect(text.stdout).toContain('Not ready: fix the ✗ lines above.');
  });

  it('setup fails with an AccessDenied message naming the denied call and what to grant', async () => {
    const iam = new IAMClient(clientConfig(admin));
    // Can make the bucket, cannot touch IAM at all.
    const user = await makeUser(iam, 'setup-user', ['s3:*', 'sts:GetCallerIdentity']);
    writeConfig({ roleArn: undefined, bucket: 'tunekit-denied-setup' });

    const r = await cliAs(user, ['setup']);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toContain('internal error');
    expect(r.stderr).toMatch(/error .*iam:GetRole/);
    expect(r.stderr).toContain('AccessDenied');
    expect(r.stderr).toContain(`tunekit-ops-bedrock`);
    expect(r.stderr).toMatch(/->.*iam:CreateRole/);
    expect(r.stderr).toContain('run `tunekit setup` again');
    // The allowed step before the denied one did happen (setup is idempotent: a rerun finishes the job).
    await expect(
      new S3Client({ ...clientConfig(admin), forcePathStyle: true }).send(
        new HeadBucketCommand({ Bucket: 'tunekit-denied-setup' }),
      ),
    ).resolves.toBeTruthy();
  });

  it('cleanup --dry-run and cleanup report the denied steps and still handle the others', async () => {
    const iam = new IAMClient(clientConfig(admin));
    const sns = new SNSClient(clientConfig(admin));
    const events = new EventBridgeClient(clientConfig(admin));
    await sns.send(new CreateTopicCommand({ Name: 'ops-notify', Tags: TAGS }));
    await events.send(
      new PutRuleCommand({ Name: 'ops-upload', EventPattern: '{"source":["aws.s3"]}', Tags: TAGS }),
    );
    // EventBridge allowed; no SNS, no IAM. (Not the other way round: moto answers a denied EventBridge
    // call in XML where AWS uses JSON, which no SDK parses; SNS and IAM errors have AWS's real shape.)
    const user = await makeUser(iam, 'cleanup-user', ['events:*', 's3:*', 'sts:GetCallerIdentity']);
    writeConfig();

    const dry = await cliAs(user, ['cleanup', '--dry-run', '--json']);
    expect(dry.stderr).not.toContain('internal error');
    expect(dry.code).toBe(1);
    const dryEntries = JSON.parse(dry.stdout).entries as { step: string; action: string; message?: string }[];
    const step = (entries: typeof dryEntries, name: string) => entries.filter((e) => e.step === name);
    expect(step(dryEntries, 'sns-topic')).toEqual([
      expect.objectContaining({
        action: 'failed',
        message: expect.stringMatching(/not authorized to perform: sns:ListTopics/),
      }),
    ]);
    expect(step(dryEntries, 'iam-role')).toEqual([
      expect.objectContaining({
        action: 'failed',
        message: expect.stringMatching(/AccessDenied.*iam:GetRole/),
      }),
    ]);
    expect(step(dryEntries, 'eventbridge-rule')).toEqual([
      expect.objectContaining({
        action: 'would-delete',
        resource: expect.stringContaining('rule/ops-upload'),
      }),
    ]);

    // Nothing but STS and S3: all three steps refused, each reported, the run still ends with its report.
    // moto answers the denied EventBridge call in XML (AWS: JSON), so only the HTTP status is readable.
    const bare = await makeUser(iam, 'bare-user', ['s3:*', 'sts:GetCallerIdentity']);
    const none = await cliAs(bare, ['cleanup', '--dry-run', '--json']);
    expect(none.code).toBe(1);
    expect(none.stderr).not.toContain('internal error');
    const noneEntries = JSON.parse(none.stdout).entries as typeof dryEntries;
    expect(step(noneEntries, 'eventbridge-rule')).toEqual([
      expect.objectContaining({ action: 'failed', message: expect.stringMatching(/^HTTP 403 AccessDenied/) }),
    ]);
    expect(step(noneEntries, 'sns-topic')[0]?.action).toBe('failed');
    expect(step(noneEntries, 'iam-role')[0]?.action).toBe('failed');
    expect(step(noneEntries, 's3-bucket')).toEqual([expect.objectContaining({ action: 'kept' })]);

    const text = await cliAs(user, ['cleanup', '--yes']);
    expect(text.stderr).not.toContain('internal error');
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/sns-topic\s+FAILED.*sns:ListTopics/);
    expect(text.stdout).toMatch(/iam-role\s+FAILED.*AccessDenied.*iam:GetRole/);
    expect(text.stdout).toMatch(/eventbridge-rule\s+deleted/);
    expect(text.stdout).toMatch(/s3-bucket\s+kept/);
    expect(text.stdout).toContain('✗ 2 step(s) FAILED');

    // The allowed step happened; the denied ones left their resources alone.
    expect((await events.send(new ListRulesCommand({}))).Rules ?? []).toEqual([]);
    const topics = (await sns.send(new ListTopicsCommand({}))).Topics?.map((t) =>
      t.TopicArn?.split(':').pop(),
    );
    expect(topics).toEqual(['ops-notify']);
    await expect(iam.send(new GetRoleCommand({ RoleName: ROLE }))).resolves.toBeTruthy();
  });
});
