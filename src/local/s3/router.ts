import * as buckets from './handlers/buckets.ts';
import type { S3Context } from './handlers/context.ts';
import { copyObject } from './handlers/copy-object.ts';
import { deleteObject, deleteObjects } from './handlers/delete-objects.ts';
import { getObject } from './handlers/get-object.ts';
import { listObjectsV1, listObjectsV2 } from './handlers/list-objects.ts';
import * as multipart from './handlers/multipart.ts';
import { putObject } from './handlers/put-object.ts';
import { header } from './http-io.ts';
import { notImplemented, S3Error } from './s3-error.ts';

/**
 * Sub-resources we do not serve. A request naming one gets 501 NotImplemented rather than being mistaken
 * for the plain operation (e.g. `PUT /b/k?tagging` must not overwrite the object with the tag XML).
 */
const UNSUPPORTED = [
  'acl',
  'tagging',
  'policy',
  'policyStatus',
  'cors',
  'lifecycle',
  'website',
  'logging',
  'replication',
  'encryption',
  'ownershipControls',
  'publicAccessBlock',
  'accelerate',
  'requestPayment',
  'analytics',
  'metrics',
  'inventory',
  'intelligent-tiering',
  'object-lock',
  'legal-hold',
  'retention',
  'restore',
  'select',
  'attributes',
  'torrent',
  'versions',
  'versionId',
  'renameObject',
  'session',
  'metadataTable',
];

/** Maps method + path + sub-resource to the S3 operation, as the S3 REST API defines them. */
export async function route(ctx: S3Context): Promise<void> {
  const { method, bucket, key, query } = ctx.s3req;
  const unsupported = UNSUPPORTED.find((name) => query.has(name));
  if (unsupported !== undefined) throw notImplemented(`the "${unsupported}" sub-resource (${method})`);
  if (bucket === undefined) {
    if (method === 'GET') return buckets.listBuckets(ctx);
    throw new S3Error('MethodNotAllowed', 405, 'The specified method is not allowed against this resource.');
  }
  if (key === undefined) return routeBucket(ctx, bucket);
  const uploadId = query.get('uploadId') ?? undefined;
  switch (method) {
    case 'PUT':
      if (uploadId !== undefined) {
        if (header(ctx.req, 'x-amz-copy-source') !== undefined)
          return multipart.uploadPartCopy(ctx, bucket, key, uploadId);
        return multipart.uploadPart(ctx, bucket, key, uploadId);
      }
      if (header(ctx.req, 'x-amz-copy-source') !== undefined) return copyObject(ctx, bucket, key);
      return putObject(ctx, bucket, key);
    case 'GET':
      if (uploadId !== undefined) return multipart.listParts(ctx, bucket, key, uploadId);
      return getObject(ctx, bucket, key, false);
    case 'HEAD':
      return getObject(ctx, bucket, key, true);
    case 'DELETE':
      if (uploadId !== undefined) return multipart.abortMultipartUpload(ctx, bucket, uploadId);
      return deleteObject(ctx, bucket, key);
    case 'POST':
      if (query.has('uploads')) return multipart.createMultipartUpload(ctx, bucket, key);
      if (uploadId !== undefined) return multipart.completeMultipartUpload(ctx, bucket, key, uploadId);
      throw notImplemented('POST object uploads (browser forms)');
    default:
      throw new S3Error(
        'MethodNotAllowed',
        405,
        'The specified method is not allowed against this resource.',
      );
  }
}

async function routeBucket(ctx: S3Context, bucket: string): Promise<void> {
  const { method, query } = ctx.s3req;
  switch (method) {
    case 'PUT':
      if (query.has('notification')) return buckets.putBucketNotification(ctx, bucket);
      if (query.has('versioning')) throw notImplemented('bucket versioning');
      return buckets.createBucket(ctx, bucket);
    case 'HEAD':
      return buckets.headBucket(ctx, bucket);
    case 'DELETE':
      return buckets.deleteBucket(ctx, bucket);
    case 'POST':
      if (query.has('delete')) return deleteObjects(ctx, bucket);
      throw notImplemented('POST object uploads (browser forms)');
    case 'GET':
      if (query.has('location')) return buckets.getBucketLocation(ctx, bucket);
      if (query.has('versioning')) return buckets.getBucketVersioning(ctx, bucket);
      if (query.has('notification')) return buckets.getBucketNotification(ctx, bucket);
      if (query.has('uploads')) return multipart.listMultipartUploads(ctx, bucket);
      if (query.get('list-type') === '2') return listObjectsV2(ctx, bucket);
      return listObjectsV1(ctx, bucket);
    default:
      throw new S3Error(
        'MethodNotAllowed',
        405,
        'The specified method is not allowed against this resource.',
      );
  }
}
