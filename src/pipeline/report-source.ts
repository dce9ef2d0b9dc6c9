import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { TunekitError } from '../errors.ts';
import { type EvalReport, parseReport } from '../evaluation/index.ts';
import { parseS3Uri } from './tasks/context.ts';

/**
 * A pipeline evaluation report read from S3 (ScoreEvaluation writes it to `reports/<run>/evaluation-report.json`;
 * runs and registry versions carry its `reportUri`). Used by the dashboard and `tunekit registry compare`.
 */
export async function readReportAt(s3: S3Client, uri: string): Promise<EvalReport> {
  const location = parseS3Uri(uri);
  if (!location?.key)
    throw new TunekitError('EVAL.REPORT_UNREADABLE', `not an s3:// object URI: ${uri}`, {
      hint: 'a report URI looks like s3://<bucket>/reports/<run>/evaluation-report.json',
    });
  let text: string;
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: location.bucket, Key: location.key }));
    text = (await object.Body?.transformToString()) ?? '';
  } catch (error) {
    if ((error as Error).name !== 'NoSuchKey' && (error as Error).name !== 'NotFound') throw error;
    throw new TunekitError('EVAL.REPORT_NOT_FOUND', `no evaluation report at ${uri}`, {
      hint: 'it was deleted from the bucket (a lifecycle rule?); re-run the evaluation to write it again',
    });
  }
  return parseReport(text, uri);
}
