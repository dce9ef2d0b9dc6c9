import { isChecksumAlgorithm } from '../checksums.ts';
import { header, sendEmpty, sendXml } from '../http-io.ts';
import { receiveBody } from '../receive-body.ts';
import { invalidArgument, noSuchUpload } from '../s3-error.ts';
import { storeStream } from '../store-stream.ts';
import { renderXml } from '../xml.ts';
import { checksumElements, LOCAL_OWNER, representationFrom, type S3Context } from './context.ts';
import { openCopySource } from './copy-object.ts';

export { completeMultipartUpload } from './complete-multipart.ts';

/** CreateMultipartUpload (POST /bucket/key?uploads). */
export async function createMultipartUpload(ctx: S3Context, bucket: string, key: string): Promise<void> {
  ctx.disk.bucket(bucket);
  const alg = header(ctx.req, 'x-amz-checksum-algorithm')?.toLowerCase();
  if (alg !== undefined && !isChecksumAlgorithm(alg))
    throw invalidArgument('Checksum algorithm provided is unsupported.', 'x-amz-checksum-algorithm', alg);
  const typeHeader = header(ctx.req, 'x-amz-checksum-type')?.toUpperCase();
  const checksumType = typeHeader === 'FULL_OBJECT' || alg === undefined ? 'FULL_OBJECT' : 'COMPOSITE';
  const upload = await ctx.uploads.create(bucket, {
    ...representationFrom(ctx.req),
    key,
    checksumAlgorithm: alg,
    checksumType,
  });
  const headers: Record<string, string> = {};
  if (alg !== undefined) {
    headers['x-amz-checksum-algorithm'] = alg.toUpperCase();
    headers['x-amz-checksum-type'] = checksumType;
  }
  const xml = renderXml('InitiateMultipartUploadResult', {
    Bucket: bucket,
    Key: key,
    UploadId: upload.uploadId,
  });
  sendXml(ctx.res, ctx.s3req, 200, xml, headers);
}

function partNumberOf(ctx: S3Context): number {
  const raw = ctx.s3req.query.get('partNumber') ?? '';
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > 10000)
    throw invalidArgument('Part number must be an integer between 1 and 10000, inclusive', 'partNumber', raw);
  return n;
}

/** The upload a part is for (which must belong to this key) and the part's number, both checked. */
async function partTarget(ctx: S3Context, bucket: string, key: string, uploadId: string) {
  ctx.disk.bucket(bucket);
  const partNumber = partNumberOf(ctx);
  const upload = await ctx.uploads.get(bucket, uploadId);
  if (upload.key !== key) throw noSuchUpload(uploadId);
  return { partNumber, upload };
}

/** UploadPart (PUT /bucket/key?partNumber=N&uploadId=X). */
export async function uploadPart(
  ctx: S3Context,
  bucket: string,
  key: string,
  uploadId: string,
): Promise<void> {
  const { partNumber } = await partTarget(ctx, bucket, key, uploadId);
  const file = ctx.uploads.newPartFile(bucket, uploadId, partNumber);
  const body = await receiveBody(ctx.req, file.path);
  await ctx.uploads.commitPart(bucket, uploadId, {
    partNumber,
    etag: `"${body.md5Hex}"`,
    size: body.size,
    lastModified: new Date().toISOString(),
    dataFile: file.id,
    checksums: body.checksums,
  });
  const headers: Record<string, string> = { etag: `"${body.md5Hex}"` };
  if (body.algorithm !== undefined)
    headers[`x-amz-checksum-${body.algorithm}`] = body.checksums[body.algorithm]!;
  sendEmpty(ctx.res, ctx.s3req, 200, headers);
}

/** AbortMultipartUpload (DELETE /bucket/key?uploadId=X). */
export async function abortMultipartUpload(ctx: S3Context, bucket: string, uploadId: string): Promise<void> {
  ctx.disk.bucket(bucket);
  await ctx.uploads.remove(bucket, uploadId);
  sendEmpty(ctx.res, ctx.s3req, 204);
}

/** ListParts (GET /bucket/key?uploadId=X), with max-parts and part-number-marker paging. */
export async function listParts(
  ctx: S3Context,
  bucket: string,
  key: string,
  uploadId: string,
): Promise<void> {
  ctx.disk.bucket(bucket);
  const upload = await ctx.uploads.get(bucket, uploadId);
  const q = ctx.s3req.query;
  const maxParts = Math.min(Number(q.get('max-parts') ?? 1000) || 1000, 1000);
  const marker = Number(q.get('part-number-marker') ?? 0) || 0;
  const all = (await ctx.uploads.parts(bucket, uploadId)).filter((p) => p.partNumber > marker);
  const page = all.slice(0, maxParts);
  const truncated = all.length > page.length;
  const xml = renderXml('ListPartsResult', {
    Bucket: bucket,
    Key: key,
    UploadId: uploadId,
    PartNumberMarker: marker,
    NextPartNumberMarker: page.at(-1)?.partNumber ?? marker,
    MaxParts: maxParts,
    IsTruncated: truncated,
    Part: page.map((p) => ({
      PartNumber: p.partNumber,
      LastModified: p.lastModified,
      ETag: p.etag,
      Size: p.size,
      ...(upload.checksumAlgorithm === undefined
        ? {}
        : checksumElements({ [upload.checksumAlgorithm]: p.checksums[upload.checksumAlgorithm] })),
    })),
    Initiator: LOCAL_OWNER,
    Owner: LOCAL_OWNER,
    StorageClass: 'STANDARD',
    ChecksumAlgorithm: upload.checksumAlgorithm?.toUpperCase(),
    ChecksumType: upload.checksumAlgorithm === undefined ? undefined : upload.checksumType,
  });
  sendXml(ctx.res, ctx.s3req, 200, xml);
}

/** ListMultipartUploads (GET /bucket?uploads), filtered by prefix; not paginated (local scale). */
export async function listMultipartUploads(ctx: S3Context, bucket: string): Promise<void> {
  ctx.disk.bucket(bucket);
  const prefix = ctx.s3req.query.get('prefix') ?? '';
  const uploads = (await ctx.uploads.list(bucket)).filter((u) => u.key.startsWith(prefix));
  const xml = renderXml('ListMultipartUploadsResult', {
    Bucket: bucket,
    KeyMarker: '',
    UploadIdMarker: '',
    Prefix: prefix,
    MaxUploads: 1000,
    IsTruncated: false,
    Upload: uploads.map((u) => ({
      Key: u.key,
      UploadId: u.uploadId,
      Initiator: LOCAL_OWNER,
      Owner: LOCAL_OWNER,
      StorageClass: 'STANDARD',
      Initiated: u.initiated,
    })),
  });
  sendXml(ctx.res, ctx.s3req, 200, xml);
}

/** UploadPartCopy (PUT ?partNumber&uploadId with x-amz-copy-source[-range]): a part cut from an object. */
export async function uploadPartCopy(
  ctx: S3Context,
  bucket: string,
  key: string,
  uploadId: string,
): Promise<void> {
  const { partNumber, upload } = await partTarget(ctx, bucket, key, uploadId);
  const { record: src, fh } = await openCopySource(ctx);
  const rangeHeader = header(ctx.req, 'x-amz-copy-source-range');
  let start = 0;
  let end = src.size - 1;
  if (rangeHeader !== undefined) {
    const m = /^bytes=(\d+)-(\d+)$/.exec(rangeHeader.trim());
    if (m === null || Number(m[2]) < Number(m[1]) || Number(m[2]) >= src.size) {
      await fh.close();
      throw invalidArgument(
        'The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy',
        'x-amz-copy-source-range',
        rangeHeader,
      );
    }
    start = Number(m[1]);
    end = Number(m[2]);
  }
  const file = ctx.uploads.newPartFile(bucket, uploadId, partNumber);
  const source =
    src.size === 0 ? Buffer.alloc(0) : fh.createReadStream({ start, end, highWaterMark: 1024 * 1024 });
  if (src.size === 0) await fh.close();
  const alg = upload.checksumAlgorithm;
  const stored = await storeStream(source, file.path, alg === undefined ? [] : [alg]);
  const part = {
    partNumber,
    etag: `"${stored.md5.toString('hex')}"`,
    size: stored.size,
    lastModified: new Date().toISOString(),
    dataFile: file.id,
    checksums: stored.checksums,
  };
  await ctx.uploads.commitPart(bucket, uploadId, part);
  const xml = renderXml('CopyPartResult', {
    ETag: part.etag,
    LastModified: part.lastModified,
    ...(alg === undefined ? {} : checksumElements({ [alg]: stored.checksums[alg] })),
  });
  sendXml(ctx.res, ctx.s3req, 200, xml);
}
