import { GetObjectCommand, paginateListObjectsV2 } from '@aws-sdk/client-s3';
import type { AwsClients } from '../aws/clients.ts';
import { isInvocationLogKey, type LogFile } from '../dataset/index.ts';
import { TunekitError } from '../errors.ts';
import { parseS3Uri } from '../pipeline/tasks/context.ts';

/**
 * The log files under an invocationLogSource.s3Uri, as a distillation job reads them: every log object
 * under the prefix (not the large-payload bodies under data/), in key order, i.e. oldest hour first.
 */
export async function readInvocationLogObjects(
  clients: AwsClients,
  s3Uri: string,
  onProgress?: (files: number) => void,
): Promise<LogFile[]> {
  const location = parseS3Uri(s3Uri);
  if (!location)
    throw new TunekitError('TRAIN.LOGS_URI', `${s3Uri} is not an S3 URI`, {
      hint: 'name the bucket and prefix Bedrock writes invocation logs to, e.g. s3://my-logs/AWSLogs/',
    });
  const files: LogFile[] = [];
  try {
    const pages = paginateListObjectsV2(
      { client: clients.s3 },
      { Bucket: location.bucket, Prefix: location.key },
    );
    for await (const page of pages)
      for (const object of page.Contents ?? []) {
        if (!object.Key || !isInvocationLogKey(object.Key)) continue;
        const got = await clients.s3.send(new GetObjectCommand({ Bucket: location.bucket, Key: object.Key }));
        files.push({
          name: `s3://${location.bucket}/${object.Key}`,
          bytes: await got.Body!.transformToByteArray(),
        });
        onProgress?.(files.length);
      }
  } catch (error) {
    if ((error as Error).name === 'NoSuchBucket')
      throw new TunekitError('TRAIN.LOGS_BUCKET', `the bucket of ${s3Uri} does not exist`, {
        hint: 'use the bucket of your model invocation logging configuration (aws bedrock get-model-invocation-logging-configuration)',
      });
    throw error;
  }
  return files; // in ListObjectsV2's key order (UTF-8 binary), oldest hour first
}
