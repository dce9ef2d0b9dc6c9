// Synth is the expensive part (~1 s): one stack for the whole file, CDK's own template validation off
// (infra.slow.test.ts keeps a fully validating, bundling synth plus cfn-lint).
process.env.CDK_VALIDATION = 'false';

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Duration, Stack, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  GRADER_SUBSTITUTION,
  PIPELINE_TASKS,
  pipelineDefinition,
  placeholder,
} from '../pipeline/definition.ts';
import { trainingFingerprint } from '../pipeline/run-name.ts';
import { FineTunePipeline } from './fine-tune-pipeline.ts';
import type { FineTunePipelineProps } from './props.ts';

const env = { account: '111122223333', region: 'us-east-1' };
// Skip esbuild bundling here; the slow test bundles for real.
const newApp = () => new App({ context: { 'aws:cdk:bundling-stacks': [] } });

let stack: Stack;
let pipeline: FineTunePipeline;
let template: Template;

beforeAll(() => {
  // GIVEN a stack with a pipeline using a schedule and an e-mail subscription
  stack = new Stack(newApp(), 'Test', { env });
  pipeline = new FineTunePipeline(stack, 'Pipeline', {
    project: 'bank',
    retrainSchedule: '0 3 * * 1',
    notificationEmail: 'ml@example.com',
    taskConfig: { baseModel: 'amazon.nova-micro-v1:0:128k' },
  });
  // WHEN it is synthesized
  template = Template.fromStack(stack);
});

/** The logical id of the resource whose construct path contains `fragment`. */
function logicalIdOf(type: string, fragment: string): string {
  return logicalIdOfIn(template, type, fragment);
}
function logicalIdOfIn(t: Template, type: string, fragment: string): string {
  const ids = Object.keys(t.findResources(type)).filter((id) => id.includes(fragment));
  expect(ids, `${type} with ${fragment}`).toHaveLength(1);
  return ids[0]!;
}

/** All policy statements attached to the role whose logical id contains `roleFragment`. */
function statementsOfRole(roleFragment: string, from = template): Record<string, unknown>[] {
  const policies = from.findResources('AWS::IAM::Policy');
  return Object.values(policies)
    .filter((p) =>
      (p.Properties.Roles as { Ref: string }[]).some(
        (r) => r.Ref.includes(roleFragment) && r.Ref.includes('Role'),
      ),
    )
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Record<string, unknown>[]);
}
const actionsOf = (statements: Record<string, unknown>[]) =>
  statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])) as string[];

describe('FineTunePipeline bucket', () => {
  it('is encrypted, versioned, private, sends events to EventBridge and expires job outputs', () => {
    // THEN
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }],
      },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({
            Id: 'expire-job-outputs',
            Prefix: 'job-outputs/',
            ExpirationInDays: 90,
            Status: 'Enabled',
          }),
        ]),
      },
    });
    template.hasResourceProperties('Custom::S3BucketNotifications', {
      BucketName: { Ref: logicalIdOf('AWS::S3::Bucket', 'PipelineBucket') },
      NotificationConfiguration: { EventBridgeConfiguration: {} },
    });
  });

  it('denies every request that is not TLS', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logicalIdOf('AWS::S3::Bucket', 'PipelineBucket') },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });
});

describe('FineTunePipeline triggers', () => {
  it('sends .jsonl uploads under the prefix to the starter Lambda, with retries and a dead-letter queue', () => {
    // A rule targeting the state machine cannot name executions; the starter names them by content.
    const starter = logicalIdOf('AWS::Lambda::Function', 'UploadStarter');
    const queue = logicalIdOf('AWS::SQS::Queue', 'DeadLetterQueue');
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.s3'],
        'detail-type': ['Object Created'],
        detail: {
          bucket: { name: [{ Ref: logicalIdOf('AWS::S3::Bucket', 'PipelineBucket') }] },
          // prefix AND suffix on one field: a wildcard (two array entries would be an OR)
          object: { key: [{ wildcard: 'training-data/*.jsonl' }] },
        },
      },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [starter, 'Arn'] },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queue, 'Arn'] } },
          RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 7200 },
        }),
      ],
    });
    // Nothing else starts the state machine on an upload.
    const rules = template.findResources('AWS::Events::Rule');
    const stateMachine = logicalIdOf('AWS::StepFunctions::StateMachine', 'Pipeline');
    expect(JSON.stringify(rules)).not.toContain(`"Ref":"${stateMachine}"`);
  });

  it('lets the starter only start this state machine and publish to the topic, named by the config', () => {
    const stateMachine = logicalIdOf('AWS::StepFunctions::StateMachine', 'Pipeline');
    const statements = statementsOfRole('UploadStarter');
    expect(statements.filter((s) => actionsOf([s]).some((a) => a.startsWith('states:')))).toEqual([
      expect.objectContaining({
        Action: 'states:StartExecution',
        Effect: 'Allow',
        Resource: { Ref: stateMachine },
      }),
    ]);
    expect(actionsOf(statements)).toContain('sns:Publish');
    // kms:GenerateDataKey* is CDK's grantPublish on the encrypted topic (limited to the topic's key)
    expect(
      actionsOf(statements).filter(
        (a) => a === '*' || a.endsWith(':*') || a.startsWith('s3:') || a.startsWith('bedrock:'),
      ),
    ).toEqual([]);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Environment: {
        Variables: Match.objectLike({
          TUNEKIT_STATE_MACHINE_ARN: { Ref: stateMachine },
          TUNEKIT_TRAINING_FINGERPRINT: trainingFingerprint({ baseModel: 'amazon.nova-micro-v1:0:128k' }),
        }),
      },
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': [logicalIdOf('AWS::Lambda::Function', 'UploadStarter'), 'Arn'] },
    });
  });

  it('forwards state changes of jobs that run as the pipeline role to the topic', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.bedrock'],
        'detail-type': ['Model Customization Job State Change'],
        detail: { roleArn: [{ 'Fn::GetAtt': [logicalIdOf('AWS::IAM::Role', 'BedrockJobRole'), 'Arn'] }] },
      },
      Targets: [Match.objectLike({ Arn: { Ref: logicalIdOf('AWS::SNS::Topic', 'Notifications') } })],
    });
  });

  it('schedules retraining with EventBridge Scheduler (Sunday-is-1 cron) and the janitor hourly', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 3 ? * 2 *)',
      Target: Match.objectLike({
        Arn: { 'Fn::GetAtt': [logicalIdOf('AWS::Lambda::Function', 'RetrainFunction'), 'Arn'] },
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 },
        DeadLetterConfig: Match.anyValue(),
      }),
    });
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 hour)',
      Target: Match.objectLike({
        Arn: { 'Fn::GetAtt': [logicalIdOf('AWS::Lambda::Function', 'JanitorSweep'), 'Arn'] },
      }),
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({ TUNEKIT_JANITOR_MAX_AGE_MINUTES: '360', TUNEKIT_PROJECT: 'bank' }),
      },
    });
  });

  it('has no schedule and no retrain function when retrainSchedule is not set', () => {
    const plain = new Stack(newApp(), 'Plain', { env });
    new FineTunePipeline(plain, 'Pipeline');
    const t = Template.fromStack(plain);
    t.resourceCountIs('AWS::Scheduler::Schedule', 1); // the janitor's
    expect(Object.keys(t.findResources('AWS::Lambda::Function')).some((id) => id.includes('Retrain'))).toBe(
      false,
    );
  });
});

describe('FineTunePipeline Bedrock job role', () => {
  it('is trusted by Bedrock only for this account and its customization jobs', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: 'sts:AssumeRole',
            Principal: { Service: 'bedrock.amazonaws.com' },
            Condition: {
              StringEquals: { 'aws:SourceAccount': '111122223333' },
              ArnLike: {
                'aws:SourceArn': {
                  'Fn::Join': [
                    '',
                    [
                      'arn:',
                      { Ref: 'AWS::Partition' },
                      ':bedrock:us-east-1:111122223333:model-customization-job/*',
                    ],
                  ],
                },
              },
            },
          },
        ],
      },
    });
  });

  it('reads only the training and manual-upload prefixes and reads and writes only job outputs', () => {
    const statements = statementsOfRole('BedrockJobRole');
    const bucketArn = { 'Fn::GetAtt': [logicalIdOf('AWS::S3::Bucket', 'PipelineBucket'), 'Arn'] };
    expect(statements).toEqual([
      {
        Sid: 'ReadTrainingData',
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: [
          { 'Fn::Join': ['', [bucketArn, '/training-data/*']] },
          { 'Fn::Join': ['', [bucketArn, '/manual-uploads/*']] },
        ],
      },
      {
        Sid: 'ListTrainingData',
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: bucketArn,
        Condition: { StringLike: { 's3:prefix': ['training-data/*', 'manual-uploads/*', 'job-outputs/*'] } },
      },
      {
        Sid: 'WriteJobOutputs',
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:PutObject'],
        Resource: { 'Fn::Join': ['', [bucketArn, '/job-outputs/*']] },
      },
    ]);
  });
});

describe('FineTunePipeline customization job options', () => {
  const kms = 'arn:aws:kms:us-east-1:111122223333:key/0123abcd-0123-4567-89ab-0123456789ab';
  const vpc = { subnetIds: ['subnet-0a1b'], securityGroupIds: ['sg-0a1b'] };
  let withOptions: Template;
  beforeAll(() => {
    const s = new Stack(newApp(), 'WithOptions', { env });
    new FineTunePipeline(s, 'Pipeline', {
      training: { validationData: 's3://val-bucket/data/val.jsonl', customModelKmsKeyId: kms, vpc },
    });
    withOptions = Template.fromStack(s);
  });
  const definitionOf = (t: Template) =>
    JSON.parse(
      Object.values(t.findResources('AWS::StepFunctions::StateMachine'))[0]!.Properties.DefinitionString,
    ) as { States: Record<string, { Parameters: Record<string, unknown> }> };
  const policyOf = (t: Template, roleFragment: string) =>
    Object.values(t.findResources('AWS::IAM::Policy'))
      .filter((p) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref.includes(roleFragment)))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Record<string, unknown>[]);

  it('pass validation data, the model KMS key and the VPC to CreateModelCustomizationJob', () => {
    expect(definitionOf(withOptions).States.StartFineTuningJob!.Parameters).toMatchObject({
      ValidationDataConfig: { Validators: [{ 'S3Uri.$': '$.validation.Payload.job.validationS3Uri' }] },
      'CustomModelKmsKeyId.$': '$.validation.Payload.job.customModelKmsKeyId',
      VpcConfig: expect.anything(),
    });
    // and the handlers get the values through the config
    withOptions.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ TUNEKIT_CONFIG: Match.stringLikeRegexp('subnet-0a1b') }) },
    });
  });

  it('let the job role read the validation file and manage network interfaces in the configured subnets', () => {
    const statements = policyOf(withOptions, 'BedrockJobRole');
    expect(statements).toContainEqual(
      expect.objectContaining({
        Sid: 'ReadValidationData',
        Action: 's3:GetObject',
        Resource: {
          'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::val-bucket/data/val.jsonl']],
        },
      }),
    );
    const create = statements.find((s) => s.Sid === 'CreateJobNetworkInterfaces')!;
    expect(JSON.stringify(create.Resource)).toContain(':subnet/subnet-0a1b');
    expect(JSON.stringify(create.Resource)).toContain(':security-group/sg-0a1b');
    expect(statements.find((s) => s.Sid === 'ManageJobNetworkInterfaces')).toMatchObject({
      Action: ['ec2:CreateNetworkInterfacePermission', 'ec2:DeleteNetworkInterface'],
      Condition: { ArnEquals: { 'ec2:Subnet': expect.anything() } },
    });
  });

  it('let the state machine use the model key through Bedrock only', () => {
    expect(policyOf(withOptions, 'StateMachineRole')).toContainEqual(
      expect.objectContaining({
        Sid: 'EncryptCustomModel',
        Action: ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey', 'kms:CreateGrant'],
        Resource: kms,
        Condition: { StringEquals: { 'kms:ViaService': 'bedrock.us-east-1.amazonaws.com' } },
      }),
    );
  });

  it('grant no EC2 or KMS and name no optional job field when the options are not set', () => {
    const actions = actionsOf([
      ...statementsOfRole('BedrockJobRole'),
      ...statementsOfRole('StateMachineRole'),
    ]);
    expect(actions.filter((a) => a.startsWith('ec2:') || a.startsWith('kms:'))).toEqual([]);
    const params = definitionOf(template).States.StartFineTuningJob!.Parameters;
    expect(Object.keys(params).filter((k) => /Validation|Vpc|Kms/.test(k))).toEqual([]);
  });

  it('refuses a local validation file, which no Lambda could read', () => {
    const s = new Stack(newApp(), 'LocalVal', { env });
    expect(
      () => new FineTunePipeline(s, 'Pipeline', { training: { validationData: './val.jsonl' } }),
    ).toThrow(/training\.validationData "\.\/val\.jsonl" must be an s3:\/\/ URI/);
  });
});

describe('FineTunePipeline state machine', () => {
  it('deploys exactly the single ASL source, with every placeholder substituted', () => {
    const [machine] = Object.values(template.findResources('AWS::StepFunctions::StateMachine'));
    const props = machine!.Properties;
    // The definition is deployed verbatim; CloudFormation substitutes the placeholders.
    expect(JSON.parse(props.DefinitionString as string)).toEqual(pipelineDefinition());
    const substitutions = props.DefinitionSubstitutions as Record<string, { 'Fn::GetAtt': [string, string] }>;
    for (const task of PIPELINE_TASKS.filter((t) => t.substitution)) {
      const handlerId = task.handler![0]!.toUpperCase() + task.handler!.slice(1);
      expect(substitutions[task.substitution!]).toEqual({
        'Fn::GetAtt': [logicalIdOf('AWS::Lambda::Function', `Tasks${handlerId}Function`), 'Arn'],
      });
    }
    expect(substitutions.BedrockJobRoleArn).toEqual({
      'Fn::GetAtt': [logicalIdOf('AWS::IAM::Role', 'BedrockJobRole'), 'Arn'],
    });
  });

  it('logs every event but no execution data to its own log group, and traces with X-Ray', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineName: 'bank-pipeline',
      LoggingConfiguration: {
        Level: 'ALL',
        // state inputs/outputs carry every evaluation answer (and any PII in them)
        IncludeExecutionData: false,
        Destinations: [
          {
            CloudWatchLogsLogGroup: {
              LogGroupArn: { 'Fn::GetAtt': [logicalIdOf('AWS::Logs::LogGroup', 'PipelineLogs'), 'Arn'] },
            },
          },
        ],
      },
      TracingConfiguration: { Enabled: true },
    });
  });

  it('logs execution data only when logExecutionData is set', () => {
    const withData = new Stack(newApp(), 'WithData', { env });
    new FineTunePipeline(withData, 'Pipeline', { logExecutionData: true });
    Template.fromStack(withData).hasResourceProperties('AWS::StepFunctions::StateMachine', {
      LoggingConfiguration: Match.objectLike({ IncludeExecutionData: true }),
    });
  });

  it('may start, watch and stop training, pass only the job role, and invoke only the task functions', () => {
    const statements = statementsOfRole('PipelineStateMachineRole');
    const bySid = (sid: string) => statements.find((s) => s.Sid === sid);
    expect(bySid('StartFineTuningJob')?.Action).toEqual([
      'bedrock:CreateModelCustomizationJob',
      'bedrock:TagResource',
    ]);
    expect(bySid('WatchFineTuningJob')?.Action).toEqual([
      'bedrock:GetModelCustomizationJob',
      'bedrock:StopModelCustomizationJob',
    ]);
    expect(bySid('PassBedrockJobRole')).toMatchObject({
      Action: 'iam:PassRole',
      Resource: { 'Fn::GetAtt': [logicalIdOf('AWS::IAM::Role', 'BedrockJobRole'), 'Arn'] },
      Condition: { StringEquals: { 'iam:PassedToService': 'bedrock.amazonaws.com' } },
    });
    expect(bySid('SyncManagedRule')).toMatchObject({
      Action: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
      Resource: {
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':events:us-east-1:111122223333:rule/StepFunctionsGetEventsForBedrock*',
          ],
        ],
      },
    });
    // The Evaluate Distributed Map: child executions of this very machine, items and results in S3.
    const arn = (resource: string) => ({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:states:us-east-1:111122223333:${resource}`]],
    });
    expect(bySid('EvaluateMapRun')).toMatchObject({
      Action: 'states:StartExecution',
      Resource: arn('stateMachine:bank-pipeline'),
    });
    expect(bySid('EvaluateMapRunChildren')).toMatchObject({
      Action: ['states:DescribeExecution', 'states:StopExecution'],
      Resource: arn('execution:bank-pipeline/*'),
    });
    const bucket = logicalIdOf('AWS::S3::Bucket', 'Bucket');
    expect(bySid('EvaluateItemsAndResults')).toMatchObject({
      Action: ['s3:GetObject', 's3:PutObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload'],
      Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucket, 'Arn'] }, '/evaluations/*']] },
    });
    expect(JSON.stringify(pipelineDefinition())).toContain('"Mode":"DISTRIBUTED"');
    const invoke = bySid('InvokeTaskFunctions')!.Resource as { 'Fn::GetAtt': [string, string] }[];
    const handlers = new Set(PIPELINE_TASKS.map((t) => t.handler).filter(Boolean));
    expect(invoke).toHaveLength(handlers.size);
    expect(invoke.every((r) => r['Fn::GetAtt'][0].includes('PipelineTasks'))).toBe(true);
    expect(actionsOf(statements)).not.toContain('lambda:*');
  });
});

describe('FineTunePipeline Lambda functions', () => {
  it('run Node.js 24 on ARM with active tracing, one per task handler plus janitor, retrain and upload starter', () => {
    const functions = template.findResources('AWS::Lambda::Function', {
      Properties: { Runtime: 'nodejs24.x', Architectures: ['arm64'], TracingConfig: { Mode: 'Active' } },
    });
    const handlers = new Set(PIPELINE_TASKS.map((t) => t.handler).filter(Boolean));
    expect(Object.keys(functions)).toHaveLength(handlers.size + 3);
    expect([...pipeline.taskFunctions.keys()].sort()).toEqual([...handlers].sort());
  });

  it('give each task only its own permissions', () => {
    const evaluate = actionsOf(statementsOfRole('TasksEvaluateCase'));
    expect(evaluate).toContain('bedrock:InvokeModel');
    expect(evaluate.filter((a) => a.startsWith('s3:') || a.startsWith('sns:'))).toEqual([]);
    const notify = actionsOf(statementsOfRole('TasksNotify'));
    expect(notify).toContain('sns:Publish');
    expect(notify.filter((a) => a.startsWith('bedrock:'))).toEqual([]);
    const validate = actionsOf(statementsOfRole('TasksValidateTrainingData'));
    expect(validate).toContain('s3:GetObject');
    // It reads the production version's custom model (retraining continues from it), and writes nothing.
    expect(validate.filter((a) => a.startsWith('bedrock:') || a === 's3:PutObject')).toEqual([
      'bedrock:GetCustomModel',
    ]);
    const teardown = actionsOf(statementsOfRole('TasksTeardown'));
    expect(teardown).toEqual(
      expect.arrayContaining([
        'bedrock:DeleteCustomModelDeployment',
        'bedrock:DeleteProvisionedModelThroughput',
      ]),
    );
    expect(teardown).not.toContain('bedrock:CreateProvisionedModelThroughput');
  });

  it('finish before their state times out, so a slow task fails as a Lambda error the Retry/Catch sees', () => {
    const states = pipelineDefinition().States as Record<
      string,
      { TimeoutSeconds?: number; ItemProcessor?: { States: object } }
    >;
    const all = { ...states, ...(states.Evaluate?.ItemProcessor?.States as typeof states) };
    for (const task of PIPELINE_TASKS.filter((t) => t.handler)) {
      const handlerId = task.handler![0]!.toUpperCase() + task.handler!.slice(1);
      const fn =
        template.findResources('AWS::Lambda::Function')[
          logicalIdOf('AWS::Lambda::Function', `Tasks${handlerId}Function`)
        ]!;
      expect(fn.Properties.Timeout, task.state).toBeLessThanOrEqual(all[task.state]!.TimeoutSeconds!);
    }
  });

  it('tags everything with the project, which the janitor relies on', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Tags: Match.arrayWith([{ Key: 'tunekit:project', Value: 'bank' }]),
    });
  });
});

describe('FineTunePipeline notifications', () => {
  it('uses a KMS-encrypted topic with the e-mail subscription', () => {
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [logicalIdOf('AWS::KMS::Key', 'TopicKey'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ml@example.com',
    });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  // The job state rule's ARN, as the policies name it (a fixed rule name avoids a key -> rule -> topic cycle).
  const ruleArn = {
    'Fn::Join': [
      '',
      ['arn:', { Ref: 'AWS::Partition' }, ':events:us-east-1:111122223333:rule/bank-job-state-changes'],
    ],
  };
  const onlyForTheRule = {
    ArnEquals: { 'aws:SourceArn': ruleArn },
    StringEquals: { 'aws:SourceAccount': '111122223333' },
  };

  it('lets EventBridge publish only for the job state rule of this account', () => {
    template.hasResourceProperties('AWS::Events::Rule', { Name: 'bank-job-state-changes' });
    const policies = Object.values(template.findResources('AWS::SNS::TopicPolicy'));
    const statements = policies.flatMap(
      (p) => p.Properties.PolicyDocument.Statement as Record<string, unknown>[],
    );
    const forEvents = statements.filter(
      (s) => (s.Principal as { Service?: string } | undefined)?.Service === 'events.amazonaws.com',
    );
    expect(forEvents).toEqual([
      expect.objectContaining({ Action: 'sns:Publish', Condition: onlyForTheRule }),
    ]);
  });

  it('has one key policy statement for EventBridge, conditioned on the rule and account', () => {
    const [key] = Object.values(template.findResources('AWS::KMS::Key'));
    const statements = key!.Properties.KeyPolicy.Statement as Record<string, unknown>[];
    const forServices = statements.filter((s) => (s.Principal as { Service?: string }).Service);
    expect(forServices).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        Resource: '*',
        Condition: onlyForTheRule,
      },
    ]);
  });
});

describe('FineTunePipeline construct ids', () => {
  it('keeps the logical ids of stateful resources stable (a changed id would replace the bucket)', () => {
    expect(logicalIdOf('AWS::S3::Bucket', 'PipelineBucket')).toBe('PipelineBucket5BC3F8EA');
    expect(logicalIdOf('AWS::StepFunctions::StateMachine', 'Pipeline')).toBe('PipelineStateMachineA0F97B42');
    expect(logicalIdOf('AWS::SQS::Queue', 'DeadLetterQueue')).toBe('PipelineTriggersDeadLetterQueue6E11B9D1');
  });
});

describe('FineTunePipeline cdk-nag', () => {
  it('passes AwsSolutions checks; every remaining finding is acknowledged with a reason', () => {
    const report = new AwsSolutionsChecks().validateScope(stack);
    expect(
      report.violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath)}`),
    ).toEqual([]);
    expect(report.success).toBe(true);
  });
});

describe('FineTunePipeline without an evaluation suite (evaluateOnHeldOutData)', () => {
  let heldOut: Template;
  beforeAll(() => {
    const s = new Stack(newApp(), 'HeldOut', { env });
    new FineTunePipeline(s, 'Pipeline', { project: 'trips', evaluateOnHeldOutData: true });
    heldOut = Template.fromStack(s);
  });
  const environmentOf = (t: Template, fragment: string) =>
    Object.entries(t.findResources('AWS::Lambda::Function')).find(([id]) => id.includes(fragment))![1]
      .Properties.Environment.Variables as Record<string, unknown>;
  /** Object ARNs (as CloudFormation Fn::Join parts) a role may call `action` on. */
  const objectsFor = (t: Template, role: string, action: string) =>
    JSON.stringify(
      statementsOfRole(role, t)
        .filter((st) => actionsOf([st]).includes(action))
        .map((st) => st.Resource),
    );

  it('tells the task handlers to evaluate on held-out data instead of naming a suite object', () => {
    const validate = environmentOf(heldOut, 'TasksValidateTrainingDataFunction');
    expect(validate.TUNEKIT_EVALUATION).toBe('held-out');
    expect(validate.TUNEKIT_SUITE_URI).toBeUndefined();
    // The default stack names the suite object and not the held-out mode.
    const withSuite = environmentOf(template, 'TasksValidateTrainingDataFunction');
    expect(withSuite.TUNEKIT_SUITE_URI).toBeDefined();
    expect(withSuite.TUNEKIT_EVALUATION).toBeUndefined();
  });

  it('lets the pre-flight write the held-out training file and the planner read the upload, and no more', () => {
    expect(objectsFor(heldOut, 'TasksValidateTrainingData', 's3:PutObject')).toContain(
      '/manual-uploads/held-out/*',
    );
    expect(objectsFor(heldOut, 'TasksPlanEvaluation', 's3:GetObject')).toContain('/training-data/*');
    // With a suite neither is granted.
    expect(actionsOf(statementsOfRole('TasksValidateTrainingData'))).not.toContain('s3:PutObject');
    expect(objectsFor(template, 'TasksPlanEvaluation', 's3:GetObject')).not.toContain('/training-data/*');
  });

  it('refuses a suite key together with held-out evaluation', () => {
    expect(
      () =>
        new FineTunePipeline(new Stack(newApp(), 'Both', { env }), 'Pipeline', {
          evaluateOnHeldOutData: true,
          evaluationSuiteKey: 'eval/suite.json',
        }),
    ).toThrow(/evaluateOnHeldOutData and evaluationSuiteKey exclude each other/);
  });
});

describe('FineTunePipeline props validation', () => {
  const build = (props: FineTunePipelineProps) => () =>
    new FineTunePipeline(new Stack(newApp(), 'Bad', { env }), 'Pipeline', props);

  it('fails for a project name Bedrock and S3 cannot use', () => {
    expect(build({ project: 'Bank_Assistant' })).toThrow(
      'Invalid FineTunePipeline props:\n- project "Bank_Assistant" must be lowercase letters, digits and dashes, at most 40 characters',
    );
  });

  it('fails for prefixes without a trailing slash or overlapping the pipeline prefixes', () => {
    expect(build({ trainingDataPrefix: 'data' })).toThrow(
      'trainingDataPrefix "data" must be a key prefix ending with "/" and not starting with one (e.g. "data/")',
    );
    expect(build({ registryPrefix: 'reports/models/' })).toThrow(
      "trainingDataPrefix and registryPrefix must not overlap each other or the pipeline's own prefixes (got training-data/, reports/models/, job-outputs/, reports/, notifications/, eval/, evaluations/, manual-uploads/held-out/)",
    );
  });

  it('fails for out-of-range durations and a bad schedule, listing every problem at once', () => {
    expect(build({ janitorMaxAge: Duration.minutes(10), janitorInterval: Duration.days(2) })).toThrow(
      'Invalid FineTunePipeline props:\n- janitorMaxAge must be between 30 and 10080 minutes (got 10 minutes)\n- janitorInterval must be between 5 and 1440 minutes (got 2 days)',
    );
    expect(build({ retrainSchedule: 'every monday' })).toThrow('retrainSchedule "every monday" has 2 fields');
  });

  it('fails for a malformed e-mail and a suite outside eval/', () => {
    expect(build({ notificationEmail: 'ml-team' })).toThrow(
      'notificationEmail "ml-team" is not an e-mail address',
    );
    expect(build({ evaluationSuiteKey: 'models/suite.json' })).toThrow(
      'evaluationSuiteKey "models/suite.json" must be a key under "eval/" (e.g. "eval/suite.json")',
    );
  });

  it('skips validation of values only known at deploy time (Tokens)', () => {
    const s = new Stack(newApp(), 'Tokens', { env });
    const email = Token.asString({ Ref: 'EmailParameter' });
    expect(() => new FineTunePipeline(s, 'Pipeline', { notificationEmail: email })).not.toThrow();
  });
});

describe('FineTunePipeline customization method', () => {
  it("names the teacher in StartFineTuningJob when the handlers' config distils", () => {
    const s = new Stack(newApp(), 'Distil', { env });
    new FineTunePipeline(s, 'Pipeline', {
      taskConfig: {
        baseModel: 'amazon.nova-micro-v1:0:128k',
        customization: { method: 'distillation', distillation: { teacherModel: 'amazon.nova-premier-v1:0' } },
      },
    });
    const [machine] = Object.values(Template.fromStack(s).findResources('AWS::StepFunctions::StateMachine'));
    const definition = JSON.parse(machine!.Properties.DefinitionString as string);
    const parameters = definition.States.StartFineTuningJob.Parameters;
    expect(parameters.CustomizationConfig).toEqual({
      DistillationConfig: { 'TeacherModelConfig.$': '$.validation.Payload.job.states.teacherModelConfig' },
    });
    expect(parameters).not.toHaveProperty('HyperParameters.$');
  });

  it('deploys the grader as a Lambda only the job role may invoke, and names it in RftConfig', () => {
    const s = new Stack(newApp(), 'Rft', { env });
    // A user's project: npm installed tunekit there, so it has a lockfile CDK bundles the grader from.
    const projectDir = mkdtempSync(join(tmpdir(), 'grader-'));
    writeFileSync(join(projectDir, 'package-lock.json'), '{"lockfileVersion": 3, "packages": {}}');
    const graderEntry = join(projectDir, 'grader.mjs');
    writeFileSync(graderEntry, 'export async function handler(event) { return []; }\n');
    const rft = new FineTunePipeline(s, 'Pipeline', {
      graderEntry,
      taskConfig: {
        customization: { method: 'reinforcement', reinforcement: { grader: 'graders/grader.mjs' } },
      },
    });
    const t = Template.fromStack(s);
    const graderId = logicalIdOfIn(t, 'AWS::Lambda::Function', 'GraderFunction');
    const [machine] = Object.values(t.findResources('AWS::StepFunctions::StateMachine'));
    expect(JSON.stringify(machine!.Properties.DefinitionSubstitutions.GraderFunctionArn)).toContain(graderId);
    const definition = JSON.parse(machine!.Properties.DefinitionString as string);
    expect(
      definition.States.StartFineTuningJob.Parameters.CustomizationConfig.RftConfig.GraderConfig,
    ).toEqual({
      LambdaGrader: { LambdaArn: placeholder(GRADER_SUBSTITUTION) },
    });
    // The job role may invoke it (Bedrock calls the grader with the job's role) ...
    const invokers = Object.values(t.findResources('AWS::IAM::Policy')).filter((p) =>
      (p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[]).some(
        (st) =>
          [st.Action].flat().includes('lambda:InvokeFunction') &&
          JSON.stringify(st.Resource).includes(graderId),
      ),
    );
    expect(invokers).toHaveLength(1);
    expect(JSON.stringify(invokers[0]!.Properties.Roles)).toContain('BedrockJobRole');
    // ... and the grader's own role may only write its logs and traces.
    const graderRole = (
      t.findResources('AWS::Lambda::Function')[graderId]!.Properties.Role as { 'Fn::GetAtt': string[] }
    )['Fn::GetAtt'][0]!;
    const graderActions = Object.values(t.findResources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles).includes(graderRole))
      .flatMap((p) =>
        p.Properties.PolicyDocument.Statement.flatMap((st: { Action: string | string[] }) => st.Action),
      );
    expect(graderActions.filter((a: string) => !/^(logs|xray):/.test(a))).toEqual([]);
    expect(rft.graderFunction).toBeDefined();
  });

  it('refuses reinforcement without a grader file, and a grader without reinforcement', () => {
    const build = (props: FineTunePipelineProps) => () =>
      new FineTunePipeline(new Stack(newApp(), 'Bad', { env }), 'Pipeline', props);
    const rft = { customization: { method: 'reinforcement', reinforcement: { grader: 'g.mjs' } } };
    expect(build({ taskConfig: rft })).toThrow(/method "reinforcement" needs graderEntry/);
    expect(build({ taskConfig: rft, graderEntry: '/nowhere/grader.mjs' })).toThrow(
      /graderEntry "\/nowhere\/grader.mjs" must be the absolute path of an existing file/,
    );
    expect(build({ graderEntry: '/nowhere/grader.mjs' })).toThrow(
      /graderEntry is only used with taskConfig.customization.method "reinforcement"/,
    );
    // A grader outside any npm project cannot be bundled: say how to make it one.
    const loose = join(mkdtempSync(join(tmpdir(), 'loose-')), 'grader.mjs');
    writeFileSync(loose, 'export async function handler() { return []; }\n');
    expect(build({ taskConfig: rft, graderEntry: loose })).toThrow(
      /is not inside an npm project .* Run `npm install tunekit` in the project/,
    );
  });
});
