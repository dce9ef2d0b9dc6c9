import type { IncomingMessage } from 'node:http';
import { type ChunkSigning, hmacHex, sameSignature, sha256Hex } from './sigv4-verify.ts';

/**
 * Signed streaming uploads (`x-amz-content-sha256: STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]`): the
 * Authorization header signs only the headers (the "seed"), and every aws-chunked chunk carries its own
 * signature chained to the previous one. The server's authenticator records what the chunks are checked
 * against; the S3 body decoder (s3/aws-chunked.ts) checks each chunk as it arrives. Spec:
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html
 */
const signings = new WeakMap<IncomingMessage, ChunkSigning>();

export const recordChunkSigning = (req: IncomingMessage, signing: ChunkSigning) =>
  void signings.set(req, signing);

const EMPTY_SHA256 = sha256Hex('');

/** Checks chunk (and trailer) signatures in order; undefined when the request is not a signed stream. */
export function chunkVerifier(req: IncomingMessage): ChunkVerifier | undefined {
  const signing = signings.get(req);
  return signing ? new ChunkVerifier(signing) : undefined;
}

export class ChunkVerifier {
  private previous: string;
  constructor(private readonly signing: ChunkSigning) {
    this.previous = signing.seedSignature;
  }

  /** `sha256` is the hex SHA-256 of the chunk's data; false when `signature` is not the expected one. */
  chunk(sha256: string, signature: string | undefined): boolean {
    const { longDate, scope, signingKey } = this.signing;
    const expected = hmacHex(
      signingKey,
      ['AWS4-HMAC-SHA256-PAYLOAD', longDate, scope, this.previous, EMPTY_SHA256, sha256].join('\n'),
    );
    if (signature === undefined || !sameSignature(expected, signature)) return false;
    this.previous = expected;
    return true;
  }

  /** The trailer lines as sent (`name:value\n` each, without x-amz-trailer-signature). */
  trailer(lines: string, signature: string | undefined): boolean {
    const { longDate, scope, signingKey } = this.signing;
    const expected = hmacHex(
      signingKey,
      ['AWS4-HMAC-SHA256-TRAILER', longDate, scope, this.previous, sha256Hex(lines)].join('\n'),
    );
    return signature !== undefined && sameSignature(expected, signature);
  }
}
