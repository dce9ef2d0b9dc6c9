import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { S3Error } from './s3-error.ts';
import { renderXml } from './xml.ts';

/** Request parsing and response writing shared by the handlers. */

export interface S3Request {
  method: string;
  bucket: string | undefined;
  key: string | undefined;
  query: URLSearchParams;
  /** The path as sent, for the Resource element of error documents. */
  resource: string;
  requestId: string;
}

export function parseRequest(req: IncomingMessage): S3Request {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const rawPath = q === -1 ? url : url.slice(0, q);
  const query = new URLSearchParams(q === -1 ? '' : url.slice(q + 1));
  const requestId = randomBytes(8).toString('hex').toUpperCase();
  const base = { method: (req.method ?? 'GET').toUpperCase(), query, requestId };
  // Path-style only: /<bucket>/<key...>. The key is everything after the bucket's slash, verbatim
  // (keys may start with or contain "/" and "//").
  const path = rawPath.startsWith('/') ? rawPath.slice(1) : rawPath;
  const slash = path.indexOf('/');
  const rawBucket = slash === -1 ? path : path.slice(0, slash);
  const rawKey = slash === -1 ? '' : path.slice(slash + 1);
  let bucket: string;
  let key: string;
  try {
    bucket = decodeURIComponent(rawBucket);
    key = decodeURIComponent(rawKey);
  } catch {
    throw new S3Error('InvalidURI', 400, 'Could not parse the specified URI.');
  }
  return {
    ...base,
    bucket: bucket === '' ? undefined : bucket,
    key: key === '' ? undefined : key,
    resource: rawPath,
  };
}

export const header = (req: IncomingMessage, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
};

/** Reads a small request body (XML documents); larger than `limit` is S3's MaxMessageLengthExceeded. */
export async function readSmallBody(req: IncomingMessage, limit = 2 * 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new S3Error('MaxMessageLengthExceeded', 400, 'Your request was too big.');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function baseHeaders(s3req: S3Request): Record<string, string> {
  return { 'x-amz-request-id': s3req.requestId, 'x-amz-id-2': s3req.requestId, server: 'tunekit-local-s3' };
}

export function sendXml(
  res: ServerResponse,
  s3req: S3Request,
  status: number,
  xml: string,
  headers: Record<string, string> = {},
): void {
  const body = Buffer.from(xml, 'utf8');
  res.writeHead(status, {
    ...baseHeaders(s3req),
    'content-type': 'application/xml',
    'content-length': String(body.length),
    ...headers,
  });
  res.end(body);
}

export function sendEmpty(
  res: ServerResponse,
  s3req: S3Request,
  status: number,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { ...baseHeaders(s3req), 'content-length': '0', ...headers });
  res.end();
}

export function startBody(
  res: ServerResponse,
  s3req: S3Request,
  status: number,
  headers: Record<string, string>,
): void {
  res.writeHead(status, { ...baseHeaders(s3req), ...headers });
}

export function sendError(res: ServerResponse, s3req: S3Request, error: S3Error): void {
  if (res.headersSent) {
    res.destroy(error);
    return;
  }
  // HEAD responses carry no body; SDKs then derive the error from the status code alone.
  if (s3req.method === 'HEAD') {
    sendEmpty(res, s3req, error.status, { 'x-amz-error-code': error.code });
    return;
  }
  const xml = renderXml(
    'Error',
    {
      Code: error.code,
      Message: error.message,
      ...error.extra,
      Resource: s3req.resource,
      RequestId: s3req.requestId,
    },
    null,
  );
  sendXml(res, s3req, error.status, xml);
}

export const httpDate = (iso: string) => new Date(iso).toUTCString();
