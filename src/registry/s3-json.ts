import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { TunekitError } from '../errors.ts';

/**
 * JSON objects on S3 with the two conditional writes the registry is built on: create-only
 * (`If-None-Match: *`) and compare-and-swap (`If-Match: <etag>`). A lost race is a normal outcome
 * (`'conflict'`), not an exception; anything else the store says is an error with the object's URI.
 */
export type PutCondition = { ifNoneMatch: '*' } | { ifMatch: string };
export type PutResult = { ok: true; etag: string } | { ok: false; reason: 'conflict' };

interface AwsErrorLike {
  name?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number };
}

const status = (e: unknown) => (e as AwsErrorLike)?.$metadata?.httpStatusCode;
const errName = (e: unknown) => (e as AwsErrorLike)?.name ?? (e as AwsErrorLike)?.Code;

/** 412 PreconditionFailed: someone else wrote first. 409 ConditionalRequestConflict: a write raced ours. */
const isConflict = (e: unknown) =>
  status(e) === 412 ||
  status(e) === 409 ||
  errName(e) === 'PreconditionFailed' ||
  errName(e) === 'ConditionalRequestConflict';

const isNotFound = (e: unknown) => status(e) === 404 && errName(e) !== 'NoSuchBucket';

export const s3Uri = (bucket: string, key: string) => `s3://${bucket}/${key}`;

export function storeError(e: unknown, bucket: string, key: string, verb: string): TunekitError {
  if (errName(e) === 'NoSuchBucket') {
    return new TunekitError('REGISTRY.NO_BUCKET', `bucket "${bucket}" does not exist`, {
      hint:
        'create it (`aws s3 mb s3://' + bucket + '`) or pass --bucket / set "bucket" in tunekit.config.json',
      cause: e,
    });
  }
  const message = (e as Error)?.message ?? String(e);
  return new TunekitError('REGISTRY.STORE', `${verb} ${s3Uri(bucket, key)} failed: ${message}`, {
    hint: 'check the S3 endpoint (AWS_ENDPOINT_URL_S3), credentials and region',
    cause: e,
  });
}

export interface StoredText {
  text: string;
  etag: string;
}

async function getText(s3: S3Client, bucket: string, key: string): Promise<StoredText | undefined> {
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const text = (await out.Body?.transformToString('utf8')) ?? '';
    return { text, etag: out.ETag ?? '' };
  } catch (e) {
    if (isNotFound(e) || errName(e) === 'NoSuchKey') return undefined;
    throw storeError(e, bucket, key, 'reading');
  }
}

/** Reads and parses a JSON object; a body that is not JSON is reported with its URI, never overwritten. */
export async function getJson(
  s3: S3Client,
  bucket: string,
  key: string,
): Promise<{ value: unknown; etag: string } | undefined> {
  const stored = await getText(s3, bucket, key);
  if (!stored) return undefined;
  try {
    return { value: JSON.parse(stored.text), etag: stored.etag };
  } catch (e) {
    throw new TunekitError(
      'REGISTRY.CORRUPT',
      `${s3Uri(bucket, key)} is not valid JSON: ${(e as Error).message}`,
      {
        hint: 'tunekit left it untouched; restore it from a backup or a previous object version, or move it away',
      },
    );
  }
}

export async function putText(
  s3: S3Client,
  bucket: string,
  key: string,
  body: string,
  condition: PutCondition,
  contentType = 'application/json',
): Promise<PutResult> {
  try {
    const out = await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: body,
        ContentType: contentType,
        ...('ifNoneMatch' in condition ? { IfNoneMatch: '*' } : { IfMatch: condition.ifMatch }),
      }),
    );
    return { ok: true, etag: out.ETag ?? '' };
  } catch (e) {
    if (isConflict(e)) return { ok: false, reason: 'conflict' };
    // If-Match on an object deleted since we read it: also a lost race; the re-read will see it is gone.
    if ('ifMatch' in condition && (isNotFound(e) || errName(e) === 'NoSuchKey'))
      return { ok: false, reason: 'conflict' };
    throw storeError(e, bucket, key, 'writing');
  }
}

export const putJson = (s3: S3Client, bucket: string, key: string, value: unknown, condition: PutCondition) =>
  putText(s3, bucket, key, `${JSON.stringify(value, null, 2)}\n`, condition);
