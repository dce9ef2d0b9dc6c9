import { sendXml } from '../http-io.ts';
import { listPage } from '../list-page.ts';
import type { ObjectRecord } from '../object-record.ts';
import { invalidArgument } from '../s3-error.ts';
import { renderXml, type XmlNode } from '../xml.ts';
import { LOCAL_OWNER, type S3Context } from './context.ts';

interface Common {
  prefix: string;
  delimiter: string;
  maxKeys: number;
  encode: (s: string) => string;
  encodingType: string | undefined;
}

function commonParams(query: URLSearchParams): Common {
  const raw = query.get('max-keys');
  const maxKeys = raw === null ? 1000 : Number(raw);
  if (!Number.isInteger(maxKeys) || maxKeys < 0)
    throw invalidArgument('Provided max-keys not an integer or within integer range', 'max-keys', raw ?? '');
  const encodingType = query.get('encoding-type') ?? undefined;
  if (encodingType !== undefined && encodingType !== 'url')
    throw invalidArgument('Invalid Encoding Method specified in Request', 'encoding-type', encodingType);
  // encoding-type=url lets XML carry keys with characters XML 1.0 cannot; clients decode with unquote_plus.
  const encode =
    encodingType === 'url' ? (s: string) => encodeURIComponent(s).replace(/%2F/g, '/') : (s: string) => s;
  return {
    prefix: query.get('prefix') ?? '',
    delimiter: query.get('delimiter') ?? '',
    maxKeys: Math.min(maxKeys, 1000),
    encode,
    encodingType,
  };
}

function contentsXml(records: ObjectRecord[], encode: (s: string) => string, withOwner: boolean): XmlNode[] {
  return records.map((r) => ({
    Key: encode(r.key),
    LastModified: r.lastModified,
    ETag: r.etag,
    ChecksumAlgorithm: r.checksumAlgorithm.toUpperCase(),
    ChecksumType: r.checksumType,
    Size: r.size,
    StorageClass: 'STANDARD',
    Owner: withOwner ? LOCAL_OWNER : undefined,
  }));
}

/** ListObjectsV2 (GET /bucket?list-type=2): opaque continuation tokens over the key order. */
export function listObjectsV2(ctx: S3Context, bucket: string): void {
  const { s3req } = ctx;
  const query = s3req.query;
  const state = ctx.disk.bucket(bucket);
  const p = commonParams(query);
  const token = query.get('continuation-token') ?? undefined;
  let after = query.get('start-after') ?? undefined;
  if (token !== undefined) {
    const decoded = Buffer.from(token, 'base64url').toString('utf8');
    if (token === '' || !decoded.startsWith('k:'))
      throw invalidArgument('The continuation token provided is incorrect', 'continuation-token', token);
    after = decoded.slice(2);
  }
  const page = listPage(state.index, { prefix: p.prefix, delimiter: p.delimiter, maxKeys: p.maxKeys, after });
  const next =
    page.truncated && page.last !== undefined
      ? Buffer.from(`k:${page.last}`, 'utf8').toString('base64url')
      : undefined;
  const xml = renderXml('ListBucketResult', {
    Name: bucket,
    Prefix: p.encode(p.prefix),
    Delimiter: p.delimiter === '' ? undefined : p.encode(p.delimiter),
    MaxKeys: p.maxKeys,
    EncodingType: p.encodingType,
    KeyCount: page.contents.length + page.commonPrefixes.length,
    IsTruncated: page.truncated,
    ContinuationToken: token,
    NextContinuationToken: next,
    StartAfter: query.has('start-after') ? p.encode(query.get('start-after')!) : undefined,
    Contents: contentsXml(page.contents, p.encode, query.get('fetch-owner') === 'true'),
    CommonPrefixes: page.commonPrefixes.map((prefix) => ({ Prefix: p.encode(prefix) })),
  });
  sendXml(ctx.res, s3req, 200, xml);
}

/** ListObjects (v1, GET /bucket): marker-based, for older clients. */
export function listObjectsV1(ctx: S3Context, bucket: string): void {
  const { s3req } = ctx;
  const query = s3req.query;
  const state = ctx.disk.bucket(bucket);
  const p = commonParams(query);
  const marker = query.get('marker') ?? '';
  const page = listPage(state.index, {
    prefix: p.prefix,
    delimiter: p.delimiter,
    maxKeys: p.maxKeys,
    after: marker === '' ? undefined : marker,
  });
  const xml = renderXml('ListBucketResult', {
    Name: bucket,
    Prefix: p.encode(p.prefix),
    Marker: p.encode(marker),
    NextMarker: page.truncated && page.last !== undefined ? p.encode(page.last) : undefined,
    MaxKeys: p.maxKeys,
    Delimiter: p.delimiter === '' ? undefined : p.encode(p.delimiter),
    EncodingType: p.encodingType,
    IsTruncated: page.truncated,
    Contents: contentsXml(page.contents, p.encode, true),
    CommonPrefixes: page.commonPrefixes.map((prefix) => ({ Prefix: p.encode(prefix) })),
  });
  sendXml(ctx.res, s3req, 200, xml);
}
