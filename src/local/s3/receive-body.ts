import { rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import type { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { chunkVerifier } from '../auth/chunk-signing.ts';
import { AwsChunkedDecoder, isAwsChunked } from './aws-chunked.ts';
import { BodyDigest, CHECKSUM_ALGORITHMS, type ChecksumAlgorithm, isChecksumAlgorithm } from './checksums.ts';
import { DurableFileSink } from './fs-atomic.ts';
import { header } from './http-io.ts';
import { S3Error } from './s3-error.ts';

export interface ReceivedBody {
  size: number;
  /** MD5 of the stored bytes, hex (the ETag of a single-part object, unquoted). */
  md5Hex: string;
  /** The algorithm the client sent a checksum for (verified), or undefined. */
  algorithm: ChecksumAlgorithm | undefined;
  checksums: Partial<Record<ChecksumAlgorithm, string>>;
}

/** Which flexible checksum the client is sending, from the header, the trailer declaration, or the SDK hint. */
function requestedAlgorithm(req: IncomingMessage): ChecksumAlgorithm | undefined {
  const hint = header(req, 'x-amz-sdk-checksum-algorithm')?.toLowerCase();
  if (hint !== undefined && isChecksumAlgorithm(hint)) return hint;
  const trailer = header(req, 'x-amz-trailer')?.toLowerCase().replace('x-amz-checksum-', '');
  if (trailer !== undefined && isChecksumAlgorithm(trailer)) return trailer;
  return CHECKSUM_ALGORITHMS.find((a) => header(req, `x-amz-checksum-${a}`) !== undefined);
}

/**
 * Streams the request body to `path` (decoding aws-chunked framing), fsyncs it, and verifies every
 * integrity value the client sent: Content-MD5, x-amz-checksum-* (header or trailer) and
 * x-amz-decoded-content-length. On any failure the file is removed and an S3 error thrown.
 */
export async function receiveBody(req: IncomingMessage, path: string): Promise<ReceivedBody> {
  const algorithm = requestedAlgorithm(req);
  // boto3 and the CLI over plain HTTP sign the payload's SHA-256; check it like S3 does.
  const payloadSha = header(req, 'x-amz-content-sha256')?.toLowerCase();
  const signedSha = payloadSha !== undefined && /^[0-9a-f]{64}$/.test(payloadSha) ? payloadSha : undefined;
  const algorithms: ChecksumAlgorithm[] = algorithm === undefined ? [] : [algorithm];
  if (signedSha !== undefined) algorithms.push('sha256');
  const digest = new BodyDigest(algorithms);
  const chunked = isAwsChunked(req.headers) ? new AwsChunkedDecoder(chunkVerifier(req)) : undefined;
  try {
    const stages: (IncomingMessage | Transform | DurableFileSink)[] = [req];
    if (chunked !== undefined) stages.push(chunked);
    stages.push(digest, new DurableFileSink(path));
    await (pipeline as (...s: unknown[]) => Promise<void>)(...stages);
    const result = digest.result();
    const md5Hex = result.md5.toString('hex');
    verify(req, result.size, result.md5, result.checksums, algorithm, chunked?.trailers ?? {});
    if (
      signedSha !== undefined &&
      Buffer.from(result.checksums.sha256 ?? '', 'base64').toString('hex') !== signedSha
    )
      throw new S3Error(
        'XAmzContentSHA256Mismatch',
        400,
        "The provided 'x-amz-content-sha256' header does not match what was computed.",
      );
    // Only the checksum the client chose is kept with the object (plus CRC32, always computed).
    if (algorithm !== 'sha256') delete result.checksums.sha256;
    return { size: result.size, md5Hex, algorithm, checksums: result.checksums };
  } catch (error) {
    await rm(path, { force: true });
    if (error instanceof S3Error) throw error;
    if (req.destroyed || (error as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE')
      throw new S3Error(
        'IncompleteBody',
        400,
        'The request body ended before the declared length was received.',
      );
    throw error;
  }
}

function verify(
  req: IncomingMessage,
  size: number,
  md5: Buffer,
  checksums: Partial<Record<ChecksumAlgorithm, string>>,
  algorithm: ChecksumAlgorithm | undefined,
  trailers: Record<string, string>,
): void {
  const declared = header(req, 'x-amz-decoded-content-length');
  if (declared !== undefined && Number(declared) !== size)
    throw new S3Error(
      'IncompleteBody',
      400,
      `x-amz-decoded-content-length says ${declared} bytes but the body decoded to ${size}.`,
    );
  const contentMd5 = header(req, 'content-md5');
  if (contentMd5 !== undefined && contentMd5 !== md5.toString('base64')) {
    if (Buffer.from(contentMd5, 'base64').length !== 16)
      throw new S3Error('InvalidDigest', 400, 'The Content-MD5 you specified was invalid.');
    throw new S3Error('BadDigest', 400, 'The Content-MD5 you specified did not match what we received.');
  }
  if (algorithm === undefined) return;
  const name = `x-amz-checksum-${algorithm}`;
  const sent = header(req, name) ?? trailers[name];
  if (sent === undefined) {
    // Declared in x-amz-trailer but never sent: S3 rejects the upload rather than store it unverified.
    if (header(req, 'x-amz-trailer') !== undefined)
      throw new S3Error('InvalidRequest', 400, `The ${name} trailer was declared but not sent.`);
    return;
  }
  if (sent !== checksums[algorithm])
    throw new S3Error(
      'BadDigest',
      400,
      `The ${algorithm.toUpperCase()} you specified did not match the calculated checksum.`,
    );
}
