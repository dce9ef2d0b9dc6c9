import type { FileHandle } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { checkRead, parseRange } from '../conditions.ts';
import { header, httpDate, sendEmpty, startBody } from '../http-io.ts';
import type { ObjectRecord } from '../object-record.ts';
import { noSuchKey } from '../s3-error.ts';
import { checksumHeaders, representationHeaders, type S3Context } from './context.ts';

/** Opens the current data file of an object (see DiskStore.openCurrent); NoSuchKey when there is none. */
export async function openCurrent(
  ctx: S3Context,
  bucket: string,
  key: string,
  check?: (record: ObjectRecord) => void,
): Promise<{ record: ObjectRecord; fh: FileHandle }> {
  const opened = await ctx.disk.openCurrent(bucket, key, check);
  if (opened === undefined) throw noSuchKey(key);
  return opened;
}

/** GetObject and HeadObject: preconditions, Range (206/416), checksum mode, response-* overrides. */
export async function getObject(
  ctx: S3Context,
  bucket: string,
  key: string,
  headOnly: boolean,
): Promise<void> {
  const { req, res, s3req, disk } = ctx;
  disk.bucket(bucket);
  const record = disk.head(bucket, key);
  if (record === undefined) throw noSuchKey(key);
  if (checkRead(req, record) === 'not-modified') {
    sendEmpty(res, s3req, 304, {
      etag: record.etag,
      'last-modified': httpDate(record.lastModified),
    });
    return;
  }
  const range = parseRange(header(req, 'range'), record.size);
  const headers = representationHeaders(record, s3req.query);
  // A checksum describes the whole object, so it is only returned for whole-object reads.
  if (header(req, 'x-amz-checksum-mode')?.toUpperCase() === 'ENABLED' && range === undefined)
    Object.assign(headers, checksumHeaders(record));
  const start = range?.start ?? 0;
  const end = range?.end ?? record.size - 1;
  headers['content-length'] = String(Math.max(0, end - start + 1));
  if (range !== undefined) headers['content-range'] = `bytes ${start}-${end}/${record.size}`;
  const status = range === undefined ? 200 : 206;
  if (headOnly) {
    startBody(res, s3req, status, headers);
    res.end();
    return;
  }
  // Re-open against the record we answered for; if it was replaced meanwhile, serve the version we found
  // only if its data is still there, else the newer one (headers are recomputed for consistency).
  const { record: current, fh } = await openCurrent(ctx, bucket, key);
  if (current.etag !== record.etag || current.size !== record.size) {
    await fh.close();
    return getObject(ctx, bucket, key, headOnly);
  }
  startBody(res, s3req, status, headers);
  if (record.size === 0) {
    await fh.close();
    res.end();
    return;
  }
  const stream = fh.createReadStream({ start, end, highWaterMark: 1024 * 1024 });
  await pipeline(stream, res).catch(() => {
    // The client went away mid-download; nothing to repair.
  });
}
