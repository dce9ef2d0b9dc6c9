import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { AwsChunkedDecoder, isAwsChunked, storedContentEncoding } from './aws-chunked.ts';
import { checksumOf } from './checksums.ts';

/** Captured from @aws-sdk/client-s3 3.1174 PutObject with a streamed Body (STREAMING-UNSIGNED-PAYLOAD-TRAILER). */
const SDK_V3_FRAME = Buffer.from(
  '6\r\nhello \r\n11\r\naws-chunked world\r\n0\r\nx-amz-checksum-crc32:BUkbhQ==\r\n\r\n',
  'latin1',
);

/** The signed variant's shape (STREAMING-AWS4-HMAC-SHA256-PAYLOAD), as in AWS's SigV4 chunked example. */
const SIG = 'ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648';
const SIGNED_FRAME = Buffer.concat([
  Buffer.from(`10000;chunk-signature=${SIG}\r\n`),
  Buffer.alloc(0x10000, 'a'),
  Buffer.from(`\r\n400;chunk-signature=${SIG}\r\n`),
  Buffer.alloc(0x400, 'a'),
  Buffer.from(`\r\n0;chunk-signature=${SIG}\r\n\r\n`),
]);

async function decode(frame: Buffer, pieceSize = frame.length) {
  const decoder = new AwsChunkedDecoder();
  const out: Buffer[] = [];
  const pieces: Buffer[] = [];
  for (let i = 0; i < frame.length; i += pieceSize) pieces.push(frame.subarray(i, i + pieceSize));
  await pipeline(Readable.from(pieces), decoder, async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) out.push(chunk);
  });
  return { body: Buffer.concat(out), trailers: decoder.trailers, length: decoder.decodedLength };
}

describe('AwsChunkedDecoder', () => {
  it('decodes the SDK v3 unsigned-trailer frame and collects the checksum trailer', async () => {
    const { body, trailers, length } = await decode(SDK_V3_FRAME);
    expect(body.toString()).toBe('hello aws-chunked world');
    expect(length).toBe(23);
    expect(trailers).toEqual({ 'x-amz-checksum-crc32': 'BUkbhQ==' });
    expect(checksumOf('crc32', body)).toBe(trailers['x-amz-checksum-crc32']);
  });

  it('gives the same bytes however the frame is split across network reads', async () => {
    for (const size of [1, 2, 3, 7, 16]) {
      const { body, trailers } = await decode(SDK_V3_FRAME, size);
      expect(body.toString()).toBe('hello aws-chunked world');
      expect(trailers['x-amz-checksum-crc32']).toBe('BUkbhQ==');
    }
  });

  it('decodes signed chunks (chunk-signature extensions) without verifying them', async () => {
    const { body, trailers } = await decode(SIGNED_FRAME, 1000);
    expect(body.length).toBe(0x10400);
    expect(body.every((b) => b === 0x61)).toBe(true);
    expect(trailers).toEqual({});
  });

  it('rejects truncated bodies and chunks longer than declared', async () => {
    await expect(decode(SDK_V3_FRAME.subarray(0, 20))).rejects.toThrow(
      /ended before the final zero-length chunk/,
    );
    const overlong = Buffer.from('3\r\nabcdef\r\n0\r\n\r\n');
    await expect(decode(overlong)).rejects.toThrow(/longer than its declared size/);
    await expect(decode(Buffer.from('zz\r\nab\r\n0\r\n\r\n'))).rejects.toThrow(/bad chunk size/);
  });
});

describe('aws-chunked headers', () => {
  it('detects the framing and keeps other content encodings', () => {
    expect(isAwsChunked({ 'content-encoding': 'aws-chunked' })).toBe(true);
    expect(isAwsChunked({ 'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' })).toBe(true);
    expect(isAwsChunked({ 'content-encoding': 'gzip' })).toBe(false);
    expect(storedContentEncoding('gzip,aws-chunked')).toBe('gzip');
    expect(storedContentEncoding('aws-chunked')).toBeUndefined();
  });
});
