import { Transform, type TransformCallback } from 'node:stream';
import { S3Error } from './s3-error.ts';

/**
 * Decodes `Content-Encoding: aws-chunked` request bodies, which current SDKs send for streaming uploads
 * with flexible checksums:
 *
 *   <hex size>[;chunk-signature=<sig>]\r\n<bytes>\r\n ... 0[;chunk-signature=<sig>]\r\n[<trailer>:<value>\r\n]*\r\n
 *
 * Signatures are not verified (the local stack accepts any credentials). The decoded bytes flow on;
 * trailing headers (e.g. `x-amz-checksum-crc32`) are collected in `trailers`.
 */
const MAX_LINE = 8 * 1024;
const CRLF = Buffer.from('\r\n');

type State = 'size' | 'data' | 'data-end' | 'trailer' | 'done';

const malformed = (why: string) =>
  new S3Error('InvalidRequest', 400, `The aws-chunked request body is malformed: ${why}.`);

export class AwsChunkedDecoder extends Transform {
  readonly trailers: Record<string, string> = {};
  decodedLength = 0;
  private state: State = 'size';
  private pending: Buffer = Buffer.alloc(0);
  private remaining = 0;

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
    callback(complete ? undefined : malformed('the body ended before the final zero-length chunk'));
  }

  private consume(input: Buffer): void {
    let buf = input;
    while (buf.length > 0) {
      if (this.state === 'data') {
        const take = Math.min(this.remaining, buf.length);
        this.push(buf.subarray(0, take));
        this.decodedLength += take;
        this.remaining -= take;
        buf = buf.subarray(take);
        if (this.remaining === 0) this.state = 'data-end';
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
    this.state = this.remaining === 0 ? 'trailer' : 'data';
  }

  private onTrailerLine(line: string): void {
    if (line === '') {
      this.state = 'done';
      return;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) throw malformed(`bad trailer line "${line.slice(0, 40)}"`);
    this.trailers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
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
