import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { getCanonicalHeaders, getSigningKey, SignatureV4Base } from '@smithy/signature-v4';
import type { HttpRequest, SourceData } from '@smithy/types';
import type { StackCredentials } from './stack-credentials.ts';

/**
 * SigV4 verification: the server re-derives the signature from the request as received and the stack's
 * secret, and compares it in constant time. The canonical request (path and query encoding, header
 * normalisation) and the signing key come from @smithy/signature-v4, the signer the AWS SDK itself uses,
 * so client and server cannot disagree on the rules. Spec:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
 */

/** How far a request's time may be from the server's: 15 minutes (S3's MaxAllowedSkewMilliseconds 900000). */
export const MAX_SKEW_MS = 15 * 60 * 1000;
/** Presigned URLs live at most 7 days (X-Amz-Expires <= 604800). */
const MAX_PRESIGNED_EXPIRES = 604_800;
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const ALGORITHM = 'AWS4-HMAC-SHA256';
/** Bodies hashed in memory when the client does not send x-amz-content-sha256 (Bedrock's 25 MB + headroom). */
const MAX_HASHED_BODY = 32 * 1024 * 1024;

export type AuthFailure =
  | { kind: 'unknown-key'; accessKeyId: string }
  | { kind: 'bad-signature'; detail?: string }
  | { kind: 'skewed'; requestTime: Date; serverTime: Date }
  | { kind: 'expired'; expires: Date; serverTime: Date }
  | { kind: 'malformed'; message: string }
  | { kind: 'too-large' };

/** What a streaming (aws-chunked, signed) upload needs to check each chunk's signature. */
export interface ChunkSigning {
  signingKey: Uint8Array;
  longDate: string;
  scope: string;
  seedSignature: string;
}

export type Verification =
  | { ok: true; req: IncomingMessage; chunkSigning?: ChunkSigning }
  | { ok: false; failure: AuthFailure };

/** Node's crypto in the shape @smithy/signature-v4 wants for its hash (sha256, or HMAC-SHA256 with a key). */
const bytes = (data: SourceData): string | Uint8Array =>
  typeof data === 'string' || data instanceof Uint8Array
    ? data
    : ArrayBuffer.isView(data)
      ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
      : new Uint8Array(data);

export class NodeSha256 {
  private readonly hash;
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: SourceData): void {
    this.hash.update(bytes(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
}

/** Exposes the SDK signer's canonical request and string to sign (protected there) for one service. */
class CanonicalSigner extends SignatureV4Base {
  constructor(service: string) {
    // S3 signs the path as sent; every other service signs it URI-encoded once more (SigV4 rule).
    super({
      service,
      region: 'unused',
      credentials: { accessKeyId: '', secretAccessKey: '' },
      sha256: NodeSha256,
      uriEscapePath: service !== 's3',
    });
  }
  stringToSign(
    request: HttpRequest,
    headers: Record<string, string>,
    payloadHash: string,
    longDate: string,
    scope: string,
  ) {
    return this.createStringToSign(
      longDate,
      scope,
      this.createCanonicalRequest(request, headers, payloadHash),
      ALGORITHM,
    );
  }
}

export const hmacHex = (key: Uint8Array, text: string) =>
  createHmac('sha256', key).update(text).digest('hex');
export const sha256Hex = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex');

/** Constant-time comparison of two hex signatures. */
export function sameSignature(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given.toLowerCase(), 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

interface SignedParts {
  presigned: boolean;
  accessKeyId: string;
  shortDate: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
  longDate: string | undefined;
  expires?: number;
}

const AUTH_HEADER =
  /^AWS4-HMAC-SHA256\s+Credential=([^/,\s]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request,\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-fA-F]+)\s*$/;
const CREDENTIAL = /^([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request$/;
const LONG_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

function parseLongDate(text: string | undefined): Date | undefined {
  const m = text === undefined ? null : LONG_DATE.exec(text);
  return m ? new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!)) : undefined;
}

/** Splits the raw query into decoded name -> value(s), keeping `+` literal (SigV4 encodes spaces as %20). */
function parseQuery(search: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  if (search === '') return query;
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  for (const pair of search.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decode(eq === -1 ? pair : pair.slice(0, eq));
    const value = eq === -1 ? '' : decode(pair.slice(eq + 1));
    const prev = query[name];
    query[name] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return query;
}

const header = (req: IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
};

function signedParts(req: IncomingMessage, query: Record<string, string | string[]>): SignedParts | string {
  const auth = header(req, 'authorization');
  if (auth !== undefined) {
    const m = AUTH_HEADER.exec(auth);
    if (!m) return `the Authorization header is not a well-formed ${ALGORITHM} signature`;
    return {
      presigned: false,
      accessKeyId: m[1]!,
      shortDate: m[2]!,
      region: m[3]!,
      service: m[4]!,
      signedHeaders: m[5]!.split(';'),
      signature: m[6]!,
      longDate: header(req, 'x-amz-date'),
    };
  }
  const q = (name: string) => {
    const v = query[name];
    return Array.isArray(v) ? v[0] : v;
  };
  if (q('X-Amz-Algorithm') !== ALGORITHM) return `X-Amz-Algorithm must be ${ALGORITHM}`;
  const credential = CREDENTIAL.exec(q('X-Amz-Credential') ?? '');
  const signature = q('X-Amz-Signature') ?? '';
  const signedHeaders = q('X-Amz-SignedHeaders');
  const expires = Number(q('X-Amz-Expires'));
  if (!credential || !/^[0-9a-fA-F]+$/.test(signature) || !signedHeaders)
    return 'a presigned URL needs X-Amz-Credential, X-Amz-SignedHeaders and X-Amz-Signature';
  if (!Number.isInteger(expires) || expires < 1 || expires > MAX_PRESIGNED_EXPIRES)
    return `X-Amz-Expires must be from 1 to ${MAX_PRESIGNED_EXPIRES} seconds`;
  return {
    presigned: true,
    accessKeyId: credential[1]!,
    shortDate: credential[2]!,
    region: credential[3]!,
    service: credential[4]!,
    signedHeaders: signedHeaders.split(';'),
    signature,
    longDate: q('X-Amz-Date'),
    expires,
  };
}

async function readAll(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_HASHED_BODY) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** The request as the handler will see it, with a body already read replayed from memory. */
function replaying(req: IncomingMessage, body: Buffer): IncomingMessage {
  const stream = Readable.from(body.length > 0 ? [body] : [], { objectMode: false });
  return Object.assign(stream, {
    headers: req.headers,
    rawHeaders: req.rawHeaders,
    url: req.url,
    method: req.method,
    httpVersion: req.httpVersion,
    socket: req.socket,
  }) as unknown as IncomingMessage;
}

/**
 * Verifies the signature of `req` (Authorization header or presigned query) against `credentials`.
 * A body the client did not hash into x-amz-content-sha256 (JSON services) is read and hashed here, and
 * the returned `req` replays it.
 */
export async function verifyRequest(
  req: IncomingMessage,
  credentials: StackCredentials,
  now: Date = new Date(),
): Promise<Verification> {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  const query = parseQuery(q === -1 ? '' : url.slice(q + 1));
  const parts = signedParts(req, query);
  if (typeof parts === 'string') return { ok: false, failure: { kind: 'malformed', message: parts } };
  if (parts.accessKeyId !== credentials.accessKeyId)
    return { ok: false, failure: { kind: 'unknown-key', accessKeyId: parts.accessKeyId } };

  const requestTime = parseLongDate(parts.longDate);
  if (!requestTime)
    return {
      ok: false,
      failure: { kind: 'malformed', message: 'the request needs an X-Amz-Date in the form YYYYMMDDTHHMMSSZ' },
    };
  if (parts.presigned) {
    const expires = new Date(requestTime.getTime() + parts.expires! * 1000);
    if (now > expires) return { ok: false, failure: { kind: 'expired', expires, serverTime: now } };
    if (requestTime.getTime() - now.getTime() > MAX_SKEW_MS)
      return { ok: false, failure: { kind: 'skewed', requestTime, serverTime: now } };
  } else if (Math.abs(requestTime.getTime() - now.getTime()) > MAX_SKEW_MS)
    return { ok: false, failure: { kind: 'skewed', requestTime, serverTime: now } };
  if (!parts.longDate!.startsWith(parts.shortDate))
    return {
      ok: false,
      failure: { kind: 'bad-signature', detail: 'the credential date is not the request date' },
    };

  // Only what the client signed goes into the canonical request; HTTP/2 carries Host as :authority.
  const headers: Record<string, string> = {};
  for (const name of parts.signedHeaders) {
    const value = header(req, name) ?? (name === 'host' ? header(req, ':authority') : undefined);
    if (value !== undefined) headers[name] = value;
  }
  if (parts.presigned) delete query['X-Amz-Signature'];
  let handed = req;
  let payloadHash: string;
  const declared = header(req, 'x-amz-content-sha256');
  if (parts.presigned) {
    // A presigned URL does not sign its body (S3: "UNSIGNED-PAYLOAD").
    const inQuery = query['X-Amz-Content-Sha256'];
    payloadHash = typeof inQuery === 'string' ? inQuery : 'UNSIGNED-PAYLOAD';
  } else if (declared !== undefined && (parts.service === 's3' || !/^[0-9a-f]{64}$/.test(declared))) {
    // S3 checks a declared body hash as it stores the body (s3/receive-body.ts), without buffering it.
    payloadHash = declared;
  } else {
    const body = await readAll(req);
    if (body === undefined) return { ok: false, failure: { kind: 'too-large' } };
    payloadHash = body.length === 0 ? EMPTY_SHA256 : sha256Hex(body);
    if (declared !== undefined && declared !== payloadHash)
      return { ok: false, failure: { kind: 'bad-signature', detail: 'the body is not the one signed' } };
    handed = replaying(req, body);
  }

  const canonicalHeaders = getCanonicalHeaders(
    { headers } as HttpRequest,
    new Set(),
    new Set(parts.signedHeaders),
  ) as Record<string, string>;
  const scope = `${parts.shortDate}/${parts.region}/${parts.service}/aws4_request`;
  const request = { method: req.method ?? 'GET', path, query, headers } as unknown as HttpRequest;
  const stringToSign = await new CanonicalSigner(parts.service).stringToSign(
    request,
    canonicalHeaders,
    payloadHash,
    parts.longDate!,
    scope,
  );
  const signingKey = await getSigningKey(
    NodeSha256,
    credentials,
    parts.shortDate,
    parts.region,
    parts.service,
  );
  const expected = hmacHex(signingKey, stringToSign);
  if (!sameSignature(expected, parts.signature)) return { ok: false, failure: { kind: 'bad-signature' } };
  const chunkSigning =
    !parts.presigned && declared?.startsWith('STREAMING-AWS4-HMAC-SHA256-PAYLOAD')
      ? { signingKey, longDate: parts.longDate!, scope, seedSignature: parts.signature.toLowerCase() }
      : undefined;
  return { ok: true, req: handed, ...(chunkSigning ? { chunkSigning } : {}) };
}
