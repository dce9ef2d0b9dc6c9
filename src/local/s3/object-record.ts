import { z } from 'zod';
import { CHECKSUM_ALGORITHMS } from './checksums.ts';

/** HTTP headers describing an object's representation, as stored and returned (objects and uploads). */
export const representationSchema = z.object({
  contentType: z.string(),
  contentEncoding: z.string().optional(),
  contentDisposition: z.string().optional(),
  contentLanguage: z.string().optional(),
  cacheControl: z.string().optional(),
  expires: z.string().optional(),
  /** User metadata, names lowercased without the `x-amz-meta-` prefix. */
  metadata: z.record(z.string(), z.string()),
});
export type RepresentationFields = z.infer<typeof representationSchema>;

/** Base64 checksums by algorithm; composite (multipart) values end in `-<parts>`. */
export const checksumsSchema = z.partialRecord(z.enum(CHECKSUM_ALGORITHMS), z.string());
export const checksumTypeSchema = z.enum(['FULL_OBJECT', 'COMPOSITE']);

/**
 * The metadata record stored for each object (`objects/<key file>.json`). It names the data file that
 * holds the bytes; replacing an object writes a new data file first, then atomically replaces this record,
 * so a record never points at missing or partial data.
 */
export const objectRecordSchema = z.object({
  key: z.string(),
  size: z.number().int().nonnegative(),
  /** Quoted, as in the ETag header: "<md5 hex>" or "<md5 of part md5s>-<parts>". */
  etag: z.string(),
  lastModified: z.string(),
  dataFile: z.string(),
  ...representationSchema.shape,
  checksums: checksumsSchema,
  /** The algorithm the client chose (returned by GetObject with checksum mode); CRC32 when it chose none. */
  checksumAlgorithm: z.enum(CHECKSUM_ALGORITHMS),
  checksumType: checksumTypeSchema,
  partsCount: z.number().int().positive().optional(),
});
export type ObjectRecord = z.infer<typeof objectRecordSchema>;

export const bucketRecordSchema = z.object({
  name: z.string(),
  creationDate: z.string(),
  region: z.string(),
  /** The NotificationConfiguration XML as last put (returned verbatim by GetBucketNotificationConfiguration). */
  notificationXml: z.string().optional(),
  eventBridgeEnabled: z.boolean().default(false),
});
export type BucketRecord = z.infer<typeof bucketRecordSchema>;
