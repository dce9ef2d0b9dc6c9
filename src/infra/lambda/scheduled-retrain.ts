import { createHash } from 'node:crypto';
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { ExecutionAlreadyExists, type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { createAwsClients } from '../../aws/clients.ts';

export interface RetrainTarget {
  bucket: string;
  prefix: string;
  suffix: string;
  stateMachineArn: string;
}

export type RetrainResult =
  | { started: true; key: string; executionArn: string }
  | { started: false; reason: 'no-data' | 'already-trained'; key?: string };

/**
 * What the retraining schedule does: find the newest object under the training prefix and start the
 * pipeline with the same "Object Created" shape an upload produces. The execution name is derived from
 * bucket/key/etag, so a schedule that fires again before new data arrives starts nothing.
 */
export async function startScheduledRetrain(
  clients: { s3: Pick<S3Client, 'send'>; sfn: Pick<SFNClient, 'send'> },
  target: RetrainTarget,
): Promise<RetrainResult> {
  let newest: { key: string; etag: string; size: number; modified: Date } | undefined;
  let token: string | undefined;
  do {
    const page = await clients.s3.send(
      new ListObjectsV2Command({ Bucket: target.bucket, Prefix: target.prefix, ContinuationToken: token }),
    );
    for (const object of page.Contents ?? []) {
      if (!object.Key?.endsWith(target.suffix) || !object.LastModified) continue;
      if (!newest || object.LastModified > newest.modified) {
        newest = {
          key: object.Key,
          etag: (object.ETag ?? '').replaceAll('"', ''),
          size: object.Size ?? 0,
          modified: object.LastModified,
        };
      }
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  if (!newest) return { started: false, reason: 'no-data' };

  const digest = createHash('sha256').update(`${target.bucket}/${newest.key}/${newest.etag}`).digest('hex');
  const input = {
    version: '0',
    source: 'tunekit.schedule',
    'detail-type': 'Object Created',
    time: new Date().toISOString(),
    detail: {
      bucket: { name: target.bucket },
      object: { key: newest.key, size: newest.size, etag: newest.etag },
      reason: 'ScheduledRetrain',
    },
  };
  try {
    const out = await clients.sfn.send(
      new StartExecutionCommand({
        stateMachineArn: target.stateMachineArn,
        name: `scheduled-${digest.slice(0, 40)}`,
        input: JSON.stringify(input),
      }),
    );
    return { started: true, key: newest.key, executionArn: out.executionArn ?? '' };
  } catch (error) {
    // The name covers bucket, key and etag, so an execution with this name (running or finished within
    // Step Functions' 90-day name retention) already trained this very object.
    if (error instanceof ExecutionAlreadyExists)
      return { started: false, reason: 'already-trained', key: newest.key };
    throw error;
  }
}

export async function handler(): Promise<RetrainResult> {
  const env = (name: string) => {
    const value = process.env[name];
    if (!value) throw new Error(`scheduled-retrain: environment variable ${name} is not set`);
    return value;
  };
  const result = await startScheduledRetrain(createAwsClients(), {
    bucket: env('TUNEKIT_BUCKET'),
    prefix: env('TUNEKIT_TRAINING_PREFIX'),
    suffix: env('TUNEKIT_TRAINING_SUFFIX'),
    stateMachineArn: env('TUNEKIT_STATE_MACHINE_ARN'),
  });
  console.log(JSON.stringify(result));
  return result;
}
