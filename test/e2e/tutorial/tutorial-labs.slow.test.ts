import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLES } from '../../../src/samples.ts';
import { tempDir } from '../helpers/cli.ts';
import { execFileAsync, startDetachedStack, startMoto, stopStack } from '../helpers/local-process.ts';

/**
 * The tutorial's own scripts (Lab 2 start_finetuning.py, Lab 4 evaluate_models.py), copied verbatim with
 * only their CONFIGURATION block changed, run with python3 + boto3 against the local stack, with the AWS CLI
 * steps the tutorial gives in between. IAM (get_role) is served by moto_server.
 */
const HERE = new URL('.', import.meta.url).pathname;
const BUCKET = 'bedrock-finetuning-tunekit-local';

let dataDir: string;
let work: string;
let env: NodeJS.ProcessEnv;
let moto: { endpoint: string; stop(): void };

const aws = (...args: string[]) => execFileAsync('aws', args, { env, cwd: work, timeout: 60_000 });
const python = (script: string) => execFileAsync('python3', [script], { env, cwd: work, timeout: 240_000 });

beforeAll(async () => {
  dataDir = tempDir();
  work = tempDir();
  moto = await startMoto();
  const stackEnv = await startDetachedStack(dataDir, ['--provisioning-delay-ms', '500']);
  env = {
    ...process.env,
    ...stackEnv,
    AWS_ENDPOINT_URL_IAM: moto.endpoint,
    AWS_PROFILE: '',
    PYTHONIOENCODING: 'utf-8',
  };
  delete env.AWS_PROFILE;
});

afterAll(async () => {
  await stopStack(dataDir);
  moto?.stop();
});

describe('the tutorial, unmodified, against the local stack', () => {
  it('Lab 1 upload, Lab 2 fine-tuning job, PT via the AWS CLI, Lab 4 evaluation', async () => {
    // Lab 1: the bucket and the training file (the tutorial's prompt/completion set).
    await aws('s3', 'mb', `s3://${BUCKET}`);
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
    copyFileSync(join(HERE, 'start_finetuning.py'), join(work, 'start_finetuning.py'));
    const lab2 = await python('start_finetuning.py');
    expect(lab2.stdout).toContain('COMPLETED');
    const details = JSON.parse(readFileSync(join(work, 'job_details.json'), 'utf8'));
    expect(details.status).toBe('Completed');

    // The metric files Bedrock writes to the output location.
    const listing = await aws('s3', 'ls', '--recursive', `s3://${BUCKET}/output/`);
    expect(listing.stdout).toContain('training_artifacts/step_wise_training_metrics.csv');

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

    // Cleanup as the tutorial does it.
    await aws(
      'bedrock',
      'delete-provisioned-model-throughput',
      '--provisioned-model-id',
      'my-finetuned-model-pt-v2',
    );
    const left = await aws('bedrock', 'list-provisioned-model-throughputs');
    expect(JSON.parse(left.stdout).provisionedModelSummaries).toEqual([]);
  }, 300_000);
});
