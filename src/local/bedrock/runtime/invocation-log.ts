import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { INVOCATION_LOG_SCHEMA_TYPE } from '../../../dataset/invocation-logs.ts';
import { localCallerArn } from '../../sts/sts-service.ts';
import { loggingConfigOf } from '../api/logging-config.ts';
import type { BedrockContext } from '../context.ts';

const gzipAsync = promisify(gzip);

import { joinKey } from '../jobs/s3-uri.ts';

/**
 * Model invocation logs, delivered the way Bedrock delivers them to S3: one record per successful
 * InvokeModel / Converse when the logging configuration has s3Config and textDataDeliveryEnabled, as
 * gzip-compressed JSON Lines under `<keyPrefix>/AWSLogs/<account>/BedrockModelInvocationLogs/<region>/
 * YYYY/MM/DD/HH/` (the prefix from AWS's bucket policy for log delivery, model-invocation-logging.html; the
 * date folders and the file name are UNCONFIRMED: AWS samples show them, its reference does not). The
 * record's members are those of AWS's examples (add-metadata-to-prompts.html, rft-option-2.html): schemaType,
 * schemaVersion, timestamp, accountId, identity.arn, region, requestId, operation, modelId, input, output,
 * requestMetadata. src/dataset/invocation-logs.ts reads them back.
 *
 * Bedrock writes logs after answering; here the write is awaited so a job created right after a call sees
 * its record, and a failed write is logged and never fails the invocation.
 */

export interface InvocationLogInput {
  operation: 'InvokeModel' | 'Converse';
  /** The modelId as the caller gave it (path label). */
  modelId: string;
  requestId: string;
  requestBody: unknown;
  responseBody: unknown;
  inputTokens: number;
  outputTokens: number;
  requestMetadata?: Record<string, string>;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The key of one log file; the timestamp first, so a listing is in time order. */
function invocationLogKey(
  keyPrefix: string | undefined,
  accountId: string,
  region: string,
  time: Date,
  requestId: string,
): string {
  const hour = `${time.getUTCFullYear()}/${pad(time.getUTCMonth() + 1)}/${pad(time.getUTCDate())}/${pad(time.getUTCHours())}`;
  const stamp = time.toISOString().replace(/[-:.]/g, '');
  return joinKey(
    keyPrefix ?? '',
    `AWSLogs/${accountId}/BedrockModelInvocationLogs/${region}/${hour}/${stamp}_${requestId}.json.gz`,
  );
}

export async function writeInvocationLog(ctx: BedrockContext, entry: InvocationLogInput): Promise<void> {
  const config = loggingConfigOf(ctx);
  // Text is delivered only when asked for; AWS's default for an omitted textDataDeliveryEnabled is UNCONFIRMED.
  if (!config?.s3Config || config.textDataDeliveryEnabled !== true) return;
  const { accountId, region } = ctx.options.account;
  const time = new Date();
  const record = {
    schemaType: INVOCATION_LOG_SCHEMA_TYPE,
    schemaVersion: '1.0',
    timestamp: time.toISOString(),
    accountId,
    identity: { arn: localCallerArn(accountId) },
    region,
    requestId: entry.requestId,
    operation: entry.operation,
    modelId: entry.modelId,
    input: {
      inputContentType: 'application/json',
      inputBodyJson: entry.requestBody,
      inputTokenCount: entry.inputTokens,
    },
    output: {
      outputContentType: 'application/json',
      outputBodyJson: entry.responseBody,
      outputTokenCount: entry.outputTokens,
    },
    ...(entry.requestMetadata ? { requestMetadata: entry.requestMetadata } : {}),
  };
  const { bucketName, keyPrefix } = config.s3Config;
  const key = invocationLogKey(keyPrefix, accountId, region, time, entry.requestId);
  try {
    await ctx.store.putObject(
      bucketName,
      key,
      await gzipAsync(`${JSON.stringify(record)}\n`), // off the request's thread, unlike gzipSync
      'application/x-gzip',
    );
  } catch (error) {
    ctx.log(
      `warning: could not deliver the invocation log to s3://${bucketName}/${key}: ${(error as Error)?.message ?? error}`,
    );
  }
}
