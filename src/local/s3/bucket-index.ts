import { compareKeys } from './key-encoding.ts';
import type { ObjectRecord } from './object-record.ts';

/** The in-memory view of one bucket's objects: records by key plus the keys in S3 (UTF-8 binary) order. */
export class BucketIndex {
  private readonly records = new Map<string, ObjectRecord>();
  private readonly sorted: string[] = [];

  get size(): number {
    return this.records.size;
  }

  get(key: string): ObjectRecord | undefined {
    return this.records.get(key);
  }

  set(record: ObjectRecord): void {
    if (!this.records.has(record.key)) this.sorted.splice(this.lowerBound(record.key), 0, record.key);
    this.records.set(record.key, record);
  }

  delete(key: string): ObjectRecord | undefined {
    const record = this.records.get(key);
    if (record === undefined) return undefined;
    this.records.delete(key);
    this.sorted.splice(this.lowerBound(key), 1);
    return record;
  }

  /**
   * Records in key order with key > `after` and key >= `atLeast`. Callers consume it synchronously, so
   * no write can interleave with an iteration.
   */
  *from(after: string | undefined, atLeast = ''): Generator<ObjectRecord> {
    let i = this.lowerBound(atLeast);
    if (after !== undefined) {
      let j = this.lowerBound(after);
      if (this.sorted[j] === after) j++;
      i = Math.max(i, j);
    }
    for (; i < this.sorted.length; i++) {
      const record = this.records.get(this.sorted[i]!);
      if (record !== undefined) yield record;
    }
  }

  dataFiles(): Set<string> {
    return new Set(Array.from(this.records.values(), (r) => r.dataFile));
  }

  /** First index whose key is >= `key`. */
  private lowerBound(key: string): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareKeys(this.sorted[mid]!, key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
