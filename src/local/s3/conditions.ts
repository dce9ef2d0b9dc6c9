import type { IncomingMessage } from 'node:http';
import { header } from './http-io.ts';
import type { ObjectRecord } from './object-record.ts';
import { noSuchKey, notImplemented, preconditionFailed, S3Error } from './s3-error.ts';

/** Preconditions (RFC 7232, as S3 applies them) for reads and for conditional writes. */

const normalizeTag = (t: string) => t.trim().replace(/^W\//, '').replace(/^"|"$/g, '');

/** True when a list like `"a", "b"` or `*` matches the ETag. */
export function etagMatches(list: string, etag: string): boolean {
  const want = normalizeTag(etag);
  return list.split(',').some((t) => {
    const tag = normalizeTag(t);
    return tag === '*' || tag === want;
  });
}

/** HTTP dates have second precision; compare Last-Modified at that precision too. */
const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);
const headerSeconds = (value: string | undefined): number | undefined => {
  if (value === undefined) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : Math.floor(t / 1000); // S3 ignores unparseable dates
};

export type ReadOutcome = 'ok' | 'not-modified';

/**
 * GetObject/HeadObject preconditions. If-Match beats If-Unmodified-Since, If-None-Match beats
 * If-Modified-Since (RFC 7232 §6). A failed If-Match/If-Unmodified-Since is 412; the others are 304.
 */
export function checkRead(
  req: IncomingMessage,
  record: ObjectRecord,
  prefix: '' | 'x-amz-copy-source-' = '',
): ReadOutcome {
  const ifMatch = header(req, `${prefix}if-match`);
  const ifNoneMatch = header(req, `${prefix}if-none-match`);
  const ifModifiedSince = headerSeconds(header(req, `${prefix}if-modified-since`));
  const ifUnmodifiedSince = headerSeconds(header(req, `${prefix}if-unmodified-since`));
  const modified = seconds(record.lastModified);
  if (ifMatch !== undefined && !etagMatches(ifMatch, record.etag))
    throw preconditionFailed(`${prefix}If-Match`);
  if (ifMatch === undefined && ifUnmodifiedSince !== undefined && modified > ifUnmodifiedSince)
    throw preconditionFailed(`${prefix}If-Unmodified-Since`);
  if (ifNoneMatch !== undefined && etagMatches(ifNoneMatch, record.etag)) return 'not-modified';
  if (ifNoneMatch === undefined && ifModifiedSince !== undefined && modified <= ifModifiedSince)
    return 'not-modified';
  return 'ok';
}

export interface WriteConditions {
  ifMatch: string | undefined;
  ifNoneMatch: string | undefined;
}

/** Reads and validates the conditional-write headers up front, before any body is stored. */
export function writeConditions(req: IncomingMessage): WriteConditions {
  const ifNoneMatch = header(req, 'if-none-match');
  if (ifNoneMatch !== undefined && ifNoneMatch.trim() !== '*')
    throw notImplemented('If-None-Match with a value other than * on writes');
  return { ifMatch: header(req, 'if-match'), ifNoneMatch };
}

/**
 * Conditional writes (PutObject, CompleteMultipartUpload, CopyObject), evaluated against the current
 * object inside the key's lock: `If-None-Match: *` fails with 412 when the key exists; `If-Match` fails
 * with 404 NoSuchKey when it does not and 412 when its ETag differs.
 */
export function checkWrite(
  conditions: WriteConditions,
  key: string,
  current: ObjectRecord | undefined,
): void {
  if (conditions.ifNoneMatch !== undefined && current !== undefined)
    throw preconditionFailed('If-None-Match');
  if (conditions.ifMatch !== undefined) {
    if (current === undefined) throw noSuchKey(key);
    if (!etagMatches(conditions.ifMatch, current.etag)) throw preconditionFailed('If-Match');
  }
}

/** A parsed Range header: inclusive byte offsets, or undefined for "whole object". */
export function parseRange(
  value: string | undefined,
  size: number,
): { start: number; end: number } | undefined {
  if (value === undefined) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(value.trim());
  // Syntactically invalid or multi-range headers are ignored, as S3 does: the whole object is returned.
  if (m === null || (m[1] === '' && m[2] === '')) return undefined;
  const unsatisfiable = () =>
    new S3Error('InvalidRange', 416, 'The requested range is not satisfiable', {
      RangeRequested: value,
      ActualObjectSize: String(size),
    });
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) throw unsatisfiable();
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (m[2] !== '' && Number(m[2]) < start) return undefined;
  if (start >= size) throw unsatisfiable();
  return { start, end };
}
