import { type LocalStack, startLocalStack } from '../../src/local/stack.ts';
import { tempDir } from './helpers/cli.ts';

/**
 * The local stack for the infra suites (janitor sweep, bundled Lambdas): instant provisioning, and a
 * finished customization job seeded as an Active custom model, so deployments and no-commit Provisioned
 * Throughput can be created without training.
 */
export const SEEDED_MODEL_ARN =
  'arn:aws:bedrock:us-east-1:000000000000:custom-model/amazon.nova-micro-v1:0:128k/seeded000001';

export async function startSeededStack(): Promise<LocalStack> {
  const stack = await startLocalStack({
    port: 0,
    dataDir: tempDir(),
    provisioningDelayMs: 0,
    stateFile: false,
    log: () => {},
  });
  stack.bedrock.context.state.models.put({
    id: 'seeded000001',
    modelArn: SEEDED_MODEL_ARN,
    modelName: 'bank-model-1',
    jobName: 'bank-job-1',
    jobArn: 'arn:aws:bedrock:us-east-1:000000000000:model-customization-job/seeded000001',
    baseModelArn: 'arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-micro-v1:0:128k',
    foundationModelId: 'amazon.nova-micro-v1:0:128k',
    customizationType: 'FINE_TUNING',
    hyperParameters: {},
    trainingDataConfig: { s3Uri: 's3://b/training-data/a.jsonl' },
    validationDataConfig: { validators: [] },
    outputDataConfig: { s3Uri: 's3://b/job-outputs/' },
    creationTime: new Date().toISOString(),
    modelStatus: 'Active',
    tags: [],
  });
  return stack;
}
