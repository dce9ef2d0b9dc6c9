import {
  type BedrockClient,
  CreateProvisionedModelThroughputCommand,
  DeleteProvisionedModelThroughputCommand,
} from '@aws-sdk/client-bedrock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAwsClients } from '../../src/aws/clients.ts';
import type { LocalStack } from '../../src/local/stack.ts';
import { startSeededStack } from './infra-stack.ts';

/** Provisioned Throughput limits of a real account (bedrock-facts §5.1), on an Active seeded custom model. */

let stack: LocalStack;
let bedrock: BedrockClient;
const savedEnv = { ...process.env };

beforeAll(async () => {
  stack = await startSeededStack();
  Object.assign(process.env, stack.env);
  ({ bedrock } = createAwsClients({ endpoints: { bedrock: stack.endpoint }, maxAttempts: 1 }));
});
afterAll(async () => {
  await stack?.stop();
  process.env = savedEnv;
});

const pt = (name: string, extra: Record<string, unknown> = {}) =>
  bedrock.send(
    new CreateProvisionedModelThroughputCommand({
      provisionedModelName: name,
      modelId: 'bank-model-1',
      modelUnits: 1,
      ...extra,
    }),
  );
const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e) => e as Error & { $metadata: { httpStatusCode: number } },
  );

describe('local Bedrock: no-commitment Provisioned Throughput limits', () => {
  it('allows 1 model unit per no-commitment PT and 2 such PTs per account, as AWS does', async () => {
    const big = await failure(pt('too-big', { modelUnits: 2 }));
    expect(big.name).toBe('ValidationException');
    expect(big.message).toMatch(/limited to 1 model unit/);

    const a = await pt('pt-a');
    await pt('pt-b');
    const third = await failure(pt('pt-c'));
    expect(third.name).toBe('ServiceQuotaExceededException');
    expect(third.$metadata.httpStatusCode).toBe(400);

    // Deleting one frees its place.
    await bedrock.send(
      new DeleteProvisionedModelThroughputCommand({ provisionedModelId: a.provisionedModelArn }),
    );
    await pt('pt-c');
  });

  it('refuses a no-commitment PT for a base model (base models need a term)', async () => {
    const base = await failure(pt('base-pt', { modelId: 'amazon.nova-micro-v1:0:128k' }));
    expect(base.name).toBe('ValidationException');
    expect(base.message).toMatch(/requires a commitment term/);
  });
});
