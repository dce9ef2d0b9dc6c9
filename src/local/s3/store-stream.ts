import { rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BodyDigest, type ChecksumAlgorithm } from './checksums.ts';
import { DurableFileSink } from './fs-atomic.ts';

export interface StoredBytes {
  size: number;
  md5: Buffer;
  checksums: Partial<Record<ChecksumAlgorithm, string>>;
}

/**
 * Writes bytes from any source to a new durable file, measuring MD5 and checksums on the way (copies,
 * multipart assembly, in-process puts). The file is removed if anything fails.
 */
export async function storeStream(
  source: Readable | AsyncIterable<Buffer> | Buffer,
  path: string,
  algorithms: ChecksumAlgorithm[] = [],
): Promise<StoredBytes> {
  const digest = new BodyDigest(algorithms);
  const readable = Buffer.isBuffer(source) ? Readable.from([source]) : Readable.from(source);
  try {
    await pipeline(readable, digest, new DurableFileSink(path));
  } catch (error) {
    await rm(path, { force: true });
    throw error;
  }
  return digest.result();
}
