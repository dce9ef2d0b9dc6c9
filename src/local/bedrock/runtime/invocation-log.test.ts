import { PutModelInvocationLoggingConfigurationCommand } from '@aws-sdk/client-bedrock';
import { ConverseCommand, InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import { DeleteBucketCommand, GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invocationLogText, parseInvocationLog } from '../../../dataset/invocation-logs.ts';
import { type SdkStack, startSdkStack } from '../fixtures/sdk-stack.ts';

const BUCKET = 'invocation-logs';
let local: SdkStack;

beforeAll(async () => {
  local = await startSdkStack({ buckets: [BUCKET, 'spare-logs'] });
});
afterAll(async () => {
  await local?.stop();
});

const logging = (bucketName: string, textDataDeliveryEnabled: boolean) =>
  local.bedrock.send(
    new PutModelInvocationLoggingConfigurationCommand({
      loggingConfig: { s3Config: { bucketName, keyPrefix: 'team/logs' }, textDataDeliveryEnabled },
    }),
  );

async function logRecords(bucket: string) {
  const listed = await local.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'team/logs/' }));
  const records: Record<string, unknown>[] = [];
  for (const { Key } of listed.Contents ?? []) {
    const body = await local.s3.send(new GetObjectCommand({ Bucket: bucket, Key }));
    const text = invocationLogText(await body.Body!.transformToByteArray());
    records.push(
      ...text
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    );
  }
  return { keys: (listed.Contents ?? []).map((c) => c.Key!), records };
}

const converse = (text: string, requestMetadata?: Record<string, string>) =>
  local.runtime.send(
    new ConverseCommand({
      modelId: 'us.amazon.nova-pro-v1:0',
      system: [{ text: 'You are a banking assistant.' }],
      messages: [{ role: 'user', content: [{ text }] }],
      inferenceConfig: { maxTokens: 40 },
      requestMetadata,
    }),
  );

describe('local Bedrock Runtime: model invocation logs', () => {
  it('writes one gzipped record per Converse / InvokeModel that the distillation parser reads, with request metadata', async () => {
    await logging(BUCKET, true);
    const answer = await converse('How do I reset my PIN?', { use: 'distill', team: 'cards' });
    const invoked = await local.runtime.send(
      new InvokeModelCommand({
        modelId: 'amazon.nova-micro-v1:0',
        contentType: 'application/json',
        body: JSON.stringify({
          messages: [{ role: 'user', content: [{ text: 'What is my balance?' }] }],
          inferenceConfig: { max_new_tokens: 30 },
        }),
        requestMetadata: JSON.stringify({ use: 'eval' }),
      }),
    );
    const invokedBody = JSON.parse(new TextDecoder().decode(invoked.body));

    const { keys, records } = await logRecords(BUCKET);
    expect(keys).toHaveLength(2);
    for (const key of keys)
      expect(key).toMatch(
        /^team\/logs\/AWSLogs\/000000000000\/BedrockModelInvocationLogs\/us-east-1\/\d{4}\/\d{2}\/\d{2}\/\d{2}\/[^/]+\.json\.gz$/,
      );
    const byOperation = Object.fromEntries(records.map((r) => [r.operation, r]));
    expect(byOperation.Converse).toMatchObject({
      schemaType: 'ModelInvocationLog',
      schemaVersion: '1.0',
      accountId: '000000000000',
      identity: { arn: 'arn:aws:iam::000000000000:user/tunekit-local' },
      region: 'us-east-1',
      requestId: answer.$metadata.requestId,
      modelId: 'us.amazon.nova-pro-v1:0',
      input: {
        inputContentType: 'application/json',
        inputBodyJson: { messages: [{ role: 'user', content: [{ text: 'How do I reset my PIN?' }] }] },
        inputTokenCount: answer.usage!.inputTokens,
      },
      output: { outputTokenCount: answer.usage!.outputTokens },
      requestMetadata: { use: 'distill', team: 'cards' },
    });
    expect(byOperation.InvokeModel).toMatchObject({
      modelId: 'amazon.nova-micro-v1:0',
      requestId: invoked.$metadata.requestId,
      output: { outputBodyJson: invokedBody },
      requestMetadata: { use: 'eval' },
    });

    const converseEntry = parseInvocationLog(byOperation.Converse);
    expect(converseEntry).toEqual({
      ok: true,
      entry: {
        modelId: 'us.amazon.nova-pro-v1:0',
        operation: 'Converse',
        requestMetadata: { use: 'distill', team: 'cards' },
        prompt: {
          system: 'You are a banking assistant.',
          turns: [{ role: 'user', text: 'How do I reset my PIN?' }],
        },
        response: answer.output!.message!.content![0]!.text,
      },
    });
    const invokeEntry = parseInvocationLog(byOperation.InvokeModel);
    expect(invokeEntry.ok && invokeEntry.entry.response).toBe(invokedBody.output.message.content[0].text);
  });

  it('writes nothing without text data delivery; a delivery failure never fails the call; bad metadata is refused', async () => {
    await logging('spare-logs', false);
    await converse('Is there a fee?');
    expect((await logRecords('spare-logs')).keys).toEqual([]);

    await logging('spare-logs', true);
    await local.s3.send(new DeleteBucketCommand({ Bucket: 'spare-logs' }));
    const answer = await converse('Is there a fee?');
    expect(answer.output?.message?.content?.[0]?.text).toBeTypeOf('string');

    const bad = await converse('Hi', { 'bad key!': 'x' }).catch((e: Error) => e);
    expect(bad).toMatchObject({
      name: 'ValidationException',
      message: expect.stringMatching(/'requestMetadata\.key' failed to satisfy constraint/),
    });
  });
});
