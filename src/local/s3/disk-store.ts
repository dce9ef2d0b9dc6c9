import { randomUUID } from 'node:crypto';
import { type FileHandle, mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { TunekitError } from '../../errors.ts';
import { BucketIndex } from './bucket-index.ts';
import { fsyncDir, writeFileAtomic } from './fs-atomic.ts';
import { keyFileName } from './key-encoding.ts';
import { KeyLock } from './key-lock.ts';
import { collectUploadGarbage } from './multipart-store.ts';
import {
  type BucketRecord,
  bucketRecordSchema,
  type ObjectRecord,
  objectRecordSchema,
} from './object-record.ts';
import { noSuchBucket, S3Error } from './s3-error.ts';

/**
 * Buckets and objects on disk, under `<root>` (= `<dataDir>/s3`):
 *
 *   buckets/<bucket>/bucket.json             bucket record
 *   buckets/<bucket>/objects/<key file>.json object records (see object-record.ts)
 *   buckets/<bucket>/data/<uuid>             object bytes, one file per stored version, never rewritten
 *   buckets/<bucket>/uploads/<upload id>/    multipart staging (multipart-store.ts)
 *   trash/                                    deleted buckets/uploads, emptied at start-up
 *
 * Every visible change is one rename. Start-up removes temp files and data files no record points to,
 * which is all a crash can leave behind. An in-memory index answers lookups and listings.
 */
export interface BucketState {
  record: BucketRecord;
  index: BucketIndex;
  dir: string;
}

export class DiskStore {
  readonly locks = new KeyLock();
  private readonly buckets = new Map<string, BucketState>();

  private constructor(readonly root: string) {}

  static async open(root: string): Promise<DiskStore> {
    const store = new DiskStore(root);
    await mkdir(join(root, 'buckets'), { recursive: true });
    await rm(join(root, 'trash'), { recursive: true, force: true });
    await mkdir(join(root, 'trash'), { recursive: true });
    for (const name of await readdir(join(root, 'buckets'))) {
      const dir = join(root, 'buckets', name);
      if (name.startsWith('.')) {
        await rm(dir, { recursive: true, force: true }); // a bucket creation that did not finish
        continue;
      }
      store.buckets.set(name, await loadBucket(dir));
    }
    return store;
  }

  bucketNames(): BucketRecord[] {
    return [...this.buckets.values()].map((b) => b.record).sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  has(bucket: string): boolean {
    return this.buckets.has(bucket);
  }

  bucket(name: string): BucketState {
    const state = this.buckets.get(name);
    if (state === undefined) throw noSuchBucket(name);
    return state;
  }

  /** Returns false (and changes nothing) when the bucket already exists in us-east-1, as S3 does there. */
  async createBucket(name: string, region: string): Promise<boolean> {
    return this.locks.run(`bucket:${name}`, async () => {
      const existing = this.buckets.get(name);
      // S3 quirk kept for compatibility: re-creating your own bucket in us-east-1 is a no-op 200; other
      // regions answer 409 BucketAlreadyOwnedByYou.
      if (existing !== undefined && existing.record.region === 'us-east-1' && region === 'us-east-1')
        return false;
      if (existing !== undefined)
        throw new S3Error(
          'BucketAlreadyOwnedByYou',
          409,
          'Your previous request to create the named bucket succeeded and you already own it.',
          { BucketName: name },
        );
      // Build the bucket under a hidden name, then rename it into place: it appears whole or not at all.
      const tmp = join(this.root, 'buckets', `.tmp-${randomUUID()}`);
      for (const sub of ['objects', 'data', 'uploads']) await mkdir(join(tmp, sub), { recursive: true });
      const record: BucketRecord = {
        name,
        region,
        creationDate: new Date().toISOString(),
        eventBridgeEnabled: false,
      };
      await writeFileAtomic(join(tmp, 'bucket.json'), JSON.stringify(record));
      const dir = join(this.root, 'buckets', name);
      await rename(tmp, dir);
      await fsyncDir(join(this.root, 'buckets'));
      this.buckets.set(name, { record, index: new BucketIndex(), dir });
      return true;
    });
  }

  async deleteBucket(name: string): Promise<void> {
    await this.locks.run(`bucket:${name}`, async () => {
      const state = this.bucket(name);
      if (state.index.size > 0)
        throw new S3Error('BucketNotEmpty', 409, 'The bucket you tried to delete is not empty', {
          BucketName: name,
        });
      this.buckets.delete(name);
      await this.discard(state.dir);
    });
  }

  async updateBucket(name: string, patch: Partial<BucketRecord>): Promise<void> {
    const state = this.bucket(name);
    const record = { ...state.record, ...patch, name };
    await writeFileAtomic(join(state.dir, 'bucket.json'), JSON.stringify(record));
    state.record = record;
  }

  /** A fresh path for an object's bytes; it becomes the object only when `commit` points a record at it. */
  newDataFile(bucket: string): { id: string; path: string } {
    const id = randomUUID();
    return { id, path: join(this.bucket(bucket).dir, 'data', id) };
  }

  dataPath(bucket: string, record: ObjectRecord): string {
    return join(this.bucket(bucket).dir, 'data', record.dataFile);
  }

  head(bucket: string, key: string): ObjectRecord | undefined {
    return this.bucket(bucket).index.get(key);
  }

  /**
   * Opens the data file of the object at `key` (undefined when there is none). A concurrent overwrite may
   * delete the data file between reading the record and opening it; then the newer record is read again (an
   * open file stays readable after it is replaced, so once open, the reader sees one consistent version).
   * `check` sees each record before its file is opened and may throw (a failed precondition).
   */
  async openCurrent(
    bucket: string,
    key: string,
    check: (record: ObjectRecord) => void = () => {},
  ): Promise<{ record: ObjectRecord; fh: FileHandle } | undefined> {
    for (let attempt = 0; ; attempt++) {
      const record = this.head(bucket, key);
      if (record === undefined) return undefined;
      check(record);
      try {
        return { record, fh: await open(this.dataPath(bucket, record), 'r') };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || attempt >= 5) throw error;
      }
    }
  }

  /**
   * Makes `build(current)` the object at `key`, atomically. Runs under the key's lock: `build` sees the
   * current record and may throw (a failed precondition), in which case nothing changes. `after` runs
   * inside the same lock once the record is durable (the event journal, so events keep commit order).
   */
  async commit<T>(
    bucket: string,
    key: string,
    build: (current: ObjectRecord | undefined) => ObjectRecord,
    after: (record: ObjectRecord) => Promise<T>,
  ): Promise<T> {
    return this.locks.run(`${bucket}/${key}`, async () => {
      const state = this.bucket(bucket);
      const current = state.index.get(key);
      const record = build(current);
      await writeFileAtomic(join(state.dir, 'objects', `${keyFileName(key)}.json`), JSON.stringify(record));
      state.index.set(record);
      if (current !== undefined && current.dataFile !== record.dataFile)
        await rm(join(state.dir, 'data', current.dataFile), { force: true });
      return after(record);
    });
  }

  async deleteObject(bucket: string, key: string): Promise<void> {
    await this.locks.run(`${bucket}/${key}`, async () => {
      const state = this.bucket(bucket);
      const current = state.index.get(key);
      if (current === undefined) return; // S3 answers 204 for a missing key too
      // Record first: once it is gone the object is gone; a crash before the data rm leaves an orphan for GC.
      await rm(join(state.dir, 'objects', `${keyFileName(key)}.json`), { force: true });
      await fsyncDir(join(state.dir, 'objects'));
      state.index.delete(key);
      await rm(join(state.dir, 'data', current.dataFile), { force: true });
    });
  }

  /** Moves a directory out of sight atomically, then deletes it; start-up empties whatever remains. */
  async discard(dir: string): Promise<void> {
    const trash = join(this.root, 'trash', randomUUID());
    await rename(dir, trash);
    await rm(trash, { recursive: true, force: true });
  }
}

async function readBucketRecord(dir: string): Promise<BucketRecord> {
  const path = join(dir, 'bucket.json');
  try {
    return bucketRecordSchema.parse(JSON.parse(await readFile(path, 'utf8')));
  } catch (error) {
    // Written atomically by us, so this is outside damage; refuse to guess rather than drop a bucket.
    throw new TunekitError(
      'S3.CORRUPT_DATA',
      `The local S3 cannot read ${path}: ${(error as Error).message}`,
      {
        hint: `Restore that file, or move ${dir} out of the data dir to drop the bucket, then start again.`,
        cause: error,
      },
    );
  }
}

async function loadBucket(dir: string): Promise<BucketState> {
  const record = await readBucketRecord(dir);
  const index = new BucketIndex();
  for (const sub of ['objects', 'data', 'uploads']) await mkdir(join(dir, sub), { recursive: true });
  let unreadable = 0;
  for (const name of await readdir(join(dir, 'objects'))) {
    const path = join(dir, 'objects', name);
    if (name.startsWith('.tmp-')) {
      await rm(path, { force: true });
      continue;
    }
    try {
      index.set(objectRecordSchema.parse(JSON.parse(await readFile(path, 'utf8'))));
    } catch (error) {
      unreadable++;
      console.error(`local s3: skipping unreadable object record ${path}: ${(error as Error).message}`);
    }
  }
  // Data files no record points to are leftovers of interrupted or replaced writes. When a record was
  // unreadable we cannot tell which data is its own, so nothing is collected in that bucket.
  if (unreadable === 0) {
    const live = index.dataFiles();
    for (const name of await readdir(join(dir, 'data')))
      if (!live.has(name)) await rm(join(dir, 'data', name), { force: true });
  }
  await collectUploadGarbage(join(dir, 'uploads'));
  return { record, index, dir };
}
