import { readCredentialScope } from '../../sigv4-scope.ts';
import { readSmallBody, sendEmpty, sendXml } from '../http-io.ts';
import { bucketNameProblem } from '../key-encoding.ts';
import { S3Error } from '../s3-error.ts';
import { parseXml, renderXml, S3_XMLNS } from '../xml.ts';
import { LOCAL_OWNER, type S3Context } from './context.ts';

export function listBuckets(ctx: S3Context): void {
  const buckets = ctx.disk
    .bucketNames()
    .map((b) => ({ Name: b.name, CreationDate: b.creationDate, BucketRegion: b.region }));
  const prefix = ctx.s3req.query.get('prefix') ?? '';
  const xml = renderXml('ListAllMyBucketsResult', {
    Owner: LOCAL_OWNER,
    Buckets: { Bucket: buckets.filter((b) => b.Name.startsWith(prefix)) },
  });
  sendXml(ctx.res, ctx.s3req, 200, xml);
}

export async function createBucket(ctx: S3Context, bucket: string): Promise<void> {
  const problem = bucketNameProblem(bucket);
  if (problem !== '')
    throw new S3Error('InvalidBucketName', 400, `The specified bucket is not valid. ${problem}`, {
      BucketName: bucket,
    });
  const body = await readSmallBody(ctx.req);
  // The bucket lives in the region the client signed for (like an S3 regional endpoint), unless the body
  // names one.
  let region = signedRegion(ctx) ?? ctx.region;
  if (body.trim() !== '') {
    const config = parseXml(body, 'CreateBucketConfiguration');
    const constraint = config.LocationConstraint;
    if (typeof constraint === 'string' && constraint !== '') region = constraint;
  }
  await ctx.disk.createBucket(bucket, region);
  sendEmpty(ctx.res, ctx.s3req, 200, { location: `/${bucket}` });
}

/** The region in the SigV4 credential scope (Authorization header or presigned query), if any. */
function signedRegion(ctx: S3Context): string | undefined {
  const region = readCredentialScope(ctx.req)?.region;
  return region !== undefined && /^[a-z0-9-]+$/.test(region) ? region : undefined;
}

export async function deleteBucket(ctx: S3Context, bucket: string): Promise<void> {
  await ctx.disk.deleteBucket(bucket);
  sendEmpty(ctx.res, ctx.s3req, 204);
}

export function headBucket(ctx: S3Context, bucket: string): void {
  const state = ctx.disk.bucket(bucket);
  sendEmpty(ctx.res, ctx.s3req, 200, { 'x-amz-bucket-region': state.record.region });
}

export function getBucketLocation(ctx: S3Context, bucket: string): void {
  const { region } = ctx.disk.bucket(bucket).record;
  // us-east-1 is reported as an empty LocationConstraint, as S3 does for historical reasons.
  const value = region === 'us-east-1' ? '' : region;
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="${S3_XMLNS}">${value}</LocationConstraint>`;
  sendXml(ctx.res, ctx.s3req, 200, xml);
}

export function getBucketVersioning(ctx: S3Context, bucket: string): void {
  ctx.disk.bucket(bucket);
  sendXml(ctx.res, ctx.s3req, 200, renderXml('VersioningConfiguration', {}));
}

/**
 * PutBucketNotificationConfiguration: stored verbatim. `<EventBridgeConfiguration/>` marks the bucket as
 * sending object events to EventBridge (the local stack emits events for every bucket regardless; the flag
 * lets the trigger layer honour the same switch as AWS).
 */
export async function putBucketNotification(ctx: S3Context, bucket: string): Promise<void> {
  ctx.disk.bucket(bucket);
  const body = await readSmallBody(ctx.req);
  const config = parseXml(body, 'NotificationConfiguration', ['TopicConfiguration', 'QueueConfiguration']);
  const unsupported = [
    'TopicConfiguration',
    'QueueConfiguration',
    'CloudFunctionConfiguration',
    'LambdaFunctionConfiguration',
  ].filter((name) => name in config);
  if (unsupported.length > 0) {
    // Nothing local could receive SNS/SQS/Lambda notifications; storing them would pretend otherwise.
    throw new S3Error(
      'NotImplemented',
      501,
      `The local S3 only supports EventBridgeConfiguration notifications, not ${unsupported.join(', ')}.`,
    );
  }
  await ctx.disk.updateBucket(bucket, {
    notificationXml: body,
    eventBridgeEnabled: 'EventBridgeConfiguration' in config,
  });
  sendEmpty(ctx.res, ctx.s3req, 200);
}

export function getBucketNotification(ctx: S3Context, bucket: string): void {
  const { notificationXml } = ctx.disk.bucket(bucket).record;
  sendXml(ctx.res, ctx.s3req, 200, notificationXml ?? renderXml('NotificationConfiguration', {}));
}
