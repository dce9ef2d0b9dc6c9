import { readFileSync } from 'node:fs';
import {
  BedrockClient,
  CreateCustomModelDeploymentCommand,
  CreateModelCustomizationJobCommand,
  CreateProvisionedModelThroughputCommand,
  DeleteCustomModelCommand,
  DeleteCustomModelDeploymentCommand,
  DeleteProvisionedModelThroughputCommand,
  GetCustomModelCommand,
  GetCustomModelDeploymentCommand,
  GetFoundationModelCommand,
  GetModelCustomizationJobCommand,
  GetProvisionedModelThroughputCommand,
  ListCustomModelsCommand,
  ListFoundationModelsCommand,
  ListModelCustomizationJobsCommand,
  ListTagsForResourceCommand,
  StopModelCustomizationJobCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateCustomModelDeploymentCommand,
  UpdateProvisionedModelThroughputCommand,
} from '@aws-sdk/client-bedrock';
import { BedrockRuntimeClient, ConverseCommand, InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as dataset from '../../src/dataset/index.ts';
import { inProcessTrainer } from '../../src/local/bedrock/index.ts';
import { type LocalStack, startLocalStack } from '../../src/local/stack.ts';
import { SAMPLES } from '../../src/samples.ts';
import { tempDir } from './helpers/cli.ts';
import { memorisingEngine } from './helpers/local-doubles.ts';
import { signedFetch } from './helpers/signed-fetch.ts';

const ROLE = 'arn:aws:iam::000000000000:role/BedrockFineTuningRole';
const BUCKET = 'tunekit-e2e';
const NOVA = 'amazon.nova-micro-v1:0:128k';
const DISPUTE = 'What is the process to dispute a credit card transaction?';

let stack: LocalStack;
let bedrock: BedrockClient;
let runtime: BedrockRuntimeClient;
let s3: S3Client;
const logLines: string[] = [];

function clients(target: Pick<LocalStack, 'endpoint' | 'credentials'>) {
  const common = {
    region: 'us-east-1',
    endpoint: target.endpoint,
    credentials: target.credentials,
    maxAttempts: 1,
  };
  return {
    bedrock: new BedrockClient(common),
    runtime: new BedrockRuntimeClient(common),
    s3: new S3Client({ ...common, forcePathStyle: true }),
  };
}

async function waitFor<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out; last value ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function rejection(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return error as Error & { $metadata: { httpStatusCode: number } };
  }
  throw new Error('expected the call to fail');
}

const jobInput = (name: string, trainingKey = 'training-data/train.jsonl') => ({
  jobName: name,
  customModelName: `${name}-model`,
  roleArn: ROLE,
  baseModelIdentifier: NOVA,
  trainingDataConfig: { s3Uri: `s3://${BUCKET}/${trainingKey}` },
  validationDataConfig: { validators: [{ s3Uri: `s3://${BUCKET}/training-data/validation.jsonl` }] },
  outputDataConfig: { s3Uri: `s3://${BUCKET}/output/` },
  hyperParameters: { epochCount: '2', learningRate: '0.00001' },
});

beforeAll(async () => {
  const engine = memorisingEngine({ stepDelayMs: 2 });
  stack = await startLocalStack({
    port: 0,
    dataDir: tempDir(),
    provisioningDelayMs: 150,
    overrides: { engine, trainer: inProcessTrainer(engine, dataset) },
    log: (line) => logLines.push(line),
  });
  ({ bedrock, runtime, s3 } = clients(stack));
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  const train = readFileSync(SAMPLES.tutorialConversation);
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'training-data/train.jsonl', Body: train }));
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'training-data/validation.jsonl', Body: train }));
});

afterAll(async () => {
  await stack?.stop();
});

describe('local Bedrock: the tutorial flow with the real AWS SDK v3 clients', () => {
  it('trains, writes metrics, deploys both ways, serves base and custom answers, deletes', async () => {
    const events: { status: unknown; arn: unknown }[] = [];
    const unsubscribe = stack.bedrock.onJobStateChange((e) =>
      events.push({ status: e.detail.jobStatus, arn: e.resources[0] }),
    );
    const { jobArn } = await bedrock.send(new CreateModelCustomizationJobCommand(jobInput('banking-ft-1')));
    expect(jobArn).toMatch(
      /^arn:aws:bedrock:us-east-1:000000000000:model-customization-job\/amazon\.nova-micro-v1:0:128k\/[a-z0-9]{12}$/,
    );
    const first = await bedrock.send(new GetModelCustomizationJobCommand({ jobIdentifier: jobArn }));
    expect(first.status).toBe('InProgress');
    expect(first.creationTime).toBeInstanceOf(Date);

    const job = await waitFor(
      () => bedrock.send(new GetModelCustomizationJobCommand({ jobIdentifier: jobArn })),
      (j) => j.status !== 'InProgress',
    );
    expect(job.failureMessage).toBeUndefined();
    expect(job.status).toBe('Completed');
    expect(job.trainingMetrics?.trainingLoss).toBeGreaterThan(0);
    expect(job.validationMetrics?.[0]?.validationLoss).toBeGreaterThan(0);
    unsubscribe();
    expect(events).toEqual([
      { status: 'InProgress', arn: jobArn },
      { status: 'Completed', arn: jobArn },
    ]);
    const modelArn = job.outputModelArn!;
    const model = await bedrock.send(new GetCustomModelCommand({ modelIdentifier: modelArn }));
    expect(model.modelStatus).toBe('Active');
    expect(model.modelName).toBe('banking-ft-1-model');

    // What Bedrock writes to outputDataConfig.
    const id = jobArn!.split('/').at(-1);
    const csv = await s3.send(
      new GetObjectCommand({
        Bucket: BUCKET,
        Key: `output/model-customization-job-${id}/training_artifacts/step_wise_training_metrics.csv`,
      }),
    );
    const lines = (await csv.Body!.transformToString()).trim().split('\n');
    expect(lines[0]).toBe('step_number,epoch_number,training_loss,perplexity');
    expect(lines.length).toBe(1 + 20); // 10 records x 2 epochs, one step each in the test engine
    const validation = await s3.send(
      new GetObjectCommand({
        Bucket: BUCKET,
        Key: `output/model-customization-job-${id}/validation_artifacts/post_fine_tuning_validation/validation_metrics.csv`,
      }),
    );
    expect((await validation.Body!.transformToString()).split('\n')[0]).toBe(
      'step_number,epoch_number,validation_loss,perplexity',
    );

    // Provisioned Throughput by custom model *name*, as the tutorial's CLI step does.
    const { provisionedModelArn } = await bedrock.send(
      new CreateProvisionedModelThroughputCommand({
        provisionedModelName: 'my-finetuned-model-pt',
        modelId: 'banking-ft-1-model',
        modelUnits: 1,
      }),
    );
    const creating = await bedrock.send(
      new GetProvisionedModelThroughputCommand({ provisionedModelId: 'my-finetuned-model-pt' }),
    );
    expect(creating.status).toBe('Creating');
    const notReady = await rejection(
      runtime.send(
        new ConverseCommand({
          modelId: provisionedModelArn,
          messages: [{ role: 'user', content: [{ text: DISPUTE }] }],
        }),
      ),
    );
    expect(notReady.name).toBe('ModelNotReadyException');
    await waitFor(
      () =>
        bedrock.send(new GetProvisionedModelThroughputCommand({ provisionedModelId: provisionedModelArn })),
      (p) => p.status === 'InService',
    );

    // On-demand custom model deployment (Nova).
    const { customModelDeploymentArn } = await bedrock.send(
      new CreateCustomModelDeploymentCommand({ modelDeploymentName: 'banking-od', modelArn }),
    );
    await waitFor(
      () =>
        bedrock.send(
          new GetCustomModelDeploymentCommand({ customModelDeploymentIdentifier: customModelDeploymentArn }),
        ),
      (d) => d.status === 'Active',
    );

    // Base vs custom answers through InvokeModel (Nova messages-v1) and Converse.
    const novaBody = JSON.stringify({
      schemaVersion: 'messages-v1',
      messages: [{ role: 'user', content: [{ text: DISPUTE }] }],
      inferenceConfig: { max_new_tokens: 300, temperature: 0.1 },
    });
    const invoke = async (modelId: string) => {
      const out = await runtime.send(
        new InvokeModelCommand({
          modelId,
          contentType: 'application/json',
          accept: 'application/json',
          body: novaBody,
        }),
      );
      return JSON.parse(Buffer.from(out.body).toString('utf8'));
    };
    const base = await invoke('amazon.nova-micro-v1:0');
    const viaPt = await invoke(provisionedModelArn!);
    const viaDeployment = await invoke(customModelDeploymentArn!);
    expect(viaPt.output.message.content[0].text).not.toBe(base.output.message.content[0].text);
    expect(viaPt.output.message.content[0].text).toContain('60 days');
    expect(viaDeployment.output.message.content[0].text).toBe(viaPt.output.message.content[0].text);
    expect(viaPt.usage.inputTokens).toBeGreaterThan(0);
    expect(viaPt.usage.totalTokens).toBe(viaPt.usage.inputTokens + viaPt.usage.outputTokens);

    const converse = (modelId: string) =>
      runtime.send(
        new ConverseCommand({
          modelId,
          messages: [{ role: 'user', content: [{ text: DISPUTE }] }],
          inferenceConfig: { maxTokens: 300 },
        }),
      );
    const baseChat = await converse(`arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-micro-v1:0`);
    const customChat = await converse('my-finetuned-model-pt');
    expect(customChat.output?.message?.content?.[0]?.text).not.toBe(
      baseChat.output?.message?.content?.[0]?.text,
    );
    expect(customChat.stopReason).toBe('end_turn');
    expect(customChat.usage?.outputTokens).toBeGreaterThan(0);
    const truncated = await runtime.send(
      new ConverseCommand({
        modelId: customModelDeploymentArn,
        messages: [{ role: 'user', content: [{ text: DISPUTE }] }],
        inferenceConfig: { maxTokens: 3 },
      }),
    );
    expect(truncated.stopReason).toBe('max_tokens');

    // A model in use can't be deleted; after teardown it can.
    const inUse = await rejection(bedrock.send(new DeleteCustomModelCommand({ modelIdentifier: modelArn })));
    expect(inUse.name).toBe('ConflictException');
    await bedrock.send(
      new DeleteProvisionedModelThroughputCommand({ provisionedModelId: 'my-finetuned-model-pt' }),
    );
    await bedrock.send(
      new DeleteCustomModelDeploymentCommand({ customModelDeploymentIdentifier: customModelDeploymentArn }),
    );
    await bedrock.send(new DeleteCustomModelCommand({ modelIdentifier: modelArn }));
    const gone = await rejection(bedrock.send(new GetCustomModelCommand({ modelIdentifier: modelArn })));
    expect(gone.name).toBe('ResourceNotFoundException');
    expect(gone.$metadata.httpStatusCode).toBe(404);
  });

  it('lists jobs with filters, sort and pagination, and answers by name or ARN', async () => {
    const names = ['list-a', 'list-b'];
    for (const name of names) {
      const { jobArn } = await bedrock.send(new CreateModelCustomizationJobCommand(jobInput(name)));
      await waitFor(
        () => bedrock.send(new GetModelCustomizationJobCommand({ jobIdentifier: jobArn })),
        (j) => j.status !== 'InProgress',
      );
    }
    const page1 = await bedrock.send(
      new ListModelCustomizationJobsCommand({ nameContains: 'list-', maxResults: 1, sortOrder: 'Ascending' }),
    );
    expect(page1.modelCustomizationJobSummaries?.map((j) => j.jobName)).toEqual(['list-a']);
    expect(page1.nextToken).toBeDefined();
    const page2 = await bedrock.send(
      new ListModelCustomizationJobsCommand({
        nameContains: 'list-',
        maxResults: 1,
        sortOrder: 'Ascending',
        nextToken: page1.nextToken,
      }),
    );
    expect(page2.modelCustomizationJobSummaries?.map((j) => j.jobName)).toEqual(['list-b']);
    expect(page2.nextToken).toBeUndefined();
    const completed = await bedrock.send(
      new ListModelCustomizationJobsCommand({ statusEquals: 'Completed', sortOrder: 'Descending' }),
    );
    expect(completed.modelCustomizationJobSummaries?.[0]?.jobName).toBe('list-b');
    const byName = await bedrock.send(new GetModelCustomizationJobCommand({ jobIdentifier: 'list-a' }));
    expect(byName.status).toBe('Completed');
    const models = await bedrock.send(new ListCustomModelsCommand({ nameContains: 'list-a' }));
    expect(models.modelSummaries?.map((m) => m.modelName)).toEqual(['list-a-model']);
  });

  it('tags jobs and custom models', async () => {
    const job = await bedrock.send(new GetModelCustomizationJobCommand({ jobIdentifier: 'list-a' }));
    await bedrock.send(
      new TagResourceCommand({
        resourceARN: job.jobArn,
        tags: [
          { key: 'team', value: 'cards' },
          { key: 'env', value: 'dev' },
        ],
      }),
    );
    await bedrock.send(new UntagResourceCommand({ resourceARN: job.jobArn, tagKeys: ['env'] }));
    const { tags } = await bedrock.send(new ListTagsForResourceCommand({ resourceARN: job.jobArn }));
    expect(tags).toEqual([{ key: 'team', value: 'cards' }]);
  });

  it('fine-tunes further from a custom model', async () => {
    const parent = await bedrock.send(new GetCustomModelCommand({ modelIdentifier: 'list-a-model' }));
    const { jobArn } = await bedrock.send(
      new CreateModelCustomizationJobCommand({
        ...jobInput('continued'),
        baseModelIdentifier: parent.modelArn,
      }),
    );
    const job = await waitFor(
      () => bedrock.send(new GetModelCustomizationJobCommand({ jobIdentifier: jobArn })),
      (j) => j.status !== 'InProgress',
    );
    expect(job.status).toBe('Completed');
    expect(job.baseModelArn).toBe(parent.modelArn);
  });

  it('switches a deployment and a Provisioned Throughput to another model, which is in use from then on', async () => {
    const from = await bedrock.send(new GetCustomModelCommand({ modelIdentifier: 'list-a-model' }));
    const to = await bedrock.send(new GetCustomModelCommand({ modelIdentifier: 'continued-model' }));
    // Deleting the model switched to is refused at once, whether the switch is under way or has just finished
    // (the delay is short and nothing reads the record in between).
    const deleteTo = () =>
      rejection(bedrock.send(new DeleteCustomModelCommand({ modelIdentifier: to.modelArn })));

    const { customModelDeploymentArn: deployment } = await bedrock.send(
      new CreateCustomModelDeploymentCommand({
        modelDeploymentName: 'switching-od',
        modelArn: from.modelArn,
      }),
    );
    const getDeployment = () =>
      bedrock.send(new GetCustomModelDeploymentCommand({ customModelDeploymentIdentifier: deployment }));
    await waitFor(getDeployment, (d) => d.status === 'Active');
    await bedrock.send(
      new UpdateCustomModelDeploymentCommand({
        customModelDeploymentIdentifier: deployment,
        modelArn: to.modelArn,
      }),
    );
    const usedByDeployment = await deleteTo();
    expect(usedByDeployment.name).toBe('ConflictException');
    expect(usedByDeployment.message).toContain('switching-od');
    const switched = await waitFor(getDeployment, (d) => d.updateDetails?.updateStatus === 'UpdateCompleted');
    expect(switched.modelArn).toBe(to.modelArn);
    await bedrock.send(
      new DeleteCustomModelDeploymentCommand({ customModelDeploymentIdentifier: deployment }),
    );

    const { provisionedModelArn: pt } = await bedrock.send(
      new CreateProvisionedModelThroughputCommand({
        provisionedModelName: 'switching-pt',
        modelId: from.modelArn,
        modelUnits: 1,
      }),
    );
    const getPt = () => bedrock.send(new GetProvisionedModelThroughputCommand({ provisionedModelId: pt }));
    await waitFor(getPt, (p) => p.status === 'InService');
    await bedrock.send(
      new UpdateProvisionedModelThroughputCommand({ provisionedModelId: pt, desiredModelId: to.modelArn }),
    );
    const usedByPt = await deleteTo();
    expect(usedByPt.name).toBe('ConflictException');
    expect(usedByPt.message).toContain('switching-pt');
    const updated = await waitFor(getPt, (p) => p.status === 'InService');
    expect(updated.modelArn).toBe(to.modelArn);
    await bedrock.send(new DeleteProvisionedModelThroughputCommand({ provisionedModelId: pt }));
  });

  it('fails a job on a bad training file, naming the line', async () => {
    const lines = readFileSync(SAMPLES.tutorialConversation, 'utf8').trim().split('\n');
    lines[3] =
      '{"schemaVersion": "bedrock-conversation-2024", "messages": [{"role": "assistant", "content": [{"text": "hi"}]}]}';
    await s3.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: 'training-data/bad.jsonl', Body: lines.join('\n') }),
    );
    const { jobArn } = await bedrock.send(
      new CreateModelCustomizationJobCommand(jobInput('bad-data', 'training-data/bad.jsonl')),
    );
    const job = await waitFor(
      () => bedrock.send(new GetModelCustomizationJobCommand({ jobIdentifier: jobArn })),
      (j) => j.status !== 'InProgress',
    );
    expect(job.status).toBe('Failed');
    expect(job.failureMessage).toMatch(/line 4/);
    expect(job.failureMessage).toContain('s3://tunekit-e2e/training-data/bad.jsonl');
    const model = await bedrock.send(new GetCustomModelCommand({ modelIdentifier: 'bad-data-model' }));
    expect(model.modelStatus).toBe('Failed');

    const { jobArn: missing } = await bedrock.send(
      new CreateModelCustomizationJobCommand(jobInput('missing-data', 'training-data/nope.jsonl')),
    );
    const failed = await waitFor(
      () => bedrock.send(new GetModelCustomizationJobCommand({ jobIdentifier: missing })),
      (j) => j.status !== 'InProgress',
    );
    expect(failed.failureMessage).toMatch(/does not exist/);

    const { jobArn: noOutput } = await bedrock.send(
      new CreateModelCustomizationJobCommand({
        ...jobInput('no-output'),
        outputDataConfig: { s3Uri: 's3://no-such-bucket/out/' },
      }),
    );
    const noOut = await waitFor(
      () => bedrock.send(new GetModelCustomizationJobCommand({ jobIdentifier: noOutput })),
      (j) => j.status !== 'InProgress',
    );
    expect(noOut.status).toBe('Failed');
    expect(noOut.failureMessage).toMatch(
      /Unable to write output to s3:\/\/no-such-bucket\/out\/: the bucket no-such-bucket does not exist/,
    );
  });
});

describe('local Bedrock: foundation models and lifecycle', () => {
  it('lists customizable models and reports end-of-life Titan as LEGACY', async () => {
    const { modelSummaries } = await bedrock.send(
      new ListFoundationModelsCommand({ byCustomizationType: 'FINE_TUNING' }),
    );
    expect(modelSummaries?.map((m) => m.modelId)).toContain(NOVA);
    const titan = await bedrock.send(
      new GetFoundationModelCommand({ modelIdentifier: 'amazon.titan-text-express-v1' }),
    );
    expect(titan.modelDetails?.modelLifecycle?.status).toBe('LEGACY');
    const nova = await bedrock.send(
      new GetFoundationModelCommand({
        modelIdentifier: `arn:aws:bedrock:us-east-1::foundation-model/${NOVA}`,
      }),
    );
    expect(nova.modelDetails?.modelLifecycle?.status).toBe('ACTIVE');
  });

  it('serves the Titan body for Titan and refuses a body of another family', async () => {
    const titan = await runtime.send(
      new InvokeModelCommand({
        modelId: 'amazon.titan-text-express-v1',
        contentType: 'application/json',
        body: JSON.stringify({
          inputText: 'Hello',
          textGenerationConfig: { maxTokenCount: 50, temperature: 0.1, topP: 0.9 },
        }),
      }),
    );
    const parsed = JSON.parse(Buffer.from(titan.body).toString('utf8'));
    expect(typeof parsed.results[0].outputText).toBe('string');
    expect(parsed.inputTextTokenCount).toBeGreaterThan(0);
    expect(logLines.some((l) => l.includes('end of life'))).toBe(true);

    const wrong = await rejection(
      runtime.send(
        new InvokeModelCommand({
          modelId: 'amazon.titan-text-express-v1',
          contentType: 'application/json',
          body: JSON.stringify({ messages: [] }),
        }),
      ),
    );
    expect(wrong.name).toBe('ValidationException');
    expect(wrong.message).toMatch(/^Malformed input request/);
    expect(wrong.$metadata.httpStatusCode).toBe(400);
  });
});

describe('local Bedrock: inference profiles and regional customization (as AWS refuses)', () => {
  const ask = (modelId: string) =>
    runtime.send(
      new ConverseCommand({ modelId, messages: [{ role: 'user', content: [{ text: DISPUTE }] }] }),
    );

  it('refuses the plain id of a model served only through an inference profile, with Bedrock’s error', async () => {
    for (const plain of ['meta.llama3-2-1b-instruct-v1:0', 'amazon.nova-2-lite-v1:0']) {
      const refused = await rejection(ask(plain));
      expect(refused.name).toBe('ValidationException');
      expect(refused.$metadata.httpStatusCode).toBe(400);
      expect(refused.message).toBe(
        `Invocation of model ID ${plain} with on-demand throughput isn’t supported. Retry your request with the ID or ARN of an inference profile that contains this model.`,
      );
    }
    // Llama 3.1 runs in-Region in us-west-2 only; this stack is us-east-1.
    expect((await rejection(ask('meta.llama3-1-8b-instruct-v1:0'))).message).toMatch(/on-demand throughput/);
  });

  it('answers through the profile id and its ARN; a profile of another geography is invalid here', async () => {
    const byId = await ask('us.meta.llama3-2-1b-instruct-v1:0');
    expect(byId.output?.message?.content?.[0]?.text?.length).toBeGreaterThan(0);
    const byArn = await ask(
      'arn:aws:bedrock:us-east-1:000000000000:inference-profile/global.amazon.nova-2-lite-v1:0',
    );
    expect(byArn.stopReason).toBeDefined();
    const eu = await rejection(ask('eu.amazon.nova-2-lite-v1:0'));
    expect(eu.name).toBe('ValidationException');
    expect(eu.message).toBe('The provided model identifier is invalid.');
    // Models with an in-Region route keep answering to their plain id.
    expect((await ask('amazon.nova-micro-v1:0')).stopReason).toBeDefined();
  });

  it('refuses to customize a base model outside the Regions that offer its customization', async () => {
    const refused = await rejection(
      bedrock.send(
        new CreateModelCustomizationJobCommand({
          ...jobInput('llama-east'),
          baseModelIdentifier: 'meta.llama3-2-1b-instruct-v1:0:128k',
          hyperParameters: { epochCount: '1' },
        }),
      ),
    );
    expect(refused.name).toBe('ValidationException');
    expect(refused.message).toMatch(
      /meta\.llama3-2-1b-instruct-v1:0:128k is not supported for customization in us-east-1\. Supported Regions: us-west-2/,
    );
    const jobs = await bedrock.send(new ListModelCustomizationJobsCommand({ nameContains: 'llama-east' }));
    expect(jobs.modelCustomizationJobSummaries).toEqual([]);
  });
});

describe('local Bedrock: error shapes', () => {
  it('ValidationException for a bad name, role ARN, S3 URI and hyperparameter', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ jobName: 'bad name!' }, /at 'jobName' failed to satisfy constraint/],
      [
        { jobName: 'j'.repeat(64) },
        /^1 validation error detected: Value 'j{64}' at 'jobName' failed to satisfy constraint: Member must have length less than or equal to 63$/,
      ],
      [
        { customModelName: 'my.model' },
        /at 'customModelName' failed to satisfy constraint: Member must satisfy regular expression pattern: \(\[0-9a-zA-Z\]\[_-\]\?\)\{1,63\}$/,
      ],
      [
        {
          jobTags: [
            { key: 'team', value: 'ok' },
            { key: 'bad#key', value: 'x' },
          ],
        },
        /Value 'bad#key' at 'jobTags.2.member.key' failed to satisfy constraint: Member must satisfy regular expression pattern/,
      ],
      [{ roleArn: 'not-an-arn' }, /at 'roleArn'/],
      [{ trainingDataConfig: { s3Uri: 'https://example.com/x' } }, /trainingDataConfig.s3Uri/],
      [{ hyperParameters: { epochCount: '9' } }, /epochCount.*between 1 and 5/],
      [{ hyperParameters: { batchSize: '2' } }, /batchSize is not supported/],
    ];
    for (const [patch, message] of cases) {
      const error = await rejection(
        bedrock.send(new CreateModelCustomizationJobCommand({ ...jobInput('v-job'), ...patch } as never)),
      );
      expect(error.name).toBe('ValidationException');
      expect(error.$metadata.httpStatusCode).toBe(400);
      expect(error.message).toMatch(message);
    }
  });

  it('ResourceNotFoundException, ConflictException, and idempotent creates', async () => {
    const missing = await rejection(
      bedrock.send(new GetModelCustomizationJobCommand({ jobIdentifier: 'no-such-job' })),
    );
    expect(missing.name).toBe('ResourceNotFoundException');
    expect(missing.$metadata.httpStatusCode).toBe(404);
    const badBase = await rejection(
      bedrock.send(
        new CreateModelCustomizationJobCommand({
          ...jobInput('x-job'),
          baseModelIdentifier: 'acme.unknown-v1:0',
        }),
      ),
    );
    expect(badBase.name).toBe('ResourceNotFoundException');

    const a = await bedrock.send(
      new CreateModelCustomizationJobCommand({ ...jobInput('idem'), clientRequestToken: 'token-1' }),
    );
    const b = await bedrock.send(
      new CreateModelCustomizationJobCommand({ ...jobInput('idem'), clientRequestToken: 'token-1' }),
    );
    expect(b.jobArn).toBe(a.jobArn);
    const dup = await rejection(
      bedrock.send(new CreateModelCustomizationJobCommand({ ...jobInput('idem'), customModelName: 'other' })),
    );
    expect(dup.name).toBe('ConflictException');
    expect(dup.$metadata.httpStatusCode).toBe(400);
    await waitFor(
      () => bedrock.send(new GetModelCustomizationJobCommand({ jobIdentifier: a.jobArn })),
      (j) => j.status !== 'InProgress',
    );
  });

  it('ThrottlingException and InternalServerException from injected faults (admin endpoint)', async () => {
    const post = (body: unknown) =>
      fetch(`${stack.endpoint}/_tunekit/faults`, { method: 'POST', body: JSON.stringify(body) });
    expect((await post({ rules: [{ api: 'ListCustomModels', throttleRate: 1 }] })).status).toBe(200);
    const throttled = await rejection(bedrock.send(new ListCustomModelsCommand({})));
    expect(throttled.name).toBe('ThrottlingException');
    expect(throttled.$metadata.httpStatusCode).toBe(429);
    await post({ rules: [{ api: 'ListCustomModels', errorRate: 1 }] });
    const internal = await rejection(bedrock.send(new ListCustomModelsCommand({})));
    expect(internal.name).toBe('InternalServerException');
    expect(internal.$metadata.httpStatusCode).toBe(500);
    const bad = await post({ rules: [{ api: 'X', throttleRate: 5 }] });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/rules.0.throttleRate/);
    await fetch(`${stack.endpoint}/_tunekit/faults`, { method: 'DELETE' });
    await bedrock.send(new ListCustomModelsCommand({}));
  });
});

describe('local Bedrock: quota, stop and restart', () => {
  it('refuses a job beyond the concurrency quota, stops a job, fails jobs cut off by a stop', async () => {
    const engine = memorisingEngine({ stepDelayMs: 200 });
    const dataDir = tempDir();
    const options = {
      port: 0,
      dataDir,
      maxConcurrentJobs: 2,
      log: () => {},
      overrides: { engine, trainer: inProcessTrainer(engine, dataset) },
    };
    const slow = await startLocalStack(options);
    try {
      const c = clients(slow);
      await c.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
      await c.s3.send(
        new PutObjectCommand({
          Bucket: BUCKET,
          Key: 'training-data/train.jsonl',
          Body: readFileSync(SAMPLES.tutorialConversation),
        }),
      );
      await c.s3.send(
        new PutObjectCommand({
          Bucket: BUCKET,
          Key: 'training-data/validation.jsonl',
          Body: readFileSync(SAMPLES.tutorialConversation),
        }),
      );
      const one = await c.bedrock.send(new CreateModelCustomizationJobCommand(jobInput('slow-1')));
      const two = await c.bedrock.send(new CreateModelCustomizationJobCommand(jobInput('slow-2')));
      const quota = await rejection(
        c.bedrock.send(new CreateModelCustomizationJobCommand(jobInput('slow-3'))),
      );
      expect(quota.name).toBe('ServiceQuotaExceededException');
      expect(quota.$metadata.httpStatusCode).toBe(400);

      await c.bedrock.send(new StopModelCustomizationJobCommand({ jobIdentifier: one.jobArn }));
      const stopped = await waitFor(
        () => c.bedrock.send(new GetModelCustomizationJobCommand({ jobIdentifier: one.jobArn })),
        (j) => j.status === 'Stopped',
      );
      expect(stopped.endTime).toBeInstanceOf(Date);
      const again = await rejection(
        c.bedrock.send(new StopModelCustomizationJobCommand({ jobIdentifier: one.jobArn })),
      );
      expect(again.name).toBe('ConflictException');
      expect(
        (await c.bedrock.send(new GetModelCustomizationJobCommand({ jobIdentifier: two.jobArn }))).status,
      ).toBe('InProgress');
      await slow.stop();

      // Restarted on the same data dir: the job cut off by the stop is Failed with a clear message, not stuck.
      const restarted = await startLocalStack(options);
      try {
        const r = clients(restarted);
        const job = await r.bedrock.send(new GetModelCustomizationJobCommand({ jobIdentifier: two.jobArn }));
        expect(job.status).toBe('Failed');
        expect(job.failureMessage).toMatch(/local stack was stopped while this job was running/);
        expect(
          (await r.bedrock.send(new GetModelCustomizationJobCommand({ jobIdentifier: 'slow-1' }))).status,
        ).toBe('Stopped');
      } finally {
        await restarted.stop();
      }
    } finally {
      await slow.stop();
    }
  });
});

describe('local Bedrock: --strict-lifecycle', () => {
  it('refuses end-of-life models as Bedrock does', async () => {
    const engine = memorisingEngine();
    const strict = await startLocalStack({
      port: 0,
      dataDir: tempDir(),
      strictLifecycle: true,
      log: () => {},
      overrides: { engine, trainer: inProcessTrainer(engine, dataset) },
    });
    try {
      const c = clients(strict);
      const invoke = await rejection(
        c.runtime.send(
          new InvokeModelCommand({
            modelId: 'amazon.titan-text-express-v1',
            contentType: 'application/json',
            body: JSON.stringify({ inputText: 'hi' }),
          }),
        ),
      );
      expect(invoke.name).toBe('ResourceNotFoundException');
      expect(invoke.message).toMatch(/This model version has reached the end of its life/);
      const create = await rejection(
        c.bedrock.send(
          new CreateModelCustomizationJobCommand({
            ...jobInput('titan-job'),
            baseModelIdentifier: 'amazon.titan-text-express-v1',
            hyperParameters: {},
          }),
        ),
      );
      expect(create.name).toBe('ResourceNotFoundException');
      const nova = await c.runtime.send(
        new ConverseCommand({
          modelId: 'amazon.nova-micro-v1:0',
          messages: [{ role: 'user', content: [{ text: 'hi' }] }],
        }),
      );
      expect(nova.output?.message?.content?.[0]?.text).toBeTruthy();
    } finally {
      await strict.stop();
    }
  });
});

describe('local stack server: routing by SigV4 scope', () => {
  it('routes a registered service by its signing name and adds its endpoint to env', async () => {
    expect(stack.env.AWS_ENDPOINT_URL_SFN).toBeUndefined();
    stack.registerService('states', (req, res) => {
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify({ target: req.headers['x-amz-target'] }));
    });
    expect(stack.env.AWS_ENDPOINT_URL_SFN).toBe(stack.endpoint);
    const res = await signedFetch(stack.endpoint, stack.credentials, 'states', {
      headers: { 'x-amz-target': 'AWSStepFunctions.ListStateMachines' },
      body: '{}',
    });
    expect(await res.json()).toEqual({ target: 'AWSStepFunctions.ListStateMachines' });
    const unknown = await signedFetch(stack.endpoint, stack.credentials, 'sqs', { body: '' });
    expect(unknown.status).toBe(400);
    expect(unknown.headers.get('x-amzn-errortype')).toBe('UnknownServiceException');
    const unsigned = await fetch(`${stack.endpoint}/model-customization-jobs`);
    expect(unsigned.status).toBe(403);
    const health = (await (await fetch(`${stack.endpoint}/_tunekit/health`)).json()) as {
      services: string[];
    };
    expect(health.services).toEqual(expect.arrayContaining(['s3', 'bedrock', 'bedrock-runtime', 'states']));
  });
});
