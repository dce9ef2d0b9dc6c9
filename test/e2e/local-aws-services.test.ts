import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DeleteRuleCommand,
  DescribeRuleCommand,
  EventBridgeClient,
  ListTargetsByRuleCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import {
  CreateRoleCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListRolePoliciesCommand,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import {
  CreateTopicCommand,
  DeleteTopicCommand,
  ListSubscriptionsByTopicCommand,
  ListTopicsCommand,
  PublishCommand,
  SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as dataset from '../../src/dataset/index.ts';
import { inProcessTrainer } from '../../src/local/bedrock/index.ts';
import { type LocalStack, startLocalStack } from '../../src/local/stack.ts';
import { tempDir } from './helpers/cli.ts';
import { memorisingEngine } from './helpers/local-doubles.ts';

/** The STS, IAM, EventBridge and SNS subsets of the local stack, through unmodified AWS SDK v3 clients. */

const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'bedrock.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});
const S3_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::b/*'] }],
});

let stack: LocalStack;
let dataDir: string;
const logLines: string[] = [];

function client<T>(Make: new (config: object) => T): T {
  return new Make({
    region: 'us-east-1',
    endpoint: stack.endpoint,
    credentials: {
      accessKeyId: stack.env.AWS_ACCESS_KEY_ID,
      secretAccessKey: stack.env.AWS_SECRET_ACCESS_KEY,
    },
    maxAttempts: 1,
  });
}

/** Starts (or restarts) the stack on `dataDir`. */
async function start() {
  const engine = memorisingEngine();
  stack = await startLocalStack({
    port: 0,
    dataDir,
    stateFile: false,
    overrides: { engine, trainer: inProcessTrainer(engine, dataset) },
    log: (line) => logLines.push(line),
  });
}

beforeAll(async () => {
  dataDir = tempDir();
  await start();
});
afterAll(() => stack?.stop());

describe('local STS', () => {
  it('answers GetCallerIdentity with the stack account', async () => {
    const identity = await client(STSClient).send(new GetCallerIdentityCommand({}));
    expect(identity.Account).toBe('000000000000');
    expect(identity.Arn).toBe('arn:aws:iam::000000000000:user/tunekit-local');
  });

  it('names every service it serves in `tunekit local env`', () => {
    for (const name of ['STS', 'IAM', 'EVENTBRIDGE', 'SNS'])
      expect(stack.env[`AWS_ENDPOINT_URL_${name}`]).toBe(stack.endpoint);
  });
});

describe('local IAM', () => {
  it('creates, reads, and deletes a role and its inline policy as IAM does, and keeps them across a restart', async () => {
    const iam = client(IAMClient);
    const created = await iam.send(
      new CreateRoleCommand({ RoleName: 'BedrockFineTuningRole', AssumeRolePolicyDocument: TRUST }),
    );
    expect(created.Role?.Arn).toBe('arn:aws:iam::000000000000:role/BedrockFineTuningRole');
    expect(created.Role?.RoleId).toMatch(/^AROA[A-Z0-9]{17}$/);
    // IAM sends policy documents URL-encoded.
    expect(decodeURIComponent(created.Role?.AssumeRolePolicyDocument ?? '')).toBe(TRUST);
    await expect(
      iam.send(new CreateRoleCommand({ RoleName: 'bedrockfinetuningrole', AssumeRolePolicyDocument: TRUST })),
    ).rejects.toMatchObject({ name: 'EntityAlreadyExistsException', $metadata: { httpStatusCode: 409 } });
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: 'BedrockFineTuningRole',
        PolicyName: 'BedrockS3Access',
        PolicyDocument: S3_POLICY,
      }),
    );

    await stack.stop();
    await start();
    const iam2 = client(IAMClient);
    const got = await iam2.send(new GetRoleCommand({ RoleName: 'BedrockFineTuningRole' }));
    expect(got.Role?.RoleName).toBe('BedrockFineTuningRole');
    const policy = await iam2.send(
      new GetRolePolicyCommand({ RoleName: 'BedrockFineTuningRole', PolicyName: 'BedrockS3Access' }),
    );
    expect(decodeURIComponent(policy.PolicyDocument ?? '')).toBe(S3_POLICY);

    // Like IAM: a role with inline policies cannot be deleted; the policy goes first.
    await expect(
      iam2.send(new DeleteRoleCommand({ RoleName: 'BedrockFineTuningRole' })),
    ).rejects.toMatchObject({
      name: 'DeleteConflictException',
    });
    await iam2.send(
      new DeleteRolePolicyCommand({ RoleName: 'BedrockFineTuningRole', PolicyName: 'BedrockS3Access' }),
    );
    expect(
      (await iam2.send(new ListRolePoliciesCommand({ RoleName: 'BedrockFineTuningRole' }))).PolicyNames,
    ).toEqual([]);
    await iam2.send(new DeleteRoleCommand({ RoleName: 'BedrockFineTuningRole' }));
    await expect(iam2.send(new GetRoleCommand({ RoleName: 'BedrockFineTuningRole' }))).rejects.toMatchObject({
      name: 'NoSuchEntityException',
      message: 'The role with name BedrockFineTuningRole cannot be found.',
      $metadata: { httpStatusCode: 404 },
    });
  });

  it('refuses a malformed policy document and a name outside the pattern', async () => {
    const iam = client(IAMClient);
    await expect(
      iam.send(new CreateRoleCommand({ RoleName: 'ok-role', AssumeRolePolicyDocument: '{not json' })),
    ).rejects.toMatchObject({ name: 'MalformedPolicyDocumentException' });
    await expect(
      iam.send(new CreateRoleCommand({ RoleName: 'bad role!', AssumeRolePolicyDocument: TRUST })),
    ).rejects.toMatchObject({ name: 'ValidationError', message: expect.stringContaining("at 'roleName'") });
    await expect(iam.send(new GetRoleCommand({ RoleName: 'ok-role' }))).rejects.toMatchObject({
      name: 'NoSuchEntityException',
    });
  });
});

describe('local EventBridge', () => {
  it('stores a rule and its targets; a rule with targets cannot be deleted until they are removed', async () => {
    const events = client(EventBridgeClient);
    const pattern = JSON.stringify({ source: ['aws.s3'], 'detail-type': ['Object Created'] });
    const { RuleArn } = await events.send(
      new PutRuleCommand({ Name: 'bedrock-finetuning-trigger', EventPattern: pattern, State: 'ENABLED' }),
    );
    expect(RuleArn).toBe('arn:aws:events:us-east-1:000000000000:rule/bedrock-finetuning-trigger');
    const rule = await events.send(new DescribeRuleCommand({ Name: 'bedrock-finetuning-trigger' }));
    expect(rule).toMatchObject({ EventPattern: pattern, State: 'ENABLED', EventBusName: 'default' });

    await events.send(
      new PutTargetsCommand({
        Rule: 'bedrock-finetuning-trigger',
        Targets: [{ Id: '1', Arn: 'arn:aws:states:us-east-1:000000000000:stateMachine:x' }],
      }),
    );
    expect(
      (await events.send(new ListTargetsByRuleCommand({ Rule: 'bedrock-finetuning-trigger' }))).Targets,
    ).toHaveLength(1);
    await expect(
      events.send(new DeleteRuleCommand({ Name: 'bedrock-finetuning-trigger' })),
    ).rejects.toMatchObject({
      name: 'ValidationException',
    });
    await events.send(new RemoveTargetsCommand({ Rule: 'bedrock-finetuning-trigger', Ids: ['1'] }));
    await events.send(new DeleteRuleCommand({ Name: 'bedrock-finetuning-trigger' }));
    await expect(
      events.send(new DescribeRuleCommand({ Name: 'bedrock-finetuning-trigger' })),
    ).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });

  it('refuses an event pattern that is not JSON', async () => {
    await expect(
      client(EventBridgeClient).send(new PutRuleCommand({ Name: 'r', EventPattern: '{source:' })),
    ).rejects.toMatchObject({ name: 'InvalidEventPatternException' });
  });
});

describe('local SNS', () => {
  it('writes a published message for an email subscription to the outbox and the log, never sending it', async () => {
    const sns = client(SNSClient);
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'finetuning-notifications' }));
    expect(TopicArn).toBe('arn:aws:sns:us-east-1:000000000000:finetuning-notifications');
    // CreateTopic is idempotent.
    expect((await sns.send(new CreateTopicCommand({ Name: 'finetuning-notifications' }))).TopicArn).toBe(
      TopicArn,
    );
    const sub = await sns.send(
      new SubscribeCommand({ TopicArn, Protocol: 'email', Endpoint: 'ops@example.com' }),
    );
    expect(sub.SubscriptionArn).toBe('pending confirmation');
    const subs = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }));
    expect(subs.Subscriptions?.[0]).toMatchObject({
      Protocol: 'email',
      Endpoint: 'ops@example.com',
      TopicArn,
    });

    const { MessageId } = await sns.send(
      new PublishCommand({ TopicArn, Subject: 'Fine-tuning done', Message: 'v3 promoted' }),
    );
    const outbox = readFileSync(join(dataDir, 'sns', 'outbox.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(outbox.at(-1)).toMatchObject({
      messageId: MessageId,
      endpoint: 'ops@example.com',
      subject: 'Fine-tuning done',
      message: 'v3 promoted',
    });
    expect(logLines.some((l) => l.includes('ops@example.com') && l.includes('not sent'))).toBe(true);

    await sns.send(new DeleteTopicCommand({ TopicArn }));
    expect((await sns.send(new ListTopicsCommand({}))).Topics).toEqual([]);
    await expect(sns.send(new PublishCommand({ TopicArn, Message: 'x' }))).rejects.toMatchObject({
      name: 'NotFoundException',
    });
  });

  it('refuses a topic name outside SNS rules', async () => {
    await expect(client(SNSClient).send(new CreateTopicCommand({ Name: 'has space' }))).rejects.toMatchObject(
      {
        name: 'InvalidParameterException',
      },
    );
  });
});
