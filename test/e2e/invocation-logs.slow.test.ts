import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, tempDir } from './helpers/cli.ts';
import { execFileAsync, startStackForPython, stopStack } from './helpers/local-process.ts';

/**
 * boto3 (the machine's Python, an independent client) drives the whole invocation-log path against
 * `tunekit local start` (the product path, training in the worker thread): logging configuration to S3,
 * Converse calls tagged with request metadata, and distillation jobs that read the logs back.
 */

let dataDir: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  dataDir = tempDir();
  const project = tempDir();
  env = await startStackForPython(dataDir, project);
});

afterAll(async () => {
  await stopStack(dataDir);
});

describe('boto3: invocation logs on the local stack feed a distillation job', () => {
  it('logs every Converse call, and the student trains on exactly the teacher answers of the filtered calls', async () => {
    const { stdout } = await execFileAsync(
      'python3',
      [join(REPO_ROOT, 'test/e2e/invocation-logs/boto3_invocation_logs.py')],
      { env, timeout: 120_000 },
    );
    const out = JSON.parse(stdout);
    expect(out.loggingConfig).toEqual({
      s3Config: { bucketName: 'tunekit-invocation-logs-boto3', keyPrefix: 'bedrock-logs' },
      textDataDeliveryEnabled: true,
    });
    expect(out.logFiles).toBe(115);
    expect(out.distill).toEqual({
      status: 'Completed',
      failureMessage: null,
      trainingDataConfig: {
        invocationLogsConfig: {
          invocationLogSource: { s3Uri: 's3://tunekit-invocation-logs-boto3/bedrock-logs/' },
          usePromptResponse: true,
          requestMetadataFilters: { equals: { use: 'distill' } },
        },
      },
    });
    // Exactly the logged (prompt, teacher answer) pairs of the use=distill calls, in the order they were made.
    expect(out.synthetic).toEqual(out.logged.distill);
    expect(out.tooFew.status).toBe('Failed');
    expect(out.tooFew.failureMessage).toMatch(
      /5 usable record\(s\) in 115 log file\(s\), at least 100 are needed .*Left out: 110 filtered out by requestMetadataFilters.*Fix: /,
    );
  });
});
