import { existsSync, readFileSync } from 'node:fs';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { AwsClients } from '../aws/clients.ts';
import { TunekitError } from '../errors.ts';

/** Reads step_wise_training_metrics.csv from a local path or an s3://bucket/key URI. */
export async function readTrainingMetricsSource(
  source: string,
  clients: Pick<AwsClients, 's3'>,
): Promise<string> {
  const s3 = /^s3:\/\/([^/]+)\/(.+)$/.exec(source);
  if (s3) {
    try {
      const object = await clients.s3.send(new GetObjectCommand({ Bucket: s3[1], Key: s3[2] }));
      return (await object.Body?.transformToString('utf8')) ?? '';
    } catch (cause) {
      throw new TunekitError(
        'EVAL.TRAINING_METRICS',
        `cannot read ${source}: ${(cause as Error).name}: ${(cause as Error).message}`,
        {
          hint: 'check the URI: Bedrock writes it under <output>/model-customization-job-<id>/training_artifacts/',
          cause,
        },
      );
    }
  }
  if (!existsSync(source)) {
    throw new TunekitError('EVAL.TRAINING_METRICS', `training metrics file not found: ${source}`, {
      hint: 'pass a local path or an s3://bucket/key URI of step_wise_training_metrics.csv',
    });
  }
  return readFileSync(source, 'utf8');
}
