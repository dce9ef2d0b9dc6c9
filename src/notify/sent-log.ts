import { DeleteObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { putJson } from '../registry/s3-json.ts';

/**
 * Remembers which (execution, notifier) pairs were already sent, so a retried Notify state does not send
 * twice. `claim` is atomic (first caller wins); `release` undoes a claim whose send failed, so the retry
 * can try again. A process killed between claim and send loses that one message (at-most-once): we
 * prefer a missing notification to a duplicate page at 3 a.m.
 */
export interface SentLog {
  claim(key: string): Promise<boolean>;
  release(key: string): Promise<void>;
}

/** In one process (the local runner, tests). */
export function memorySentLog(): SentLog {
  const sent = new Set<string>();
  return {
    async claim(key) {
      if (sent.has(key)) return false;
      sent.add(key);
      return true;
    },
    async release(key) {
      sent.delete(key);
    },
  };
}

/** Across processes and Lambda invocations: one create-only (`If-None-Match: *`) marker object per key. */
export function s3SentLog(s3: S3Client, bucket: string, prefix = 'notifications/'): SentLog {
  const keyOf = (key: string) => `${prefix}${encodeURIComponent(key)}.json`;
  return {
    async claim(key) {
      const marker = { key, at: new Date().toISOString() };
      return (await putJson(s3, bucket, keyOf(key), marker, { ifNoneMatch: '*' })).ok;
    },
    async release(key) {
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: keyOf(key) }));
    },
  };
}
