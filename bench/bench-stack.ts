import { BedrockClient } from '@aws-sdk/client-bedrock';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { startLocalStack } from '../src/local/stack.ts';

/** The bucket every benchmark uploads its data to. */
export const BENCH_BUCKET = 'bench';

/**
 * A local stack for a benchmark, in `dataDir`: on a free port, deployments ready at once, quiet, no state
 * file (so it never collides with a stack the user runs), with SDK clients signed with its own key pair and
 * the `bench` bucket created.
 */
export async function startBenchStack(dataDir: string) {
  const stack = await startLocalStack({
    port: 0,
    dataDir,
    provisioningDelayMs: 0,
    log: () => {},
    stateFile: false,
  });
  const common = { region: 'us-east-1', endpoint: stack.endpoint, credentials: stack.credentials };
  const s3 = new S3Client({ ...common, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: BENCH_BUCKET }));
  return { stack, bedrock: new BedrockClient(common), runtime: new BedrockRuntimeClient(common), s3 };
}
