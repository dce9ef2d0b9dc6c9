import { readFileSync } from 'node:fs';
import {
  type BedrockClient,
  CreateModelCustomizationJobCommand,
  GetModelCustomizationJobCommand,
} from '@aws-sdk/client-bedrock';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSdkStack } from '../../src/local/bedrock/fixtures/sdk-stack.ts';
import type { LocalStack } from '../../src/local/stack.ts';
import { SAMPLES } from '../../src/samples.ts';
import { tempDir } from './helpers/cli.ts';

/**
 * Local training is reproducible by default: two jobs on the same data and hyperparameters train the
 * same model (same loss curve, same weights), whatever their job ids; a `tunekit:seed` tag picks
 * another seed. With the real engine, through the AWS SDK, as the pipeline starts jobs.
 */
const BUCKET = 'repro';
let stack: LocalStack;
let bedrock: BedrockClient;
let s3: S3Client;

beforeAll(async () => {
  ({ stack, bedrock, s3 } = await startSdkStack({
    dataDir: tempDir(),
    provisioningDelayMs: 0,
    buckets: [BUCKET],
  }));
  await s3.send(
    new PutObjectCommand({
      Bucket: BUCKET,
      Key: 'train.jsonl',
      Body: readFileSync(SAMPLES.tutorialConversation),
    }),
  );
});

afterAll(async () => {
  await stack?.stop();
});

async function train(name: string, tags: { key: string; value: string }[] = []) {
  const { jobArn } = await bedrock.send(
    new CreateModelCustomizationJobCommand({
      jobName: name,
      customModelName: `${name}-model`,
      roleArn: 'arn:aws:iam::000000000000:role/Repro',
      baseModelIdentifier: 'amazon.nova-micro-v1:0:128k',
      trainingDataConfig: { s3Uri: `s3://${BUCKET}/train.jsonl` },
      outputDataConfig: { s3Uri: `s3://${BUCKET}/out/` },
      hyperParameters: { epochCount: '3' },
      ...(tags.length ? { jobTags: tags } : {}),
    }),
  );
  let job = await bedrock.send(new GetModelCustomizationJobCommand({ jobIdentifier: jobArn }));
  while (job.status === 'InProgress') {
    await new Promise((r) => setTimeout(r, 20));
    job = await bedrock.send(new GetModelCustomizationJobCommand({ jobIdentifier: jobArn }));
  }
  const id = jobArn!.split('/').at(-1);
  const csv =
    job.status === 'Completed'
      ? await (
          await s3.send(
            new GetObjectCommand({
              Bucket: BUCKET,
              Key: `out/model-customization-job-${id}/training_artifacts/step_wise_training_metrics.csv`,
            }),
          )
        ).Body!.transformToString()
      : '';
  const ctx = stack.bedrock.context;
  const model = ctx.state.models.find((m) => m.modelArn === job.outputModelArn);
  return { job, csv, artifact: model ? JSON.stringify(ctx.state.loadArtifact(model.id)) : undefined };
}

describe('local training is seeded from its inputs', () => {
  it('gives the same loss curve and the same model for the same data and hyperparameters', async () => {
    const a = await train('repro-a');
    const b = await train('repro-b');
    expect(a.job.status).toBe('Completed');
    expect(a.job.jobArn).not.toBe(b.job.jobArn);
    expect(a.csv.trim().split('\n').length).toBeGreaterThan(2);
    expect(b.csv).toBe(a.csv);
    expect(b.job.trainingMetrics?.trainingLoss).toBe(a.job.trainingMetrics?.trainingLoss);
    expect(b.artifact).toBe(a.artifact);

    const seeded = await train('repro-seeded', [{ key: 'tunekit:seed', value: '7' }]);
    expect(seeded.job.status).toBe('Completed');
    expect(seeded.csv).not.toBe(a.csv);
    expect((await train('repro-seeded-again', [{ key: 'tunekit:seed', value: '7' }])).csv).toBe(seeded.csv);
  });

  it('fails a job whose tunekit:seed tag is not a whole number, saying how to fix it', async () => {
    const bad = await train('repro-bad-seed', [{ key: 'tunekit:seed', value: 'seven' }]);
    expect(bad.job.status).toBe('Failed');
    expect(bad.job.failureMessage).toMatch(/tunekit:seed="seven" is not a whole number/);
  });
});
