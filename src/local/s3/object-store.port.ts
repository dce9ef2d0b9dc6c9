/**
 * In-process access to the local S3's stored objects, for the other local services (the local Bedrock
 * reads training data and writes job outputs the way the real service does with its role).
 * Pipeline code never uses this: it reaches S3 over HTTP through the AWS SDK like any client.
 */
export interface ObjectStore {
  bucketExists(bucket: string): Promise<boolean>;
  /** Creates the bucket if it does not exist (idempotent). */
  ensureBucket(bucket: string): Promise<void>;
  /** Size, unquoted ETag, Last-Modified (ISO) and Content-Type; undefined when the bucket or key does not exist. */
  headObject(
    bucket: string,
    key: string,
  ): Promise<{ size: number; etag: string; lastModified: string; contentType: string } | undefined>;
  /** undefined when the bucket or key does not exist. */
  getObject(bucket: string, key: string): Promise<Buffer | undefined>;
  /**
   * Stores atomically and durably (same path as an HTTP PutObject, and it emits the same object-created
   * event). `etag` is the unquoted MD5 hex. Throws TunekitError `S3.NO_SUCH_BUCKET` for a missing bucket.
   */
  putObject(
    bucket: string,
    key: string,
    body: Buffer | string,
    contentType?: string,
  ): Promise<{ etag: string }>;
  /** Keys starting with `prefix`, in S3 listing order. Throws `S3.NO_SUCH_BUCKET` for a missing bucket. */
  listKeys(bucket: string, prefix: string): Promise<string[]>;
}

/** Emitted once per successful PutObject / CompleteMultipartUpload / CopyObject (the EventBridge "Object Created" detail). */
export interface ObjectCreatedEvent {
  bucket: string;
  key: string;
  size: number;
  etag: string;
  sequencer: string;
  reason: 'PutObject' | 'CompleteMultipartUpload' | 'CopyObject';
  time: string;
}
