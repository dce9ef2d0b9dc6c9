import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLES } from '../../../src/samples.ts';
import { tempDir } from '../helpers/cli.ts';
import { execFileAsync, startDetachedStack, stopStack } from '../helpers/local-process.ts';

/**
 * The tutorial's own scripts (Setup's verify_setup.py, Lab 2 start_finetuning.py, Lab 3 deploy_automation.py,
 * Lab 4 evaluate_models.py), copied verbatim with only their CONFIGURATION block changed, run with python3 +
 * boto3 against the local stack after `tunekit local env`, with the AWS CLI steps the tutorial gives in
 * between, its six cleanup steps and its Cleanup Verification script. Nothing else is running: STS, IAM,
 * EventBridge and SNS are the local stack's own.
 */
const HERE = new URL('.', import.meta.url).pathname;
const BUCKET = 'bedrock-finetuning-tunekit-local';

let dataDir: string;
let work: string;
let env: NodeJS.ProcessEnv;

const aws = (...args: string[]) => execFileAsync('aws', args, { env, cwd: work, timeout: 60_000 });
const python = (script: string) => execFileAsync('python3', [script], { env, cwd: work, timeout: 240_000 });
const bash = (script: string) => execFileAsync('bash', [script], { env, cwd: work, timeout: 120_000 });
const copyScript = (name: string) => copyFileSync(join(HERE, name), join(work, name));

beforeAll(async () => {
  dataDir = tempDir();
  work = tempDir();
  const stackEnv = await startDetachedStack(dataDir, ['--provisioning-delay-ms', '500']);
  env = { ...process.env, ...stackEnv, PYTHONIOENCODING: 'utf-8' };
  delete env.AWS_PROFILE;
});

afterAll(async () => {
  await stopStack(dataDir);
});

describe('the tutorial, unmodified, against the local stack', () => {
  it('Setup, Lab 1 upload, Lab 2 role and job, Lab 3 automation, Lab 4 PT and evaluation, cleanup', async () => {
    // Setup Step 5, before the bucket exists (Step 4), then after.
    copyScript('verify_setup.py');
    const before = await python('verify_setup.py');
    expect(before.stdout).toContain('AWS Connection     : Working');
    expect(before.stdout).toContain('Account ID        : 000000000000');
    expect(before.stdout).toMatch(/Bedrock Access {5}: Working \(\d+ models available\)/);
    expect(before.stdout).toContain('No fine-tuning bucket found');

    // Lab 1: the bucket and the training file (the tutorial's prompt/completion set).
    await aws('s3', 'mb', `s3://${BUCKET}`);
    expect((await python('verify_setup.py')).stdout).toContain(`S3 Bucket          : Found — ${BUCKET}`);
    copyFileSync(SAMPLES.tutorialPromptCompletion, join(work, 'training_data.jsonl'));
    await aws('s3', 'cp', 'training_data.jsonl', `s3://${BUCKET}/training-data/training_data.jsonl`);

    // Lab 2: the role exactly as the tutorial creates it, then its script.
    writeFileSync(
      join(work, 'bedrock_trust_policy.json'),
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'bedrock.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ],
      }),
    );
    await aws(
      'iam',
      'create-role',
      '--role-name',
      'BedrockFineTuningRole',
      '--assume-role-policy-document',
      'file://bedrock_trust_policy.json',
    );
    writeFileSync(
      join(work, 'bedrock_s3_policy.json'),
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: ['s3:GetObject', 's3:ListBucket'],
            Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`],
          },
        ],
      }),
    );
    await aws(
      'iam',
      'put-role-policy',
      '--role-name',
      'BedrockFineTuningRole',
      '--policy-name',
      'BedrockS3Access',
      '--policy-document',
      'file://bedrock_s3_policy.json',
    );
    copyScript('start_finetuning.py');
    const lab2 = await python('start_finetuning.py');
    expect(lab2.stdout).toContain('COMPLETED');
    const details = JSON.parse(readFileSync(join(work, 'job_details.json'), 'utf8'));
    expect(details.status).toBe('Completed');

    // The metric files Bedrock writes to the output location.
    const listing = await aws('s3', 'ls', '--recursive', `s3://${BUCKET}/output/`);
    expect(listing.stdout).toContain('training_artifacts/step_wise_training_metrics.csv');

    // Lab 3 Step 2: the automation setup script (S3 -> EventBridge, the rule, the SNS topic).
    copyScript('deploy_automation.py');
    const lab3 = await python('deploy_automation.py');
    expect(lab3.stdout).toContain('Automation infrastructure deployed!');
    const deployment = JSON.parse(readFileSync(join(work, 'deployment_info.json'), 'utf8'));
    expect(deployment).toMatchObject({
      account_id: '000000000000',
      eventbridge_rule_arn: 'arn:aws:events:us-east-1:000000000000:rule/bedrock-finetuning-trigger',
      sns_topic_arn: 'arn:aws:sns:us-east-1:000000000000:finetuning-notifications',
    });
    const rule = JSON.parse(
      (await aws('events', 'describe-rule', '--name', 'bedrock-finetuning-trigger')).stdout,
    );
    expect(JSON.parse(rule.EventPattern).detail.object.key).toEqual([
      { prefix: 'training-data/', suffix: '.jsonl' },
    ]);
    // The email subscription the script suggests: stored, and what is published lands in the local outbox.
    await aws(
      'sns',
      'subscribe',
      '--topic-arn',
      deployment.sns_topic_arn,
      '--protocol',
      'email',
      '--notification-endpoint',
      'you@example.com',
    );
    await aws('sns', 'publish', '--topic-arn', deployment.sns_topic_arn, '--message', 'pipeline finished');
    expect(readFileSync(join(dataDir, 'sns', 'outbox.jsonl'), 'utf8')).toContain('you@example.com');

    // Lab 4 setup, CLI method: Provisioned Throughput by custom model name, then wait for InService.
    const created = await aws(
      'bedrock',
      'create-provisioned-model-throughput',
      '--provisioned-model-name',
      'my-finetuned-model-pt',
      '--model-id',
      details.custom_model_name,
      '--model-units',
      '1',
    );
    const ptArn = JSON.parse(created.stdout).provisionedModelArn as string;
    let status = '';
    for (let i = 0; i < 50 && status !== 'InService'; i++) {
      const got = await aws(
        'bedrock',
        'get-provisioned-model-throughput',
        '--provisioned-model-id',
        'my-finetuned-model-pt',
      );
      status = JSON.parse(got.stdout).status;
      if (status !== 'InService') await new Promise((r) => setTimeout(r, 200));
    }
    expect(status).toBe('InService');
    // Lab 4 Option B as the tutorial writes it does not exist in the AWS CLI (the operation is
    // create-custom-model-deployment, --model-deployment-name/--model-arn): docs/local.md says so.
    await expect(
      aws(
        'bedrock',
        'create-model-customization-deployment',
        '--custom-model-name',
        details.custom_model_name,
        '--deployment-name',
        'my-model-deployment',
      ),
    ).rejects.toMatchObject({ stderr: expect.stringContaining('Invalid choice') });
    const fms = await aws('bedrock', 'list-foundation-models', '--by-customization-type', 'FINE_TUNING');
    expect(JSON.parse(fms.stdout).modelSummaries.length).toBeGreaterThan(3);

    // Lab 4: its evaluation script with the PT ARN filled into the CONFIGURATION block.
    const script = readFileSync(join(HERE, 'evaluate_models.py'), 'utf8').replace(
      /^PROVISIONED_MODEL_ARN = ".*"$/m,
      `PROVISIONED_MODEL_ARN = "${ptArn}"`,
    );
    writeFileSync(join(work, 'evaluate_models.py'), script);
    await python('evaluate_models.py');
    const report = JSON.parse(readFileSync(join(work, 'evaluation_report.json'), 'utf8'));
    expect(report.results).toHaveLength(4);
    for (const r of report.results) {
      expect(r.base_response).not.toMatch(/^\[Error/);
      expect(r.finetuned_response).not.toMatch(/^\[Error/);
    }
    const dispute = report.results[0];
    expect(dispute.finetuned_response).not.toBe(dispute.base_response);

    // Beyond the tutorial: UpdateProvisionedModelThroughput (PATCH) over the AWS CLI's own wire format,
    // as `tunekit registry promote` uses it to swap the production model in place.
    await aws(
      'bedrock',
      'update-provisioned-model-throughput',
      '--provisioned-model-id',
      ptArn,
      '--desired-provisioned-model-name',
      'my-finetuned-model-pt-v2',
      '--desired-model-id',
      details.custom_model_name,
    );
    const renamed = await aws(
      'bedrock',
      'get-provisioned-model-throughput',
      '--provisioned-model-id',
      'my-finetuned-model-pt-v2',
    );
    expect(JSON.parse(renamed.stdout)).toMatchObject({ provisionedModelArn: ptArn, status: 'InService' });
    await aws(
      'bedrock',
      'update-provisioned-model-throughput',
      '--provisioned-model-id',
      ptArn,
      '--desired-provisioned-model-name',
      'my-finetuned-model-pt',
    );

    // Cleanup, steps 1-6 as the tutorial gives them, then its verification script.
    copyScript('cleanup_steps.sh');
    const cleanup = await bash('cleanup_steps.sh');
    expect(cleanup.stdout).toContain('finetuning-notifications'); // step 5 lists the topic before deleting it
    expect(JSON.parse((await aws('bedrock', 'list-provisioned-model-throughputs')).stdout)).toMatchObject({
      provisionedModelSummaries: [],
    });
    expect(JSON.parse((await aws('bedrock', 'list-custom-models')).stdout).modelSummaries).toEqual([]);
    expect(JSON.parse((await aws('events', 'list-rules')).stdout).Rules).toEqual([]);
    expect(JSON.parse((await aws('sns', 'list-topics')).stdout).Topics).toEqual([]);
    copyScript('cleanup_verification.sh');
    const verification = await bash('cleanup_verification.sh');
    expect(verification.stdout).toContain('✅ Role deleted');
    expect(verification.stdout).not.toContain('Role still exists');
    expect(verification.stdout).not.toContain(BUCKET);
  }, 480_000);
});
