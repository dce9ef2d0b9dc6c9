import { gzipSync } from 'node:zlib';
import {
  CreateModelCustomizationJobCommand,
  type CreateModelCustomizationJobCommandInput,
  GetModelCustomizationJobCommand,
  type TrainingDataConfig,
} from '@aws-sdk/client-bedrock';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { converseLog } from '../../../dataset/test-support/invocation-logs.ts';
import { type SdkStack, startSdkStack } from '../fixtures/sdk-stack.ts';

/**
 * Distillation jobs reading model invocation logs (trainingDataConfig.invocationLogsConfig): the request
 * checks, the records chosen (request metadata filters, usePromptResponse: only the teacher's logged answers)
 * and the failure with fewer than 100 usable records. The logs are written here in Bedrock's record format;
 * runtime/invocation-log.test.ts shows the local runtime writes that format.
 */

const BUCKET = 'distill-logs';
const PREFIX = 'logs/AWSLogs/000000000000/BedrockModelInvocationLogs/us-east-1/2026/12/04/10';
const TEACHER = 'us.amazon.nova-pro-v1:0';
let local: SdkStack;

const record = (n: number, modelId: string, use: string) =>
  converseLog(n, use, modelId, {
    question: `How do I close account ${n}?`,
    answer: `Logged answer ${n} from ${modelId}.`,
  });

/** 105 teacher records tagged use=distill, 5 tagged use=other, 3 distill records of another model, 2 unusable lines. */
function logLines(): string[] {
  const lines: string[] = [];
  for (let n = 0; n < 105; n++) lines.push(JSON.stringify(record(n, TEACHER, 'distill')));
  for (let n = 105; n < 110; n++) lines.push(JSON.stringify(record(n, TEACHER, 'other')));
  for (let n = 110; n < 113; n++) lines.push(JSON.stringify(record(n, 'amazon.nova-lite-v1:0', 'distill')));
  lines.push('{not json');
  lines.push(
    JSON.stringify({
      ...record(113, TEACHER, 'distill'),
      input: { inputBodyJson: { inputText: undefined } },
    }),
  );
  return lines;
}

beforeAll(async () => {
  local = await startSdkStack({ buckets: [BUCKET] });
  const lines = logLines();
  // Two gzipped log files and one a plain object outside the log layout that is not a log file (ignored).
  await local.s3.send(
    new PutObjectCommand({
      Bucket: BUCKET,
      Key: `${PREFIX}/a.json.gz`,
      Body: gzipSync(`${lines.slice(0, 60).join('\n')}\n`),
    }),
  );
  await local.s3.send(
    new PutObjectCommand({
      Bucket: BUCKET,
      Key: `${PREFIX}/b.json.gz`,
      Body: gzipSync(`${lines.slice(60).join('\n')}\n`),
    }),
  );
  await local.s3.send(
    new PutObjectCommand({ Bucket: BUCKET, Key: `${PREFIX}/notes.txt`, Body: 'not a log' }),
  );
});
afterAll(async () => {
  await local?.stop();
});

const request = (
  name: string,
  trainingDataConfig: TrainingDataConfig,
  customizationType: 'DISTILLATION' | 'FINE_TUNING' | 'REINFORCEMENT_FINE_TUNING' = 'DISTILLATION',
): CreateModelCustomizationJobCommandInput => ({
  jobName: name,
  customModelName: `${name}-model`,
  roleArn: 'arn:aws:iam::000000000000:role/BedrockFineTuningRole',
  baseModelIdentifier:
    customizationType === 'REINFORCEMENT_FINE_TUNING'
      ? 'amazon.nova-2-lite-v1:0:256k'
      : 'amazon.nova-micro-v1:0:128k',
  customizationType,
  ...(customizationType === 'DISTILLATION'
    ? {
        customizationConfig: {
          distillationConfig: { teacherModelConfig: { teacherModelIdentifier: TEACHER } },
        },
      }
    : customizationType === 'REINFORCEMENT_FINE_TUNING'
      ? {
          customizationConfig: {
            rftConfig: {
              graderConfig: {
                lambdaGrader: { lambdaArn: 'arn:aws:lambda:us-east-1:000000000000:function:grader' },
              },
            },
          },
        }
      : {}),
  ...(customizationType === 'REINFORCEMENT_FINE_TUNING' ? {} : { hyperParameters: { epochCount: '1' } }),
  trainingDataConfig,
  outputDataConfig: { s3Uri: `s3://${BUCKET}/output/` },
});

const logsConfig = (extra: object = {}) => ({
  invocationLogsConfig: { invocationLogSource: { s3Uri: `s3://${BUCKET}/logs/` }, ...extra },
});

async function finished(jobArn: string) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const job = await local.bedrock.send(new GetModelCustomizationJobCommand({ jobIdentifier: jobArn }));
    if (job.status !== 'InProgress') return job;
    if (Date.now() > deadline) throw new Error(`job still ${job.status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function synthetic(jobArn: string) {
  const key = `output/model-customization-job-${jobArn.split('/').at(-1)}/distillation_artifacts/synthetic_data.jsonl`;
  const body = await local.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return (await body.Body!.transformToString())
    .trim()
    .split('\n')
    .map((l) =>
      (JSON.parse(l) as { messages: { content: { text: string }[] }[] }).messages.map(
        (m) => m.content[0]!.text,
      ),
    );
}

const create = (input: CreateModelCustomizationJobCommandInput) =>
  local.bedrock.send(new CreateModelCustomizationJobCommand(input));
const refusal = (input: CreateModelCustomizationJobCommandInput) =>
  create(input).then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: Error) => ({ name: e.name, message: e.message }),
  );

describe('local Bedrock: distillation from model invocation logs', () => {
  it('refuses invocation logs outside distillation and malformed invocationLogsConfig, naming the field', async () => {
    expect(await refusal(request('ft', logsConfig(), 'FINE_TUNING'))).toEqual({
      name: 'ValidationException',
      message: expect.stringMatching(/invocation logs are distillation data/),
    });
    expect(await refusal(request('rft', logsConfig(), 'REINFORCEMENT_FINE_TUNING'))).toEqual({
      name: 'ValidationException',
      message: expect.stringMatching(
        /reads invocation logs for distillation only; pass trainingDataConfig\.s3Uri.*rft-option-2/,
      ),
    });
    expect(
      await refusal(
        request(
          'two-filters',
          logsConfig({ requestMetadataFilters: { equals: { use: 'a' }, notEquals: { use: 'b' } } }),
        ),
      ),
    ).toEqual({
      name: 'ValidationException',
      message: expect.stringMatching(
        /^trainingDataConfig\.invocationLogsConfig\.requestMetadataFilters must set exactly one of/,
      ),
    });
    expect(
      await refusal(
        request('no-source', { invocationLogsConfig: {} as TrainingDataConfig['invocationLogsConfig'] }),
      ),
    ).toMatchObject({
      message: expect.stringMatching(
        /'trainingDataConfig\.invocationLogsConfig\.invocationLogSource' failed to satisfy constraint: Member must not be null/,
      ),
    });
    expect(
      await refusal(request('both', { s3Uri: `s3://${BUCKET}/prompts.jsonl`, ...logsConfig() })),
    ).toMatchObject({
      message: expect.stringMatching(/either s3Uri .* or invocationLogsConfig .*, not both/),
    });
  });

  it('usePromptResponse: the student trains on exactly the teacher answers logged for the filtered records', async () => {
    const config = logsConfig({
      usePromptResponse: true,
      requestMetadataFilters: { equals: { use: 'distill' } },
    });
    const { jobArn } = await create(request('from-logs', config));
    const job = await finished(jobArn!);
    expect(job.failureMessage).toBeUndefined();
    expect(job.status).toBe('Completed');
    expect(job.trainingDataConfig).toEqual(config);
    const expected = Array.from({ length: 105 }, (_, n) => [
      `How do I close account ${n}?`,
      `Logged answer ${n} from ${TEACHER}.`,
    ]);
    expect(await synthetic(jobArn!)).toEqual(expected);
  });

  it('without usePromptResponse: the teacher answers every filtered prompt, whichever model was logged', async () => {
    const { jobArn } = await create(
      request('prompts-from-logs', logsConfig({ requestMetadataFilters: { equals: { use: 'distill' } } })),
    );
    const job = await finished(jobArn!);
    expect(job.failureMessage).toBeUndefined();
    const data = await synthetic(jobArn!);
    expect(data.map(([prompt]) => prompt)).toEqual(
      [...Array(105).keys(), 110, 111, 112].map((n) => `How do I close account ${n}?`),
    );
    for (const [, answer] of data) expect(answer).not.toMatch(/^Logged answer/);
  });

  it('fails with fewer than 100 usable records, saying what was found and left out, and the fix', async () => {
    const { jobArn } = await create(
      request(
        'too-few',
        logsConfig({ usePromptResponse: true, requestMetadataFilters: { equals: { use: 'other' } } }),
      ),
    );
    const job = await finished(jobArn!);
    expect(job.status).toBe('Failed');
    expect(job.failureMessage).toMatch(
      /5 usable record\(s\) in 2 log file\(s\), at least 100 are needed.*Left out: 108 filtered out by requestMetadataFilters, 0 answered by a model other than the teacher us\.amazon\.nova-pro-v1:0, 0 without a logged answer, 2 unreadable\. First unreadable record: s3:\/\/distill-logs\/logs\/.*\/b\.json\.gz:54 .*Fix: /,
    );
  });
});
