import { rm } from 'node:fs/promises';
import { checkWrite, type WriteConditions } from '../conditions.ts';
import type { ObjectRecord } from '../object-record.ts';
import type { ObjectCreatedEvent } from '../object-store.port.ts';
import type { S3Context } from './context.ts';

/** What a write knows about the object it creates; commitObject adds the key, time and data file. */
export type NewObjectFields = Omit<ObjectRecord, 'key' | 'lastModified' | 'dataFile'>;

/**
 * The last step of every write that creates an object (PutObject, CopyObject, CompleteMultipartUpload, and
 * the in-process store's putObject):
 * under the key's lock, the write conditions are checked again against the object there now, the record
 * is switched atomically and the object-created event is journaled. If any of that fails, the new data
 * file is removed, so a losing or refused writer leaves nothing behind.
 */
export async function commitObject(
  ctx: Pick<S3Context, 'disk' | 'created'>,
  bucket: string,
  key: string,
  conditions: WriteConditions,
  data: { id: string; path: string },
  reason: ObjectCreatedEvent['reason'],
  fields: () => NewObjectFields,
): Promise<ObjectRecord> {
  try {
    return await ctx.disk.commit(
      bucket,
      key,
      (current) => {
        checkWrite(conditions, key, current);
        return { ...fields(), key, lastModified: new Date().toISOString(), dataFile: data.id };
      },
      async (committed) => {
        await ctx.created(bucket, committed, reason);
        return committed;
      },
    );
  } catch (error) {
    await rm(data.path, { force: true });
    throw error;
  }
}
