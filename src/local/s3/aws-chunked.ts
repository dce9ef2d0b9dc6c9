import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import type { ChunkVerifier } from '../auth/chunk-signing.ts';
import { S3Error } from './s3-error.ts';

/**
 * Decodes `Content-Encoding: aws-chunked` request bodies, which current SDKs send for streaming uploads
 * with flexible checksums:
 *
 *   <hex size>[;chunk-signature=<sig>]\r\n<bytes>\r\n ... 0[;chunk-signature=<sig>]\r\n[<trailer>:<value>\r\n]*\r\n
 *
 * With a `verifier` (a signed stream, STREAMING-AWS4-HMAC-SHA256-PAYLOAD) each chunk's signature is
 * checked when the chunk ends, and the trailer's; a wrong or missing one fails the body with S3's
 * SignatureDoesNotMatch, so the upload is not stored. The decoded bytes flow on; trailing headers
 * (e.g. `x-amz-checksum-crc32`) are collected in `trailers`.
 */
const MAX_LINE = 8 * 1024;
const CRLF = Buffer.from('\r\n');

type State = 'size' | 'data' | 'data-end' | 'trailer' | 'done';

const badSignature = (what: string) =>
  new S3Error(
    'SignatureDoesNotMatch',
    403,
    `The request signature we calculated does not match the signature you provided (${what}). Check your key and signing method.`,
  );

const malformed = (why: string) =>
  new S3Error('InvalidRequest', 400, `The aws-chunked request body is malformed: ${why}.`);

export class AwsChunkedDecoder extends Transform {
  readonly trailers: Record<string, string> = {};
  decodedLength = 0;
  private state: State = 'size';
  private pending: Buffer = Buffer.alloc(0);
  private remaining = 0;
  private chunkHash: Hash | undefined;
  private chunkSignature: string | undefined;
  private trailerLines = '';
  private trailerSignature: string | undefined;

  constructor(private readonly verifier?: ChunkVerifier) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, callback: TransformCallback): void {
    try {
      this.consume(this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk);
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    // Some encoders end right after the last trailer line without the final blank line; accept that.
    const complete = this.state === 'done' || (this.state === 'trailer' && this.pending.length === 0);
    if (!complete) {
      callback(malformed('the body ended before the final zero-length chunk'));
      return;
    }
    try {
      // Ended right after the trailer lines: the blank line that would have checked them never came.
      if (this.state === 'trailer') this.verifyTrailer();
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  private consume(input: Buffer): void {
    let buf = input;
    while (buf.length > 0) {
      if (this.state === 'data') {
        const take = Math.min(this.remaining, buf.length);
        this.push(buf.subarray(0, take));
        this.chunkHash?.update(buf.subarray(0, take));
        this.decodedLength += take;
        this.remaining -= take;
        buf = buf.subarray(take);
        if (this.remaining === 0) {
          this.verifyChunk();
          this.state = 'data-end';
        }
        continue;
      }
      if (this.state === 'done') {
        // Trailing whitespace after the terminator is harmless; anything else is not.
        if (buf.toString('latin1').trim() !== '') throw malformed('data after the final chunk');
        buf = Buffer.alloc(0);
        continue;
      }
      if (this.state === 'data-end') {
        if (buf.length < 2) break;
        if (!buf.subarray(0, 2).equals(CRLF)) throw malformed('a chunk is longer than its declared size');
        buf = buf.subarray(2);
        this.state = 'size';
        continue;
      }
      const eol = buf.indexOf(CRLF);
      if (eol === -1) {
        if (buf.length > MAX_LINE) throw malformed('a chunk header line is too long');
        break;
      }
      const line = buf.subarray(0, eol).toString('latin1');
      buf = buf.subarray(eol + 2);
      if (this.state === 'size') this.onSizeLine(line);
      else this.onTrailerLine(line);
    }
    this.pending = Buffer.from(buf);
  }

  private onSizeLine(line: string): void {
    const hex = line.split(';', 1)[0]!.trim();
    if (!/^[0-9a-fA-F]{1,16}$/.test(hex)) throw malformed(`bad chunk size "${line.slice(0, 40)}"`);
    this.remaining = Number.parseInt(hex, 16);
    if (this.verifier) {
      this.chunkSignature = /;\s*chunk-signature=([0-9a-fA-F]+)/.exec(line)?.[1];
      this.chunkHash = createHash('sha256');
    }
    if (this.remaining === 0) this.verifyChunk();
    this.state = this.remaining === 0 ? 'trailer' : 'data';
  }

  private verifyChunk(): void {
    if (!this.verifier || !this.chunkHash) return;
    const sha = this.chunkHash.digest('hex');
    this.chunkHash = undefined;
    if (!this.verifier.chunk(sha, this.chunkSignature)) throw badSignature('a chunk signature');
  }

  private verifyTrailer(): void {
    if (!this.verifier || (this.trailerLines === '' && this.trailerSignature === undefined)) return;
    if (!this.verifier.trailer(this.trailerLines, this.trailerSignature))
      throw badSignature('the trailer signature');
  }

  private onTrailerLine(line: string): void {
    if (line === '') {
      this.verifyTrailer();
      this.state = 'done';
      return;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) throw malformed(`bad trailer line "${line.slice(0, 40)}"`);
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    // The trailer signature covers the other trailer lines, each as `name:value\n`.
    if (name === 'x-amz-trailer-signature') this.trailerSignature = value;
    else {
      this.trailerLines += `${name}:${value}\n`;
      this.trailers[name] = value;
    }
  }
}

/** True when the request body is aws-chunked framed (by Content-Encoding or the streaming sha256 marker). */
export function isAwsChunked(headers: Record<string, string | string[] | undefined>): boolean {
  const encoding = String(headers['content-encoding'] ?? '').toLowerCase();
  const sha = String(headers['x-amz-content-sha256'] ?? '');
  return encoding.split(',').some((e) => e.trim() === 'aws-chunked') || sha.startsWith('STREAMING-');
}

/** The Content-Encoding to store: the client's own encodings without the aws-chunked transport framing. */
export function storedContentEncoding(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const rest = header
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '' && e.toLowerCase() !== 'aws-chunked');
  return rest.length > 0 ? rest.join(',') : undefined;
}
