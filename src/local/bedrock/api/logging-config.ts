import type { BedrockContext } from '../context.ts';
import { constraintError, validation } from '../errors.ts';
import type { LoggingConfig, SettingsRecord } from '../records.ts';
import { noUnknown, object } from '../validate.ts';

import type { Route } from './types.ts';

/**
 * Model invocation logging configuration: Put/Get/DeleteModelInvocationLoggingConfiguration on
 * /logging/modelinvocations (PUT/GET/DELETE, 200), with botocore's shapes (bedrock 2023-04-20: LoggingConfig
 * {cloudWatchConfig?, s3Config? {bucketName 3-63, keyPrefix 0-1024}, textDataDeliveryEnabled?,
 * imageDataDeliveryEnabled?, embeddingDataDeliveryEnabled?, videoDataDeliveryEnabled?,
 * audioDataDeliveryEnabled?}). One configuration per account and Region
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/model-invocation-logging.html).
 *
 * The local stack has no CloudWatch Logs, so it delivers to S3 only and refuses a cloudWatchConfig rather
 * than accept a destination it would never write to. That AWS checks the destination bucket when the
 * configuration is put (the local stack refuses a missing bucket) is UNCONFIRMED, as is the wording of the
 * local refusals.
 */

const ID: SettingsRecord['id'] = 'model-invocation-logging';
const DELIVERY = [
  'textDataDeliveryEnabled',
  'imageDataDeliveryEnabled',
  'embeddingDataDeliveryEnabled',
  'videoDataDeliveryEnabled',
  'audioDataDeliveryEnabled',
] as const;

function lengthBetween(field: string, value: unknown, min: number, max: number): string {
  if (typeof value !== 'string') throw validation(`${field} must be a string`);
  if (value.length < min)
    throw constraintError(field, value, `Member must have length greater than or equal to ${min}`);
  if (value.length > max)
    throw constraintError(field, value, `Member must have length less than or equal to ${max}`);
  return value;
}

export async function parseLoggingConfig(
  ctx: BedrockContext,
  body: Record<string, unknown>,
): Promise<LoggingConfig> {
  const config = object(body.loggingConfig, 'loggingConfig', true)!;
  noUnknown(config, 'loggingConfig', ['cloudWatchConfig', 's3Config', ...DELIVERY]);
  if (config.cloudWatchConfig !== undefined && config.cloudWatchConfig !== null)
    throw validation(
      'loggingConfig.cloudWatchConfig: the local stack has no CloudWatch Logs and delivers invocation logs to S3 only. Remove cloudWatchConfig and pass loggingConfig.s3Config {bucketName, keyPrefix}.',
    );
  const s3 = object(config.s3Config, 'loggingConfig.s3Config', false);
  if (!s3)
    throw validation(
      'loggingConfig names no destination: pass loggingConfig.s3Config {bucketName, keyPrefix} (the local stack delivers invocation logs to S3).',
    );
  noUnknown(s3, 'loggingConfig.s3Config', ['bucketName', 'keyPrefix']);
  if (s3.bucketName === undefined || s3.bucketName === null)
    throw constraintError('loggingConfig.s3Config.bucketName', 'null', 'Member must not be null');
  const bucketName = lengthBetween('loggingConfig.s3Config.bucketName', s3.bucketName, 3, 63);
  const keyPrefix =
    s3.keyPrefix === undefined || s3.keyPrefix === null
      ? undefined
      : lengthBetween('loggingConfig.s3Config.keyPrefix', s3.keyPrefix, 0, 1024);
  // "Only destinations from the same account and Region are supported" (model-invocation-logging.html):
  // here, a bucket of the local S3.
  if (!(await ctx.store.bucketExists(bucketName)))
    throw validation(
      `loggingConfig.s3Config.bucketName: the bucket ${bucketName} does not exist in the local S3. Create it first (aws s3 mb s3://${bucketName}) or name an existing bucket.`,
    );
  const out: LoggingConfig = { s3Config: { bucketName, ...(keyPrefix !== undefined ? { keyPrefix } : {}) } };
  for (const name of DELIVERY) {
    const value = config[name];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'boolean')
      throw validation(`loggingConfig.${name} must be true or false (got ${JSON.stringify(value)}).`);
    out[name] = value;
  }
  return out;
}

/** The current configuration; undefined when logging is off (never configured, or deleted). */
export function loggingConfigOf(ctx: BedrockContext): LoggingConfig | undefined {
  return ctx.state.settings.get(ID)?.loggingConfig;
}

export const loggingRoutes: Route[] = [
  {
    api: 'PutModelInvocationLoggingConfiguration',
    method: 'PUT',
    path: '/logging/modelinvocations',
    handler: async (ctx, req) => {
      ctx.state.settings.put({ id: ID, loggingConfig: await parseLoggingConfig(ctx, req.body) });
      return { status: 200, body: {} };
    },
  },
  {
    api: 'GetModelInvocationLoggingConfiguration',
    method: 'GET',
    path: '/logging/modelinvocations',
    handler: (ctx) => {
      const loggingConfig = loggingConfigOf(ctx);
      return { status: 200, body: loggingConfig ? { loggingConfig } : {} };
    },
  },
  {
    api: 'DeleteModelInvocationLoggingConfiguration',
    method: 'DELETE',
    path: '/logging/modelinvocations',
    handler: (ctx) => {
      ctx.state.settings.delete(ID);
      return { status: 200, body: {} };
    },
  },
];
