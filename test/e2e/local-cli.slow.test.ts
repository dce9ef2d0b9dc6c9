import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BedrockClient,
  CreateModelCustomizationJobCommand,
  GetModelCustomizationJobCommand,
} from '@aws-sdk/client-bedrock';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { SAMPLES } from '../../src/samples.ts';
import { runCli, tempDir } from './helpers/cli.ts';
import { startDetachedStack, stopStack } from './helpers/local-process.ts';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await stopStack(dir);
});

/** Clients configured only from what `tunekit local env` printed, as user code would be. */
function clientsFrom(env: Record<string, string>) {
  const credentials = { accessKeyId: env.AWS_ACCESS_KEY_ID!, secretAccessKey: env.AWS_SECRET_ACCESS_KEY! };
  return {
    bedrock: new BedrockClient({
      region: env.AWS_REGION,
      endpoint: env.AWS_ENDPOINT_URL_BEDROCK,
      credentials,
    }),
    s3: new S3Client({
      region: env.AWS_REGION,
      endpoint: env.AWS_ENDPOINT_URL_S3,
      credentials,
      forcePathStyle: true,
    }),
  };
}

describe('tunekit local (real processes)', () => {
  it('start --detach, status, env, stop; a kill -9 mid-job leaves the job Failed after restart, objects intact', async () => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    const env = await startDetachedStack(dataDir);
    expect(env.AWS_ENDPOINT_URL_BEDROCK).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME).toBe(env.AWS_ENDPOINT_URL_BEDROCK);

    const status = await runCli(['local', 'status', '--json', '--data-dir', dataDir]);
    const parsed = JSON.parse(status.stdout);
    expect(parsed.running).toBe(true);
    expect(parsed.services).toEqual(expect.arrayContaining(['s3', 'bedrock', 'bedrock-runtime']));

    const exports = await runCli(['local', 'env', '--data-dir', dataDir]);
    expect(exports.stdout).toContain(`export AWS_ENDPOINT_URL_S3=${env.AWS_ENDPOINT_URL_S3}`);

    const again = await runCli(['local', 'start', '--data-dir', dataDir, '--port', '0']);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already running/);

    // A job with much more work than the tutorial set (banking x 5 epochs), killed while it trains.
    const { bedrock, s3 } = clientsFrom(env);
    await s3.send(new CreateBucketCommand({ Bucket: 'cli-test' }));
    await s3.send(
      new PutObjectCommand({
        Bucket: 'cli-test',
        Key: 'train.jsonl',
        Body: readFileSync(SAMPLES.bankingTrain),
      }),
    );
    const { jobArn } = await bedrock.send(
      new CreateModelCustomizationJobCommand({
        jobName: 'killed-job',
        customModelName: 'killed-model',
        roleArn: 'arn:aws:iam::000000000000:role/r',
        baseModelIdentifier: 'amazon.nova-micro-v1:0:128k',
        trainingDataConfig: { s3Uri: 's3://cli-test/train.jsonl' },
        outputDataConfig: { s3Uri: 's3://cli-test/out/' },
        hyperParameters: { epochCount: '5' },
      }),
    );
    expect((await bedrock.send(new GetModelCustomizationJobCommand({ jobIdentifier: jobArn }))).status).toBe(
      'InProgress',
    );
    process.kill(parsed.pid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 300));
    const dead = await runCli(['local', 'status', '--json', '--data-dir', dataDir]);
    expect(JSON.parse(dead.stdout).running).toBe(false);
    expect(dead.code).toBe(1);

    const env2 = await startDetachedStack(dataDir);
    const after = clientsFrom(env2);
    const job = await after.bedrock.send(new GetModelCustomizationJobCommand({ jobIdentifier: jobArn }));
    expect(job.status).toBe('Failed');
    expect(job.failureMessage).toMatch(/stopped while this job was running/);
    const object = await after.s3.send(
      new (await import('@aws-sdk/client-s3')).GetObjectCommand({ Bucket: 'cli-test', Key: 'train.jsonl' }),
    );
    expect(
      Buffer.from(await object.Body!.transformToByteArray()).equals(readFileSync(SAMPLES.bankingTrain)),
    ).toBe(true);

    const stopped = await runCli(['local', 'stop', '--data-dir', dataDir]);
    expect(stopped.stdout).toMatch(/stopped/);
    const final = await runCli(['local', 'status', '--data-dir', dataDir]);
    expect(final.stdout).toMatch(/not running/);
    expect(readFileSync(join(dataDir, 'stack.log'), 'utf8')).toContain('local stack running');
  }, 120_000);

  it('env without a running stack says how to start one', async () => {
    const result = await runCli(['local', 'env', '--data-dir', tempDir()]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/no local stack is running/);
    expect(result.stderr).toMatch(/tunekit local start --detach/);
  });

  it('rejects bad flags with usage errors', async () => {
    const result = await runCli(['local', 'start', '--fault-throttle-rate', '3', '--data-dir', tempDir()]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--fault-throttle-rate must be a number from 0 to 1/);
  });
});
