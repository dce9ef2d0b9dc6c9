import { TunekitError } from '../../errors.ts';
import type { DiskStore } from './disk-store.ts';
import { commitObject } from './handlers/commit-object.ts';
import { DEFAULT_CONTENT_TYPE, type S3Context } from './handlers/context.ts';
import { bucketNameProblem } from './key-encoding.ts';
import type { ObjectStore } from './object-store.port.ts';
import { storeStream } from './store-stream.ts';

/**
 * The in-process ObjectStore over the same disk store the HTTP API uses: same atomic commit, same key
 * locks, same object-created events (a job output written by the local Bedrock triggers like an upload).
 */
export function createLocalObjectStore(
  disk: DiskStore,
  created: S3Context['created'],
  region: string,
): ObjectStore {
  const missingBucket = (bucket: string) =>
    new TunekitError('S3.NO_SUCH_BUCKET', `The local S3 has no bucket "${bucket}".`, {
      hint: 'Create it first (aws s3 mb s3://<bucket>, or CreateBucket with the SDK).',
    });

  /** The object's current data file, opened (undefined when the bucket or key does not exist). */
  const openData = async (bucket: string, key: string) =>
    disk.has(bucket) ? disk.openCurrent(bucket, key) : undefined;

  return {
    async bucketExists(bucket) {
      return disk.has(bucket);
    },
    async ensureBucket(bucket) {
      const problem = bucketNameProblem(bucket);
      if (problem !== '')
        throw new TunekitError(
          'S3.INVALID_BUCKET_NAME',
          `"${bucket}" is not a valid bucket name: ${problem}`,
          {
            hint: 'Use 3-63 lowercase letters, digits, dots and hyphens.',
          },
        );
      if (!disk.has(bucket))
        await disk.createBucket(bucket, region).catch((e: unknown) => {
          if (!disk.has(bucket)) throw e; // lost a race with another creator: fine
        });
    },
    async headObject(bucket, key) {
      const record = disk.has(bucket) ? disk.head(bucket, key) : undefined;
      if (record === undefined) return undefined;
      const { size, etag, lastModified, contentType } = record;
      return { size, etag: etag.replace(/"/g, ''), lastModified, contentType };
    },
    async getObject(bucket, key) {
      const opened = await openData(bucket, key);
      if (opened === undefined) return undefined;
      try {
        return await opened.fh.readFile();
      } finally {
        await opened.fh.close();
      }
    },
    async putObject(bucket, key, body, contentType) {
      if (!disk.has(bucket)) throw missingBucket(bucket);
      const data = disk.newDataFile(bucket);
      const stored = await storeStream(
        typeof body === 'string' ? Buffer.from(body, 'utf8') : body,
        data.path,
      );
      const unconditional = { ifMatch: undefined, ifNoneMatch: undefined };
      const record = await commitObject(
        { disk, created },
        bucket,
        key,
        unconditional,
        data,
        'PutObject',
        () => ({
          size: stored.size,
          etag: `"${stored.md5.toString('hex')}"`,
          contentType: contentType ?? DEFAULT_CONTENT_TYPE,
          metadata: {},
          checksums: stored.checksums,
          checksumAlgorithm: 'crc32',
          checksumType: 'FULL_OBJECT',
        }),
      );
      return { etag: record.etag.replace(/"/g, '') };
    },
    async listKeys(bucket, prefix) {
      if (!disk.has(bucket)) throw missingBucket(bucket);
      const keys: string[] = [];
      for (const record of disk.bucket(bucket).index.from(undefined, prefix)) {
        if (!record.key.startsWith(prefix)) break;
        keys.push(record.key);
      }
      return keys;
    },
  };
}
