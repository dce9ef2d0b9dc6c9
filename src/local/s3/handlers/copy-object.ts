import { checkRead, writeConditions } from '../conditions.ts';
import { header, sendXml } from '../http-io.ts';
import { representationSchema } from '../object-record.ts';
import { invalidArgument, invalidRequest, preconditionFailed } from '../s3-error.ts';
import { storeStream } from '../store-stream.ts';
import { renderXml } from '../xml.ts';
import { commitObject } from './commit-object.ts';
import { checksumElements, representationFrom, type S3Context } from './context.ts';
import { openCurrent } from './get-object.ts';

/** `x-amz-copy-source: [/]bucket/key[?versionId=...]`, URL-encoded. */
function parseCopySource(value: string): { bucket: string; key: string } {
  const path = value.split('?', 1)[0]!.replace(/^\//, '');
  const slash = path.indexOf('/');
  if (slash <= 0 || slash === path.length - 1)
    throw invalidArgument(
      'Copy Source must mention the source bucket and key: sourcebucket/sourcekey',
      'x-amz-copy-source',
      value,
    );
  try {
    return {
      bucket: decodeURIComponent(path.slice(0, slash)),
      key: decodeURIComponent(path.slice(slash + 1)),
    };
  } catch {
    throw invalidArgument('Copy Source is not URL-encoded correctly', 'x-amz-copy-source', value);
  }
}

/** Reads the copy source under its x-amz-copy-source-if-* conditions (all failures are 412 for copies). */
export async function openCopySource(ctx: S3Context) {
  const source = parseCopySource(header(ctx.req, 'x-amz-copy-source')!);
  ctx.disk.bucket(source.bucket);
  const opened = await openCurrent(ctx, source.bucket, source.key, (record) => {
    if (checkRead(ctx.req, record, 'x-amz-copy-source-') === 'not-modified')
      throw preconditionFailed('x-amz-copy-source-If-None-Match');
  });
  return { source, ...opened };
}

/** CopyObject: a new data file streamed from the source, then an ordinary (conditional) commit. */
export async function copyObject(ctx: S3Context, bucket: string, key: string): Promise<void> {
  const { req, res, s3req, disk } = ctx;
  disk.bucket(bucket);
  const conditions = writeConditions(req);
  const directive = (header(req, 'x-amz-metadata-directive') ?? 'COPY').toUpperCase();
  if (directive !== 'COPY' && directive !== 'REPLACE')
    throw invalidArgument('Unknown metadata directive.', 'x-amz-metadata-directive', directive);
  const { source, record: src, fh } = await openCopySource(ctx);
  if (source.bucket === bucket && source.key === key && directive === 'COPY') {
    await fh.close();
    throw invalidRequest(
      "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
    );
  }
  const data = disk.newDataFile(bucket);
  const algorithm = src.checksumType === 'FULL_OBJECT' ? src.checksumAlgorithm : 'crc32';
  const stored = await storeStream(fh.createReadStream({ highWaterMark: 1024 * 1024 }), data.path, [
    algorithm,
  ]);
  // COPY keeps the source's representation: the schema's parse keeps exactly those fields of the record.
  const fields = directive === 'REPLACE' ? representationFrom(req) : representationSchema.parse(src);
  const record = await commitObject(ctx, bucket, key, conditions, data, 'CopyObject', () => ({
    ...fields,
    size: stored.size,
    etag: `"${stored.md5.toString('hex')}"`,
    checksums: stored.checksums,
    checksumAlgorithm: algorithm,
    checksumType: 'FULL_OBJECT',
  }));
  const xml = renderXml('CopyObjectResult', {
    LastModified: record.lastModified,
    ETag: record.etag,
    ...checksumElements({ [algorithm]: record.checksums[algorithm] }),
  });
  sendXml(res, s3req, 200, xml);
}
