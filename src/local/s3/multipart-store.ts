import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { CHECKSUM_ALGORITHMS } from './checksums.ts';
import type { DiskStore } from './disk-store.ts';
import { writeFileAtomic } from './fs-atomic.ts';
import { compareKeys } from './key-encoding.ts';
import { checksumsSchema, checksumTypeSchema, representationSchema } from './object-record.ts';
import { noSuchUpload } from './s3-error.ts';

/**
 * Multipart uploads staged in `buckets/<bucket>/uploads/<upload id>/`: `upload.json` (what the object
 * will be), and per part a data file `part-<n>-<uuid>` plus a record `part-<n>.json` renamed into place
 * after the bytes are durable, exactly like objects. Re-uploading a part replaces it atomically.
 */
export const uploadRecordSchema = z.object({
  uploadId: z.string(),
  key: z.string(),
  initiated: z.string(),
  ...representationSchema.shape,
  checksumAlgorithm: z.enum(CHECKSUM_ALGORITHMS).optional(),
  checksumType: checksumTypeSchema,
});
export type UploadRecord = z.infer<typeof uploadRecordSchema>;

export const partRecordSchema = z.object({
  partNumber: z.number().int().min(1).max(10000),
  etag: z.string(),
  size: z.number().int().nonnegative(),
  lastModified: z.string(),
  dataFile: z.string(),
  checksums: checksumsSchema,
});
export type PartRecord = z.infer<typeof partRecordSchema>;

const UPLOAD_ID = /^[0-9a-f]{32}$/;

export class MultipartStore {
  constructor(private readonly disk: DiskStore) {}

  private dir(bucket: string, uploadId: string): string {
    // The id comes from the URL: only ids we could have issued reach the file system.
    if (!UPLOAD_ID.test(uploadId)) throw noSuchUpload(uploadId);
    return join(this.disk.bucket(bucket).dir, 'uploads', uploadId);
  }

  async create(bucket: string, fields: Omit<UploadRecord, 'uploadId' | 'initiated'>): Promise<UploadRecord> {
    const uploadId = randomUUID().replaceAll('-', '');
    const record: UploadRecord = { ...fields, uploadId, initiated: new Date().toISOString() };
    const dir = this.dir(bucket, uploadId);
    await mkdir(dir, { recursive: true });
    await writeFileAtomic(join(dir, 'upload.json'), JSON.stringify(record));
    return record;
  }

  async get(bucket: string, uploadId: string): Promise<UploadRecord> {
    try {
      const text = await readFile(join(this.dir(bucket, uploadId), 'upload.json'), 'utf8');
      return uploadRecordSchema.parse(JSON.parse(text));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw noSuchUpload(uploadId);
      throw error;
    }
  }

  /** Uploads in progress in a bucket (ListMultipartUploads), oldest first. */
  async list(bucket: string): Promise<UploadRecord[]> {
    const root = join(this.disk.bucket(bucket).dir, 'uploads');
    const uploads: UploadRecord[] = [];
    for (const id of await readdir(root)) {
      // An upload completed or aborted while we list is simply not listed.
      const upload = UPLOAD_ID.test(id) ? await this.get(bucket, id).catch(() => undefined) : undefined;
      if (upload !== undefined) uploads.push(upload);
    }
    const byKeyThenTime = (a: UploadRecord, b: UploadRecord) =>
      compareKeys(a.key, b.key) || (a.initiated < b.initiated ? -1 : a.initiated > b.initiated ? 1 : 0);
    return uploads.sort(byKeyThenTime);
  }

  newPartFile(bucket: string, uploadId: string, partNumber: number): { id: string; path: string } {
    const id = `part-${partNumber}-${randomUUID()}`;
    return { id, path: join(this.dir(bucket, uploadId), id) };
  }

  partPath(bucket: string, uploadId: string, part: PartRecord): string {
    return join(this.dir(bucket, uploadId), part.dataFile);
  }

  /** Points the part's record at its new data file; if that fails, the data file is removed. */
  async commitPart(bucket: string, uploadId: string, part: PartRecord): Promise<void> {
    const dir = this.dir(bucket, uploadId);
    try {
      await this.disk.locks.run(`upload:${uploadId}:${part.partNumber}`, async () => {
        await this.get(bucket, uploadId); // aborted or completed meanwhile -> NoSuchUpload
        const previous = await readPart(join(dir, `part-${part.partNumber}.json`));
        await writeFileAtomic(join(dir, `part-${part.partNumber}.json`), JSON.stringify(part));
        if (previous !== undefined && previous.dataFile !== part.dataFile)
          await rm(join(dir, previous.dataFile), { force: true });
      });
    } catch (error) {
      await rm(join(dir, part.dataFile), { force: true });
      throw error;
    }
  }

  /** The parts of an upload the caller has just read with `get`, by part number. */
  async parts(bucket: string, uploadId: string): Promise<PartRecord[]> {
    const dir = this.dir(bucket, uploadId);
    const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
      throw error.code === 'ENOENT' ? noSuchUpload(uploadId) : error; // completed or aborted since
    });
    const parts: PartRecord[] = [];
    for (const name of names) {
      if (!/^part-\d+\.json$/.test(name)) continue;
      const part = await readPart(join(dir, name));
      if (part !== undefined) parts.push(part);
    }
    return parts.sort((a, b) => a.partNumber - b.partNumber);
  }

  /** Removes the upload and its parts (abort, or after completion). */
  async remove(bucket: string, uploadId: string): Promise<void> {
    const dir = this.dir(bucket, uploadId);
    await this.get(bucket, uploadId);
    await this.disk.discard(dir);
  }
}

async function readPart(path: string): Promise<PartRecord | undefined> {
  try {
    return partRecordSchema.parse(JSON.parse(await readFile(path, 'utf8')));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Start-up clean-up of one bucket's staging area: uploads whose creation never finished, and part files
 * no part record points to (interrupted or replaced part uploads).
 */
export async function collectUploadGarbage(uploadsDir: string): Promise<void> {
  for (const id of await readdir(uploadsDir)) {
    const dir = join(uploadsDir, id);
    const names = await readdir(dir).catch(() => [] as string[]);
    if (!UPLOAD_ID.test(id) || !names.includes('upload.json')) {
      await rm(dir, { recursive: true, force: true });
      continue;
    }
    const live = new Set<string>();
    for (const name of names) {
      if (!/^part-\d+\.json$/.test(name)) continue;
      const part = await readPart(join(dir, name)).catch(() => undefined);
      if (part !== undefined) live.add(part.dataFile);
    }
    for (const name of names) {
      const data = /^part-\d+-/.test(name) && !name.endsWith('.json');
      if (name.startsWith('.tmp-') || (data && !live.has(name))) await rm(join(dir, name), { force: true });
    }
  }
}
