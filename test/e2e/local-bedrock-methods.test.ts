import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type BedrockClient,
  CreateCustomModelDeploymentCommand,
  CreateModelCustomizationJobCommand,
  type CreateModelCustomizationJobCommandInput,
  GetCustomModelCommand,
  GetCustomModelDeploymentCommand,
  GetModelCustomizationJobCommand,
} from '@aws-sdk/client-bedrock';
import { type BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSdkStack } from '../../src/local/bedrock/fixtures/sdk-stack.ts';
import type { LocalStack } from '../../src/local/stack.ts';
import { SAMPLES } from '../../src/samples.ts';
import { tempDir } from './helpers/cli.ts';

/**
 * Distillation and reinforcement fine-tuning on the local stack, driven by the AWS SDK v3 with the real
 * request shapes, trained by the real local engine (in process, so the test is quick).
 */

const ROLE = 'arn:aws:iam::000000000000:role/BedrockFineTuningRole';
const BUCKET = 'tunekit-methods';
const GRADER_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:grader';

let stack: LocalStack;
let bedrock: BedrockClient;
let runtime: BedrockRuntimeClient;
let s3: S3Client;
let functionsDir: string;

/** The banking sample as a distillation set: prompts only (each record's answer dropped). */
function bankingPrompts(): string {
  return readFileSync(SAMPLES.bankingTrain, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((line) => {
      const record = JSON.parse(line) as { messages: { role: string }[] };
      return JSON.stringify({ ...record, messages: record.messages.slice(0, 1) });
    })
    .join('\n');
}

const text = async (key: string) =>
  (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))).Body!.transformToString();

async function finished(jobArn: string) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const job = await bedrock.send(new GetModelCustomizationJobCommand({ jobIdentifier: jobArn }));
    if (job.status !== 'InProgress') return job;
    if (Date.now() > deadline) throw new Error(`job still ${job.status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function refusal(input: Partial<CreateModelCustomizationJobCommandInput>) {
  try {
    await bedrock.send(
      new CreateModelCustomizationJobCommand(input as CreateModelCustomizationJobCommandInput),
    );
  } catch (error) {
    return error as Error & { $metadata: { httpStatusCode: number } };
  }
  throw new Error('expected a refusal');
}

const common = (name: string, base: string, key: string) => ({
  jobName: name,
  customModelName: `${name}-model`,
  roleArn: ROLE,
  baseModelIdentifier: base,
  trainingDataConfig: { s3Uri: `s3://${BUCKET}/${key}` },
  outputDataConfig: { s3Uri: `s3://${BUCKET}/output/` },
});

beforeAll(async () => {
  const dir = tempDir();
  functionsDir = join(dir, 'graders');
  mkdirSync(functionsDir);
  writeFileSync(join(functionsDir, 'grader.mjs'), readFileSync(SAMPLES.reinforcementGrader));
  writeFileSync(
    join(functionsDir, 'broken.mjs'),
    'export async function handler(event) { return event.map((s) => ({ id: s.id, reward: 1 })); }',
  );
  ({ stack, bedrock, runtime, s3 } = await startSdkStack({
    dataDir: join(dir, 'data'),
    functionsDir,
    provisioningDelayMs: 50,
    buckets: [BUCKET],
  }));
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'data/prompts.jsonl', Body: bankingPrompts() }));
  await s3.send(
    new PutObjectCommand({
      Bucket: BUCKET,
      Key: 'data/rft.jsonl',
      Body: readFileSync(SAMPLES.reinforcementTrain),
    }),
  );
});

afterAll(async () => {
  await stack?.stop();
});

describe('local Bedrock: distillation and reinforcement fine-tuning jobs', () => {
  it('distills: the teacher answers every prompt, the answers land in the output, the student answers as the teacher', async () => {
    const distillationConfig = {
      teacherModelConfig: {
        teacherModelIdentifier: 'us.amazon.nova-premier-v1:0',
        maxResponseLengthForInference: 1000,
      },
    };
    const { jobArn } = await bedrock.send(
      new CreateModelCustomizationJobCommand({
        ...common('distill-1', 'amazon.nova-micro-v1:0:128k', 'data/prompts.jsonl'),
        customizationType: 'DISTILLATION',
        customizationConfig: { distillationConfig },
      }),
    );
    const job = await finished(jobArn!);
    expect(job.failureMessage).toBeUndefined();
    expect(job.status).toBe('Completed');
    expect(job.customizationType).toBe('DISTILLATION');
    expect(job.trainingMetrics?.trainingLoss).toBeGreaterThan(0);
    expect(job.customizationConfig).toEqual({ distillationConfig });
    const model = await bedrock.send(new GetCustomModelCommand({ modelIdentifier: job.outputModelArn! }));
    expect(model.customizationConfig).toEqual({ distillationConfig });

    const folder = `output/model-customization-job-${jobArn!.split('/').at(-1)}`;
    const synthetic = (await text(`${folder}/distillation_artifacts/synthetic_data.jsonl`))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { messages: { role: string; content: { text: string }[] }[] });
    expect(synthetic).toHaveLength(bankingPrompts().split('\n').length);
    const [first] = synthetic;
    expect(first!.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(await text(`${folder}/training_artifacts/step_wise_training_metrics.csv`)).toMatch(
      /^step_number,/,
    );

    // The distilled student gives the teacher's answer to a prompt it was distilled on. (Locally the teacher
    // is the base model, so this shows the wiring, not a gain in knowledge: see docs/methods.md.)
    const prompt = first!.messages[0]!.content[0]!.text;
    const teacherAnswer = first!.messages[1]!.content[0]!.text;
    const { customModelDeploymentArn } = await bedrock.send(
      new CreateCustomModelDeploymentCommand({
        modelDeploymentName: 'distilled',
        modelArn: job.outputModelArn!,
      }),
    );
    for (;;) {
      const d = await bedrock.send(
        new GetCustomModelDeploymentCommand({ customModelDeploymentIdentifier: customModelDeploymentArn! }),
      );
      if (d.status === 'Active') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const reply = await runtime.send(
      new ConverseCommand({
        modelId: customModelDeploymentArn!,
        messages: [{ role: 'user', content: [{ text: prompt }] }],
        inferenceConfig: { temperature: 0 },
      }),
    );
    expect(reply.output?.message?.content?.[0]?.text).toBe(teacherAnswer);
  }, 60_000);

  it('reinforces: the grader scores sampled answers, reward per step lands in the metrics file', async () => {
    const rftConfig = {
      graderConfig: { lambdaGrader: { lambdaArn: GRADER_ARN } },
      hyperParameters: {
        epochCount: 2,
        batchSize: 16,
        trainingSamplePerPrompt: 4,
        reasoningEffort: 'low' as const,
      },
    };
    const { jobArn } = await bedrock.send(
      new CreateModelCustomizationJobCommand({
        ...common('rft-1', 'amazon.nova-2-lite-v1:0:256k', 'data/rft.jsonl'),
        validationDataConfig: { validators: [{ s3Uri: `s3://${BUCKET}/data/rft.jsonl` }] },
        customizationType: 'REINFORCEMENT_FINE_TUNING',
        customizationConfig: { rftConfig },
      }),
    );
    const job = await finished(jobArn!);
    expect(job.failureMessage).toBeUndefined();
    expect(job.status).toBe('Completed');
    expect(job.customizationConfig).toEqual({ rftConfig });
    const csv = await text(
      `output/model-customization-job-${jobArn!.split('/').at(-1)}/training_artifacts/step_wise_training_metrics.csv`,
    );
    const [header, ...rows] = csv.trim().split('\n');
    expect(header).toBe(
      'step_number,epoch_number,training_loss,perplexity,reward_mean,reward_min,reward_max',
    );
    expect(rows).toHaveLength(14);
    const reward = rows.map((r) => Number(r.split(',')[4]));
    expect(reward.every((r) => r >= 0 && r <= 1)).toBe(true);
    const validation = await text(
      `output/model-customization-job-${jobArn!.split('/').at(-1)}/validation_artifacts/post_fine_tuning_validation/validation_metrics.csv`,
    );
    expect(validation.split('\n')[0]).toBe('step_number,epoch_number,reward_mean');
    expect(
      validation
        .trim()
        .split('\n')
        .slice(1)
        .map((r) => r.split(',')[0]),
    ).toEqual(['0', '5', '10', '14']);
  }, 60_000);

  it('fails an RFT job whose grader returns a bad shape, naming the grader and the fix', async () => {
    const { jobArn } = await bedrock.send(
      new CreateModelCustomizationJobCommand({
        ...common('rft-broken', 'amazon.nova-2-lite-v1:0:256k', 'data/rft.jsonl'),
        customizationType: 'REINFORCEMENT_FINE_TUNING',
        customizationConfig: {
          rftConfig: {
            graderConfig: { lambdaGrader: { lambdaArn: GRADER_ARN.replace(':grader', ':broken') } },
          },
        },
      }),
    );
    const job = await finished(jobArn!);
    expect(job.status).toBe('Failed');
    expect(job.failureMessage).toMatch(
      /^The grader "broken" \(.*broken\.mjs\) returned a bad response: \[0\]\.aggregate_reward_score is undefined, not a finite number\. A grader returns one \{ id, aggregate_reward_score/,
    );
  }, 60_000);

  it('fails an RFT job on data AWS refuses (10 records; Nova 2 Lite RFT takes 100-20,000), as data validate does', async () => {
    const ten = readFileSync(SAMPLES.reinforcementTrain, 'utf8').trim().split('\n').slice(0, 10).join('\n');
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'data/rft-10.jsonl', Body: `${ten}\n` }));
    const { jobArn } = await bedrock.send(
      new CreateModelCustomizationJobCommand({
        ...common('rft-ten', 'amazon.nova-2-lite-v1:0:256k', 'data/rft-10.jsonl'),
        customizationType: 'REINFORCEMENT_FINE_TUNING',
        customizationConfig: { rftConfig: { graderConfig: { lambdaGrader: { lambdaArn: GRADER_ARN } } } },
      }),
    );
    const job = await finished(jobArn!);
    expect(job.status).toBe('Failed');
    expect(job.failureMessage).toMatch(
      /^Data validation failed for training data s3:\/\/.*rft-10\.jsonl: file: .*100/,
    );
    expect(job.failureMessage).toMatch(/tunekit data validate --method reinforcement/);
  }, 60_000);

  it('refuses what Bedrock refuses, as a ValidationException naming the field', async () => {
    const wrongTeacher = await refusal({
      ...common('distill-bad', 'amazon.nova-micro-v1:0:128k', 'data/prompts.jsonl'),
      customizationType: 'DISTILLATION',
      customizationConfig: {
        distillationConfig: { teacherModelConfig: { teacherModelIdentifier: 'amazon.nova-lite-v1:0' } },
      },
    });
    expect(wrongTeacher.name).toBe('ValidationException');
    expect(wrongTeacher.$metadata.httpStatusCode).toBe(400);
    expect(wrongTeacher.message).toMatch(
      /teacherModelIdentifier: amazon\.nova-lite-v1:0 is not a supported teacher/,
    );

    const rftOnMicro = await refusal({
      ...common('rft-micro', 'amazon.nova-micro-v1:0:128k', 'data/rft.jsonl'),
      customizationType: 'REINFORCEMENT_FINE_TUNING',
      customizationConfig: { rftConfig: { graderConfig: { lambdaGrader: { lambdaArn: GRADER_ARN } } } },
    });
    expect(rftOnMicro.name).toBe('ValidationException');
    expect(rftOnMicro.message).toMatch(/does not support customization type REINFORCEMENT_FINE_TUNING/);

    const missing = await refusal({
      ...common('rft-none', 'amazon.nova-2-lite-v1:0:256k', 'data/rft.jsonl'),
      customizationType: 'REINFORCEMENT_FINE_TUNING',
    });
    expect(missing.message).toMatch(/customizationConfig\.rftConfig is required/);

    // Invocation logs are distillation data (distilling from them: src/local/bedrock/jobs/invocation-log-data.test.ts).
    const fineTuneFromLogs = await refusal({
      ...common('ft-logs', 'amazon.nova-micro-v1:0:128k', 'data/prompts.jsonl'),
      trainingDataConfig: {
        invocationLogsConfig: { invocationLogSource: { s3Uri: `s3://${BUCKET}/logs/` } },
      },
    });
    expect(fineTuneFromLogs.message).toMatch(/invocationLogsConfig: invocation logs are distillation data/);
  });
});
