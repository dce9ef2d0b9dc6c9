import type { IncomingMessage, ServerResponse } from 'node:http';
import { storedContentEncoding } from '../aws-chunked.ts';
import type { DiskStore } from '../disk-store.ts';
import { header, httpDate, type S3Request } from '../http-io.ts';
import type { MultipartStore } from '../multipart-store.ts';
import type { ObjectRecord, RepresentationFields } from '../object-record.ts';
import type { ObjectCreatedEvent } from '../object-store.port.ts';

/** What every handler gets: the request, the response, and the service's stores. */
export interface S3Context {
  req: IncomingMessage;
  res: ServerResponse;
  s3req: S3Request;
  disk: DiskStore;
  uploads: MultipartStore;
  region: string;
  /** Journals and announces a committed object; call inside the commit (see DiskStore.commit). */
  created(
    bucket: string,
    record: ObjectRecord,
    reason: ObjectCreatedEvent['reason'],
  ): Promise<ObjectCreatedEvent>;
}

export const LOCAL_OWNER = {
  ID: '75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a',
  DisplayName: 'local',
};

/** S3's default when a client sends no Content-Type. */
export const DEFAULT_CONTENT_TYPE = 'binary/octet-stream';

/** The representation headers of a PutObject/CreateMultipartUpload request, as they will be stored. */
export function representationFrom(req: IncomingMessage): RepresentationFields {
  const metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (name.startsWith('x-amz-meta-') && value !== undefined)
      metadata[name.slice('x-amz-meta-'.length)] = Array.isArray(value) ? value.join(',') : value;
  }
  return {
    contentType: header(req, 'content-type') ?? DEFAULT_CONTENT_TYPE,
    contentEncoding: storedContentEncoding(header(req, 'content-encoding')),
    contentDisposition: header(req, 'content-disposition'),
    contentLanguage: header(req, 'content-language'),
    cacheControl: header(req, 'cache-control'),
    expires: header(req, 'expires'),
    metadata,
  };
}

/** The response headers that describe a stored object (GetObject/HeadObject). */
export function representationHeaders(record: ObjectRecord, query: URLSearchParams): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': query.get('response-content-type') ?? record.contentType,
    etag: record.etag,
    'last-modified': httpDate(record.lastModified),
    'accept-ranges': 'bytes',
  };
  const optional: [string, string | undefined][] = [
    ['content-encoding', query.get('response-content-encoding') ?? record.contentEncoding],
    ['content-disposition', query.get('response-content-disposition') ?? record.contentDisposition],
    ['content-language', query.get('response-content-language') ?? record.contentLanguage],
    ['cache-control', query.get('response-cache-control') ?? record.cacheControl],
    ['expires', query.get('response-expires') ?? record.expires],
  ];
  for (const [name, value] of optional) if (value !== undefined && value !== null) headers[name] = value;
  for (const [name, value] of Object.entries(record.metadata)) headers[`x-amz-meta-${name}`] = value;
  return headers;
}

/** `x-amz-checksum-<alg>` (+ type) for a stored object, as GetObject returns it in checksum mode. */
export function checksumHeaders(record: ObjectRecord): Record<string, string> {
  const value = record.checksums[record.checksumAlgorithm];
  if (value === undefined) return {};
  return {
    [`x-amz-checksum-${record.checksumAlgorithm}`]: value,
    'x-amz-checksum-type': record.checksumType,
  };
}

/** XML elements ChecksumCRC32 etc. for result documents. */
export function checksumElements(checksums: Partial<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [alg, value] of Object.entries(checksums))
    if (value !== undefined) out[`Checksum${alg.toUpperCase()}`] = value;
  return out;
}
