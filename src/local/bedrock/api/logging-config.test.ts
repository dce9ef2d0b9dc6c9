import {
  DeleteModelInvocationLoggingConfigurationCommand,
  GetModelInvocationLoggingConfigurationCommand,
  type LoggingConfig,
  PutModelInvocationLoggingConfigurationCommand,
} from '@aws-sdk/client-bedrock';
import { afterEach, describe, expect, it } from 'vitest';
import { type SdkStack, startSdkStack } from '../fixtures/sdk-stack.ts';

let local: SdkStack | undefined;
afterEach(async () => {
  await local?.stop();
  local = undefined;
});

const put = (loggingConfig: LoggingConfig) =>
  local!.bedrock.send(new PutModelInvocationLoggingConfigurationCommand({ loggingConfig }));
const get = () => local!.bedrock.send(new GetModelInvocationLoggingConfigurationCommand({}));

async function refusal(loggingConfig: LoggingConfig) {
  const error = await put(loggingConfig).then(
    () => undefined,
    (e: Error & { $metadata: { httpStatusCode: number } }) => e,
  );
  expect(error, 'expected a refusal').toBeDefined();
  return { name: error!.name, status: error!.$metadata.httpStatusCode, message: error!.message };
}

describe('local Bedrock: model invocation logging configuration', () => {
  it('puts, gets back (also after a restart) and deletes the configuration', async () => {
    local = await startSdkStack({ buckets: ['invocation-logs'] });
    expect((await get()).loggingConfig).toBeUndefined();
    const loggingConfig = {
      s3Config: { bucketName: 'invocation-logs', keyPrefix: 'bedrock' },
      textDataDeliveryEnabled: true,
      imageDataDeliveryEnabled: false,
    };
    await put(loggingConfig);
    expect((await get()).loggingConfig).toEqual(loggingConfig);

    const { dataDir } = local;
    await local.stop();
    local = await startSdkStack({ dataDir });
    expect((await get()).loggingConfig).toEqual(loggingConfig);

    await local.bedrock.send(new DeleteModelInvocationLoggingConfigurationCommand({}));
    expect((await get()).loggingConfig).toBeUndefined();
  });

  it('refuses a bucket that does not exist, CloudWatch Logs, no destination and bad members, naming the fix', async () => {
    local = await startSdkStack({ buckets: ['invocation-logs'] });
    expect(
      await refusal({ s3Config: { bucketName: 'no-such-bucket' }, textDataDeliveryEnabled: true }),
    ).toEqual({
      name: 'ValidationException',
      status: 400,
      message: expect.stringMatching(/bucket no-such-bucket does not exist.*aws s3 mb s3:\/\/no-such-bucket/),
    });
    expect(
      await refusal({
        s3Config: { bucketName: 'invocation-logs' },
        cloudWatchConfig: { logGroupName: 'bedrock', roleArn: 'arn:aws:iam::000000000000:role/logs' },
      }),
    ).toMatchObject({ name: 'ValidationException', message: expect.stringMatching(/S3 only.*s3Config/) });
    expect(await refusal({ textDataDeliveryEnabled: true })).toMatchObject({
      name: 'ValidationException',
      message: expect.stringMatching(/no destination: pass loggingConfig\.s3Config/),
    });
    expect(await refusal({ s3Config: { bucketName: 'ab' } })).toMatchObject({
      message: expect.stringMatching(
        /'loggingConfig\.s3Config\.bucketName' failed to satisfy constraint: Member must have length greater than or equal to 3/,
      ),
    });
    expect(
      await refusal({
        s3Config: { bucketName: 'invocation-logs' },
        textDataDeliveryEnabled: 'yes' as unknown as boolean,
      }),
    ).toMatchObject({
      message: expect.stringMatching(/loggingConfig\.textDataDeliveryEnabled must be true or false/),
    });
    // Nothing refused was stored.
    expect((await get()).loggingConfig).toBeUndefined();
  });
});
