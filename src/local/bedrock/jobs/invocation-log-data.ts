import { distillationJsonl } from '../../../dataset/convert.ts';
import {
  INVOCATION_LOG_LIMITS,
  type InvocationLogEntry,
  isInvocationLogKey,
  selectTrainingRecords,
} from '../../../dataset/invocation-logs.ts';
import type { ValidationIssue } from '../../../dataset/schema.ts';
import { type LogFile, readInvocationLogEntries } from '../../../dataset/validate-invocation-logs.ts';
import type { InvocationLogsConfig } from '../api/training-data-config.ts';
import type { BedrockContext } from '../context.ts';
import { JobFailure } from './job-failure.ts';
import { parseS3Uri } from './s3-uri.ts';
import type { DataFile } from './train-job.ts';

/**
 * A distillation job's training data from model invocation logs (trainingDataConfig.invocationLogsConfig):
 * every log file under the invocationLogSource prefix, each line read by the shared reader
 * (src/dataset/validate-invocation-logs.ts), unusable lines dropped and counted (Bedrock drops invalid records), the
 * records chosen by `selectTrainingRecords` (filters; with usePromptResponse only the teacher's answers).
 * The result is a bedrock-conversation-2024 file the trainer reads like an uploaded prompts file.
 *
 * AWS "highly recommends" at least 100 prompts or prompt-response pairs
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/distillation-data-prep-option-2.html); whether AWS
 * fails a job with fewer is UNCONFIRMED. The local job fails, saying what it found, so a filter typo or logs
 * of another model do not silently train a student on a handful of records.
 */

interface ReadLogs {
  entries: InvocationLogEntry[];
  files: number;
  unreadable: number;
  firstProblem?: ValidationIssue;
}

/** Every log file under the prefix, read by the dataset's reader (the one `tunekit data validate` uses). */
async function readLogs(ctx: BedrockContext, uri: string): Promise<ReadLogs> {
  const { bucket, key } = parseS3Uri(uri);
  if (!(await ctx.store.bucketExists(bucket)))
    throw new JobFailure(`Unable to access invocation logs at ${uri}: the bucket ${bucket} does not exist.`);
  const files: LogFile[] = [];
  for (const objectKey of (await ctx.store.listKeys(bucket, key)).filter(isInvocationLogKey)) {
    const bytes = await ctx.store.getObject(bucket, objectKey);
    if (bytes) files.push({ name: `s3://${bucket}/${objectKey}`, bytes }); // else deleted since the listing
  }
  let unreadable = 0;
  let firstProblem: ValidationIssue | undefined;
  const { entries } = readInvocationLogEntries(files, (issue) => {
    unreadable++;
    firstProblem ??= issue;
  });
  return { entries, files: files.length, unreadable, ...(firstProblem ? { firstProblem } : {}) };
}

/** The job's training file, built from the logs; a JobFailure when fewer than 100 records are usable. */
export async function invocationLogTrainingData(
  ctx: BedrockContext,
  config: InvocationLogsConfig,
  teacherModelId: string,
): Promise<DataFile> {
  const uri = config.invocationLogSource.s3Uri;
  const logs = await readLogs(ctx, uri);
  const { records, dropped } = selectTrainingRecords(logs.entries, {
    usePromptResponse: config.usePromptResponse,
    teacherModelId,
    requestMetadataFilters: config.requestMetadataFilters,
  });
  if (dropped.overLimit)
    ctx.log(
      `invocation logs at ${uri}: ${dropped.overLimit} records over Bedrock's limit of ${INVOCATION_LOG_LIMITS.max} left out`,
    );
  if (records.length < INVOCATION_LOG_LIMITS.recommendedMin) {
    const left = [
      `${dropped.filtered} filtered out by requestMetadataFilters`,
      ...(config.usePromptResponse
        ? [
            `${dropped.otherModel} answered by a model other than the teacher ${teacherModelId}`,
            `${dropped.noResponse} without a logged answer`,
          ]
        : []),
      `${logs.unreadable} unreadable`,
    ];
    const first = logs.firstProblem;
    const example = first
      ? ` First unreadable record: ${first.file}${first.line ? `:${first.line}` : ''} ${first.path}: ${first.message} (${first.hint}).`
      : '';
    throw new JobFailure(
      `Not enough invocation logs to distill from at ${uri}: ${records.length} usable record(s) in ${logs.files} log file(s), ` +
        `at least ${INVOCATION_LOG_LIMITS.recommendedMin} are needed (AWS recommends at least ${INVOCATION_LOG_LIMITS.recommendedMin}). ` +
        `Left out: ${left.join(', ')}.${example} ` +
        `Fix: invoke ${config.usePromptResponse ? `the teacher ${teacherModelId}` : 'the models'} with model invocation logging on (textDataDeliveryEnabled: true) until at least ${INVOCATION_LOG_LIMITS.recommendedMin} records match, check requestMetadataFilters and invocationLogSource.s3Uri, or pass a prompts file in trainingDataConfig.s3Uri; then start a new job.`,
    );
  }
  return { uri, buffer: Buffer.from(distillationJsonl(records)) };
}
