import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { checkRead, checkWrite, etagMatches, parseRange } from './conditions.ts';
import type { ObjectRecord } from './object-record.ts';
import type { S3Error } from './s3-error.ts';

const record = {
  key: 'k',
  size: 10,
  etag: '"abc"',
  lastModified: '2026-01-01T12:00:00.500Z',
} as ObjectRecord;
const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;
const codeOf = (fn: () => unknown) => {
  try {
    fn();
    return 'ok';
  } catch (e) {
    return `${(e as S3Error).status} ${(e as S3Error).code}`;
  }
};

describe('etagMatches', () => {
  it('accepts quoted, unquoted, weak, listed and * forms', () => {
    for (const v of ['"abc"', 'abc', 'W/"abc"', '"x", "abc"', '*'])
      expect(etagMatches(v, '"abc"')).toBe(true);
    expect(etagMatches('"abcd"', '"abc"')).toBe(false);
  });
});

describe('checkRead', () => {
  it('follows RFC 7232 precedence as S3 does', () => {
    expect(codeOf(() => checkRead(req({ 'if-match': '"zzz"' }), record))).toBe('412 PreconditionFailed');
    // If-Match true overrides a failing If-Unmodified-Since.
    const past = 'Wed, 01 Jan 2025 00:00:00 GMT';
    expect(checkRead(req({ 'if-match': '"abc"', 'if-unmodified-since': past }), record)).toBe('ok');
    expect(codeOf(() => checkRead(req({ 'if-unmodified-since': past }), record))).toBe(
      '412 PreconditionFailed',
    );
    expect(checkRead(req({ 'if-none-match': '"abc"' }), record)).toBe('not-modified');
    // Last-Modified is compared at the one-second precision of HTTP dates.
    expect(checkRead(req({ 'if-modified-since': 'Thu, 01 Jan 2026 12:00:00 GMT' }), record)).toBe(
      'not-modified',
    );
    expect(checkRead(req({ 'if-modified-since': 'Thu, 01 Jan 2026 11:59:59 GMT' }), record)).toBe('ok');
    expect(checkRead(req({ 'if-modified-since': 'not a date' }), record)).toBe('ok');
  });
});

describe('checkWrite', () => {
  it('implements If-None-Match: * and If-Match for writes', () => {
    expect(codeOf(() => checkWrite({ ifNoneMatch: '*', ifMatch: undefined }, 'k', record))).toBe(
      '412 PreconditionFailed',
    );
    expect(codeOf(() => checkWrite({ ifNoneMatch: '*', ifMatch: undefined }, 'k', undefined))).toBe('ok');
    expect(codeOf(() => checkWrite({ ifNoneMatch: undefined, ifMatch: '"abc"' }, 'k', record))).toBe('ok');
    expect(codeOf(() => checkWrite({ ifNoneMatch: undefined, ifMatch: '"old"' }, 'k', record))).toBe(
      '412 PreconditionFailed',
    );
    expect(codeOf(() => checkWrite({ ifNoneMatch: undefined, ifMatch: '"abc"' }, 'k', undefined))).toBe(
      '404 NoSuchKey',
    );
  });
});

describe('parseRange', () => {
  it('handles closed, open, suffix, clamped, invalid and unsatisfiable ranges', () => {
    expect(parseRange('bytes=0-0', 10)).toEqual({ start: 0, end: 0 });
    expect(parseRange('bytes=5-', 10)).toEqual({ start: 5, end: 9 });
    expect(parseRange('bytes=-4', 10)).toEqual({ start: 6, end: 9 });
    expect(parseRange('bytes=-40', 10)).toEqual({ start: 0, end: 9 });
    expect(parseRange('bytes=8-99', 10)).toEqual({ start: 8, end: 9 });
    expect(parseRange('bytes=5-2', 10)).toBeUndefined(); // invalid: whole object, as S3 does
    expect(parseRange('bytes=0-1,3-4', 10)).toBeUndefined();
    expect(parseRange(undefined, 10)).toBeUndefined();
    expect(codeOf(() => parseRange('bytes=10-', 10))).toBe('416 InvalidRange');
    expect(codeOf(() => parseRange('bytes=-0', 10))).toBe('416 InvalidRange');
    expect(codeOf(() => parseRange('bytes=0-', 0))).toBe('416 InvalidRange');
  });
});
