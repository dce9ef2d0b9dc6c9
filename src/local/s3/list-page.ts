import type { BucketIndex } from './bucket-index.ts';
import type { ObjectRecord } from './object-record.ts';

export interface ListQuery {
  prefix: string;
  delimiter: string;
  maxKeys: number;
  /** Exclusive lower bound: the last key or common prefix of the previous page, or start-after/marker. */
  after: string | undefined;
}

export interface ListPage {
  contents: ObjectRecord[];
  commonPrefixes: string[];
  truncated: boolean;
  /** The last key or common prefix returned: where the next page starts. */
  last: string | undefined;
}

/**
 * One page of a listing, shared by ListObjects and ListObjectsV2. Keys sharing the part of the key up to
 * the first delimiter after the prefix collapse into one common prefix; both kinds count toward max-keys.
 * When `after` is itself a common prefix, keys under it were already summarised and are skipped.
 */
export function listPage(index: BucketIndex, q: ListQuery): ListPage {
  const page: ListPage = { contents: [], commonPrefixes: [], truncated: false, last: undefined };
  if (q.maxKeys <= 0) return page;
  let count = 0;
  for (const record of index.from(q.after, q.prefix)) {
    const key = record.key;
    if (!key.startsWith(q.prefix)) break; // keys are sorted: past the prefix range

    let item = key;
    let isPrefix = false;
    if (q.delimiter !== '') {
      const at = key.indexOf(q.delimiter, q.prefix.length);
      if (at !== -1) {
        item = key.slice(0, at + q.delimiter.length);
        isPrefix = true;
        if (item === page.last || item === q.after) continue;
      }
    }
    if (count === q.maxKeys) {
      page.truncated = true;
      break;
    }
    if (isPrefix) page.commonPrefixes.push(item);
    else page.contents.push(record);
    page.last = item;
    count++;
  }
  return page;
}
