import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { CHECKSUM_ALGORITHMS, type ChecksumAlgorithm, createDigest } from '../checksums.ts';
import { writeConditions } from '../conditions.ts';
import { readSmallBody, sendXml } from '../http-io.ts';
import type { PartRecord, UploadRecord } from '../multipart-store.ts';
import type { ObjectRecord } from '../object-record.ts';
import { malformedXml, noSuchUpload, S3Error } from '../s3-error.ts';
import { storeStream } from '../store-stream.ts';
import { parseXml, renderXml } from '../xml.ts';
import { commitObject } from './commit-object.ts';
import { checksumElements, type S3Context } from './context.ts';

const MIN_PART_SIZE = 5 * 1024 * 1024;

interface RequestedPart {
  partNumber: number;
  etag: string;
  /** Checksums the client listed for the part (ChecksumCRC32 etc.), by lowercase algorithm. */
  checksums: Partial<Record<ChecksumAlgorithm, string>>;
}

function requestedParts(body: string): RequestedPart[] {
  const doc = parseXml(body, 'CompleteMultipartUpload', ['Part']);
  const parts = doc.Part;
  if (!Array.isArray(parts) || parts.length === 0) throw malformedXml();
  return parts.map((p: Record<string, unknown>) => {
    const n = Number(p?.PartNumber);
    if (!Number.isInteger(n) || typeof p?.ETag !== 'string') throw malformedXml();
    const checksums: RequestedPart['checksums'] = {};
    for (const alg of CHECKSUM_ALGORITHMS) {
      const value = p[`Checksum${alg.toUpperCase()}`];
      if (typeof value === 'string') checksums[alg] = value.trim();
    }
    return { partNumber: n, etag: p.ETag, checksums };
  });
}

const unquote = (etag: string) => etag.trim().replace(/^"|"$/g, '');

/** S3's rules: ascending part numbers, each uploaded with that ETag, all but the last at least 5 MiB. */
function resolveParts(requested: RequestedPart[], uploaded: PartRecord[]): PartRecord[] {
  const byNumber = new Map(uploaded.map((p) => [p.partNumber, p]));
  requested.forEach((r, i) => {
    if (i > 0 && r.partNumber <= requested[i - 1]!.partNumber)
      throw new S3Error(
        'InvalidPartOrder',
        400,
        'The list of parts was not in ascending order. Parts must be ordered by part number.',
      );
  });
  return requested.map((r, i) => {
    const part = byNumber.get(r.partNumber);
    // A listed part checksum must match the one stored with the part (CRC32 is always stored).
    const checksumMismatch =
      part !== undefined &&
      Object.entries(r.checksums).some(
        ([alg, value]) =>
          part.checksums[alg as ChecksumAlgorithm] !== undefined &&
          part.checksums[alg as ChecksumAlgorithm] !== value,
      );
    if (part === undefined || unquote(part.etag) !== unquote(r.etag) || checksumMismatch)
      throw new S3Error(
        'InvalidPart',
        400,
        "One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
        { PartNumber: String(r.partNumber), ETag: r.etag },
      );
    if (i < requested.length - 1 && part.size < MIN_PART_SIZE)
      throw new S3Error(
        'EntityTooSmall',
        400,
        'Your proposed upload is smaller than the minimum allowed object size.',
        {
          ProposedSize: String(part.size),
          MinSizeAllowed: String(MIN_PART_SIZE),
          PartNumber: String(r.partNumber),
          ETag: r.etag,
        },
      );
    return part;
  });
}

/** Composite checksum: the checksum of the concatenated part checksums, suffixed with the part count. */
function compositeChecksum(alg: ChecksumAlgorithm, parts: PartRecord[]): string | undefined {
  const digest = createDigest(alg);
  for (const p of parts) {
    const value = p.checksums[alg];
    if (value === undefined) return undefined;
    digest.update(Buffer.from(value, 'base64'));
  }
  return `${digest.digest().toString('base64')}-${parts.length}`;
}

/**
 * CompleteMultipartUpload: the listed parts are concatenated into a new data file, then committed like a
 * PutObject (same write conditions, same atomic switch), and the staging directory is removed.
 * ETag = MD5 of the parts' binary MD5s, "-<part count>".
 */
export async function completeMultipartUpload(
  ctx: S3Context,
  bucket: string,
  key: string,
  uploadId: string,
): Promise<void> {
  const { disk, uploads } = ctx;
  disk.bucket(bucket);
  const conditions = writeConditions(ctx.req);
  const upload: UploadRecord = await uploads.get(bucket, uploadId);
  if (upload.key !== key) throw noSuchUpload(uploadId);
  const parts = resolveParts(
    requestedParts(await readSmallBody(ctx.req)),
    await uploads.parts(bucket, uploadId),
  );
  const alg = upload.checksumAlgorithm;
  const data = disk.newDataFile(bucket);
  async function* concatenated() {
    for (const part of parts)
      yield* createReadStream(uploads.partPath(bucket, uploadId, part), { highWaterMark: 1024 * 1024 });
  }
  const stored = await storeStream(concatenated(), data.path, alg === undefined ? [] : [alg]);
  const md5s = createHash('md5');
  for (const p of parts) md5s.update(Buffer.from(unquote(p.etag), 'hex'));
  const checksums: ObjectRecord['checksums'] = { ...stored.checksums };
  if (alg !== undefined && upload.checksumType === 'COMPOSITE') {
    const composite = compositeChecksum(alg, parts);
    if (composite === undefined) delete checksums[alg];
    else checksums[alg] = composite;
  }
  const { uploadId: _id, initiated: _at, checksumAlgorithm: _alg, checksumType: _type, ...fields } = upload;
  const useAlg = alg !== undefined && checksums[alg] !== undefined ? alg : 'crc32';
  const etag = `"${md5s.digest('hex')}-${parts.length}"`;
  const record = await commitObject(ctx, bucket, key, conditions, data, 'CompleteMultipartUpload', () => ({
    ...fields,
    size: stored.size,
    etag,
    checksums,
    checksumAlgorithm: useAlg,
    checksumType: useAlg === alg ? upload.checksumType : 'FULL_OBJECT',
    partsCount: parts.length,
  }));
  await uploads.remove(bucket, uploadId).catch(() => undefined);
  const xml = renderXml('CompleteMultipartUploadResult', {
    Location: `/${bucket}/${encodeURIComponent(key)}`,
    Bucket: bucket,
    Key: key,
    ETag: record.etag,
    ...checksumElements({ [record.checksumAlgorithm]: record.checksums[record.checksumAlgorithm] }),
    ChecksumType: record.checksumType,
  });
  sendXml(ctx.res, ctx.s3req, 200, xml);
}
