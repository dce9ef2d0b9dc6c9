import { randomUUID } from 'node:crypto';

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
