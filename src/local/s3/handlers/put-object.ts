import { checkWrite, writeConditions } from '../conditions.ts';
import { sendEmpty } from '../http-io.ts';
import { receiveBody } from '../receive-body.ts';
import { S3Error } from '../s3-error.ts';
import { commitObject } from './commit-object.ts';
import { representationFrom, type S3Context } from './context.ts';

/**
 * PutObject: the body streams to a new data file (no lock held, so large uploads to different keys run in
 * parallel); then, under the key's lock, the write conditions are checked against the current object and
 * the record is switched atomically. Losing writers' data files are removed.
 */
export async function putObject(ctx: S3Context, bucket: string, key: string): Promise<void> {
  const { req, res, s3req, disk } = ctx;
  disk.bucket(bucket);
  if (Buffer.byteLength(key, 'utf8') > 1024)
    throw new S3Error('KeyTooLongError', 400, 'Your key is too long');
  const conditions = writeConditions(req);
  // Fail fast, before storing the body, when the condition already fails; the authoritative check is
  // repeated at commit, under the key's lock.
  checkWrite(conditions, key, disk.head(bucket, key));
  const fields = representationFrom(req);
  const data = disk.newDataFile(bucket);
  const body = await receiveBody(req, data.path);
  const record = await commitObject(ctx, bucket, key, conditions, data, 'PutObject', () => ({
    ...fields,
    size: body.size,
    etag: `"${body.md5Hex}"`,
    checksums: body.checksums,
    checksumAlgorithm: body.algorithm ?? 'crc32',
    checksumType: 'FULL_OBJECT',
  }));
  const headers: Record<string, string> = { etag: record.etag };
  if (body.algorithm !== undefined) {
    headers[`x-amz-checksum-${body.algorithm}`] = body.checksums[body.algorithm]!;
    headers['x-amz-checksum-type'] = 'FULL_OBJECT';
  }
  sendEmpty(res, s3req, 200, headers);
}
