import { describe, expect, it } from 'vitest';
import { BucketIndex } from './bucket-index.ts';
import { listPage } from './list-page.ts';
import type { ObjectRecord } from './object-record.ts';

function indexOf(keys: string[]): BucketIndex {
  const index = new BucketIndex();
  for (const key of keys)
    index.set({
      key,
      size: 0,
      etag: '""',
      lastModified: '2026-01-01T00:00:00.000Z',
      dataFile: key,
      contentType: 'x',
      metadata: {},
      checksums: {},
      checksumAlgorithm: 'crc32',
      checksumType: 'FULL_OBJECT',
    } satisfies ObjectRecord);
  return index;
}

/** Pages through a listing the way SDK paginators do, returning every entry in order. */
function all(index: BucketIndex, prefix: string, delimiter: string, maxKeys: number): string[] {
  const out: string[] = [];
  let after: string | undefined;
  for (let guard = 0; guard < 100; guard++) {
    const page = listPage(index, { prefix, delimiter, maxKeys, after });
    out.push(...page.contents.map((c) => c.key), ...page.commonPrefixes.map((p) => `[${p}]`));
    if (!page.truncated) return out;
    after = page.last;
  }
  throw new Error('listing did not terminate');
}

describe('listPage', () => {
  const index = indexOf(['a/1', 'a/2', 'b', 'c/x/1', 'c/x/2', 'c/y', 'd']);

  it('returns every key exactly once at any page size', () => {
    for (const size of [1, 2, 3, 1000])
      expect(all(index, '', '', size)).toEqual(['a/1', 'a/2', 'b', 'c/x/1', 'c/x/2', 'c/y', 'd']);
  });

  it('rolls keys up into common prefixes that count toward max-keys and are never repeated', () => {
    for (const size of [1, 2, 1000])
      expect(all(index, '', '/', size).sort()).toEqual(['[a/]', '[c/]', 'b', 'd']);
    expect(all(index, 'c/', '/', 1)).toEqual(['[c/x/]', 'c/y']);
  });

  it('stops at the end of the prefix range and honours max-keys 0', () => {
    expect(all(index, 'c/x/', '', 1)).toEqual(['c/x/1', 'c/x/2']);
    expect(listPage(index, { prefix: '', delimiter: '', maxKeys: 0, after: undefined })).toMatchObject({
      contents: [],
      truncated: false,
    });
  });

  it('starts strictly after start-after', () => {
    const page = listPage(index, { prefix: '', delimiter: '', maxKeys: 2, after: 'b' });
    expect(page.contents.map((c) => c.key)).toEqual(['c/x/1', 'c/x/2']);
  });
});
