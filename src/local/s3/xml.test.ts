import { describe, expect, it } from 'vitest';
import { S3Error } from './s3-error.ts';
import { escapeXml, parseXml, renderXml } from './xml.ts';

describe('renderXml', () => {
  it('renders nested and repeated elements with escaping', () => {
    const xml = renderXml('ListBucketResult', {
      Name: 'b',
      IsTruncated: false,
      Contents: [{ Key: 'a&b<c>' }, { Key: 'x' }],
      Skipped: undefined,
      CommonPrefixes: [],
    });
    expect(xml).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
        '<Name>b</Name><IsTruncated>false</IsTruncated><Contents><Key>a&amp;b&lt;c&gt;</Key></Contents>' +
        '<Contents><Key>x</Key></Contents></ListBucketResult>',
    );
  });

  it('escapes control characters XML 1.0 forbids as character references', () => {
    expect(escapeXml('a\u0001b"\'')).toBe('a&#1;b&quot;&apos;');
  });
});

describe('parseXml', () => {
  it('reads request documents, keeping repeatable elements as arrays', () => {
    const doc = parseXml(
      '<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Part><PartNumber>1</PartNumber><ETag>"e"</ETag></Part></CompleteMultipartUpload>',
      'CompleteMultipartUpload',
      ['Part'],
    );
    expect(doc.Part).toEqual([{ PartNumber: '1', ETag: '"e"' }]);
  });

  it('turns malformed or wrong documents into MalformedXML', () => {
    for (const body of ['', '<Delete><Object>', '<Other/>', 'not xml']) {
      let error: unknown;
      try {
        parseXml(body, 'Delete');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(S3Error);
      expect((error as S3Error).code).toBe('MalformedXML');
    }
  });
});
