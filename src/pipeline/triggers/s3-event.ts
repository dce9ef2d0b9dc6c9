import { createHash, randomUUID } from 'node:crypto';

/**
 * The EventBridge "Object Created" event (bedrock-facts.md §7.2) — the execution input on AWS, built the
 * same way locally from the local S3's object-created notifications, by `tunekit run` and by the schedule.
 */

export interface ObjectCreated {
  bucket: string;
  key: string;
  size: number;
  etag: string;
  sequencer: string;
  reason?: string;
  time?: string;
}

export interface ObjectCreatedEvent {
  version: '0';
  id: string;
  'detail-type': 'Object Created';
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: {
    version: '0';
    bucket: { name: string };
    object: { key: string; size: number; etag: string; sequencer: string };
    'request-id': string;
    requester: string;
    reason: string;
  };
}

export function objectCreatedEvent(
  o: ObjectCreated,
  options: { source?: string; region?: string; account?: string } = {},
): ObjectCreatedEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Object Created',
    source: options.source ?? 'aws.s3',
    account: options.account ?? '000000000000',
    time: o.time ?? new Date().toISOString(),
    region: options.region ?? 'us-east-1',
    resources: [`arn:aws:s3:::${o.bucket}`],
    detail: {
      version: '0',
      bucket: { name: o.bucket },
      object: { key: o.key, size: o.size, etag: o.etag.replaceAll('"', ''), sequencer: o.sequencer },
      'request-id': randomUUID(),
      requester: options.account ?? '000000000000',
      reason: o.reason ?? 'PutObject',
    },
  };
}

/**
 * Execution name for an object event: the same object version delivered again (S3 notifications are
 * at-least-once) gives the same name, so StartExecution refuses the duplicate instead of training twice.
 * Readable part from the key, uniqueness from a hash of bucket/key/etag/sequencer; max 80 chars.
 */
export function executionNameFor(
  o: Pick<ObjectCreated, 'bucket' | 'key' | 'etag' | 'sequencer'>,
  kind = 's3',
): string {
  const hash = createHash('sha256')
    .update([o.bucket, o.key, o.etag.replaceAll('"', ''), o.sequencer].join('\n'))
    .digest('hex')
    .slice(0, 16);
  const stem = (o.key.split('/').pop() ?? o.key)
    .replace(/\.[^.]*$/, '')
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .slice(0, 40)
    .replace(/^-+|-+$/g, '');
  return `${kind}-${stem || 'object'}-${hash}`;
}
