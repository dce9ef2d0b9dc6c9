import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { AwsClients } from '../aws/clients.ts';
/** Where `tunekit run`/`tunekit train` upload a local file: outside the trigger prefix, so the upload starts no second run. */
import { MANUAL_UPLOAD_PREFIX } from '../bedrock/validation-data.ts';
import type { Config } from '../config/schema.ts';
import { TunekitError } from '../errors.ts';
import { alreadyTrainedMessage, contentRunName, forceSuffix, trainingFingerprint } from './run-name.ts';
import { parseS3Uri } from './tasks/context.ts';
import { type ObjectCreatedEvent, objectCreatedEvent } from './triggers/s3-event.ts';
import { type StartOutcome, startExecution } from './triggers/start-execution.ts';

export { MANUAL_UPLOAD_PREFIX };

/**
 * Starting runs by hand (`tunekit run`) and on the schedule. Both build the same event an S3 upload
 * produces, so the state machine has one input shape; `source` says who started it.
 */

export interface RunTarget {
  bucket: string;
  key: string;
  etag: string;
  size: number;
}

async function head(clients: AwsClients, bucket: string, key: string): Promise<RunTarget> {
  try {
    const h = await clients.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return { bucket, key, etag: (h.ETag ?? '').replaceAll('"', ''), size: h.ContentLength ?? 0 };
  } catch (error) {
    if ((error as Error).name === 'NotFound' || (error as Error).name === 'NoSuchKey') {
      throw new TunekitError('PIPELINE.DATA_MISSING', `s3://${bucket}/${key} does not exist`, {
        hint: 'check the URI with `aws s3 ls`, or pass a local file to upload it',
      });
    }
    throw error;
  }
}

/** Uploads a local file next to (not under) the trigger prefix, so an S3 trigger doesn't start a second run. */
export async function uploadForRun(
  clients: AwsClients,
  config: Config,
  path: string,
  now = new Date(),
): Promise<RunTarget> {
  let body: Buffer;
  try {
    if (!statSync(path).isFile()) throw new Error('not a file');
    body = readFileSync(path);
  } catch {
    throw new TunekitError('PIPELINE.NO_FILE', `${path}: no such file`, {
      hint: 'pass a JSONL file or an s3:// URI',
    });
  }
  const stamp = now.toISOString().replace(/[-:]/g, '').slice(0, 15);
  const key = `${MANUAL_UPLOAD_PREFIX}${stamp}-${basename(path)}`;
  const r = await clients.s3.send(new PutObjectCommand({ Bucket: config.bucket, Key: key, Body: body }));
  return { bucket: config.bucket, key, etag: (r.ETag ?? '').replaceAll('"', ''), size: body.length };
}

/** The project's bucket is missing: the user has not run setup (or deployed the stack) yet. */
export function noBucketError(bucket: string): TunekitError {
  return new TunekitError(
    'PIPELINE.NO_BUCKET',
    `the bucket ${bucket} ("bucket" in tunekit.config.json) does not exist`,
    {
      hint: 'run `tunekit setup` to create it (on AWS, `tunekit deploy` also does), or set "bucket" to one you have',
    },
  );
}

const isNoSuchBucket = (error: unknown) => (error as Error)?.name === 'NoSuchBucket';

export async function resolveRunTarget(
  clients: AwsClients,
  config: Config,
  target: string | undefined,
): Promise<RunTarget> {
  try {
    return await resolveTarget(clients, config, target);
  } catch (error) {
    if (isNoSuchBucket(error)) throw noBucketError(parseS3Uri(target ?? '')?.bucket ?? config.bucket);
    throw error;
  }
}

async function resolveTarget(
  clients: AwsClients,
  config: Config,
  target: string | undefined,
): Promise<RunTarget> {
  if (!target) return newestTrainingObject(clients.s3, trainingLocation(config));
  const s3 = parseS3Uri(target);
  if (s3) {
    if (!s3.key || s3.key.endsWith('/')) {
      throw new TunekitError('PIPELINE.NOT_AN_OBJECT', `${target} names a prefix, not a file`, {
        hint: `pass the full key, e.g. s3://${s3.bucket}/${config.data.prefix}train.jsonl, or omit it to use the newest file`,
      });
    }
    return head(clients, s3.bucket, s3.key);
  }
  return uploadForRun(clients, config, target);
}

/** Where training data lands: the trigger's bucket, prefix and suffix (from the config, or a Lambda's env). */
export interface TrainingLocation {
  bucket: string;
  prefix: string;
  suffix: string;
}

export const trainingLocation = (config: Config): TrainingLocation => ({
  bucket: config.bucket,
  prefix: config.data.prefix,
  suffix: config.data.suffix,
});

/** A training file in the bucket, under the trigger prefix with the trigger suffix. */
export interface TrainingObject {
  key: string;
  size: number;
  etag: string;
  lastModified?: string;
}

/** Whether a key is training data: under the trigger prefix, with the trigger suffix. */
export const isTrainingKey = (where: TrainingLocation, key: string) =>
  key.startsWith(where.prefix) && key.endsWith(where.suffix);

/** Every training file under the trigger prefix with the trigger suffix, newest first. */
export async function listTrainingObjects(
  s3: Pick<S3Client, 'send'>,
  where: TrainingLocation,
): Promise<TrainingObject[]> {
  const out: (TrainingObject & { at: number })[] = [];
  let token: string | undefined;
  do {
    const r = await s3.send(
      new ListObjectsV2Command({ Bucket: where.bucket, Prefix: where.prefix, ContinuationToken: token }),
    );
    for (const o of r.Contents ?? []) {
      if (!o.Key || !isTrainingKey(where, o.Key)) continue;
      out.push({
        key: o.Key,
        size: o.Size ?? 0,
        etag: (o.ETag ?? '').replaceAll('"', ''),
        at: o.LastModified?.getTime() ?? 0,
        ...(o.LastModified ? { lastModified: o.LastModified.toISOString() } : {}),
      });
    }
    token = r.NextContinuationToken;
  } while (token);
  // Newest first; the same instant is broken by key (the later name wins, as it always did).
  out.sort((a, b) => b.at - a.at || (a.key < b.key ? 1 : a.key > b.key ? -1 : 0));
  return out.map(({ at: _, ...o }) => o);
}

/** The newest object under the trigger prefix with the trigger suffix: what a scheduled retrain uses. */
export async function newestTrainingObject(
  s3: Pick<S3Client, 'send'>,
  where: TrainingLocation,
): Promise<RunTarget> {
  const newest = (await listTrainingObjects(s3, where))[0];
  if (!newest) {
    throw new TunekitError(
      'PIPELINE.NO_DATA',
      `no *${where.suffix} under s3://${where.bucket}/${where.prefix}`,
      {
        hint: 'upload training data first, or pass a file: tunekit run ./train.jsonl',
      },
    );
  }
  return { bucket: where.bucket, key: newest.key, etag: newest.etag, size: newest.size };
}

export interface StartRunOptions {
  /** Who starts it: recorded as the event's `source` (`tunekit.manual`, `tunekit.schedule`). */
  source: 'manual' | 'schedule';
  /** {@link trainingFingerprint} of the config: part of the run's content name. */
  fingerprint: string;
  /** Retrain identical data on purpose (`tunekit run --force`): the name gets a time-stamped suffix. */
  force?: Date;
  region?: string;
}

export type RunStart = StartOutcome & { name: string };

/**
 * Starts a run on `target` with the input an S3 upload produces. The run is named by its content
 * (run-name.ts), like an upload's: data already trained with the same settings starts nothing
 * (`{started: false, reason: 'duplicate'}`), whoever asks — a tick delivered twice, a schedule before new
 * data lands, or `tunekit run` on the same file — unless `force` is set.
 */
export async function startRun(
  clients: { sfn: Pick<SFNClient, 'send'> },
  stateMachineArn: string,
  target: RunTarget,
  options: StartRunOptions,
): Promise<RunStart> {
  const event = objectCreatedEvent(
    {
      ...target,
      sequencer: options.force ? forceSuffix(options.force) : target.etag,
      reason: options.source === 'manual' ? 'Manual' : 'Scheduled',
    },
    { source: `tunekit.${options.source}`, region: options.region },
  );
  return startObjectRun(clients.sfn, stateMachineArn, event, options.fingerprint, options.force);
}

/**
 * Starts the state machine on an "Object Created" event, named by the object's content: what the local
 * S3 trigger and the AWS upload starter Lambda do with each event, and what startRun does after building one.
 */
export async function startObjectRun(
  sfn: Pick<SFNClient, 'send'>,
  stateMachineArn: string,
  event: ObjectCreatedEvent,
  fingerprint: string,
  force?: Date,
): Promise<RunStart> {
  const name = contentRunName(event.detail.object, fingerprint, force);
  const outcome = await startExecution(sfn, stateMachineArn, name, event);
  return { ...outcome, name };
}

/** What `tunekit run` reports: the run's name, whether it started, the data, and why not when it did not. */
export interface ManualRunResult {
  name: string;
  started: boolean;
  executionArn: string | null;
  data: string;
  reason: string | null;
}

/**
 * `tunekit run [data] [--force]` and the dashboard's "Start a run": resolve the data (an s3:// URI, a local
 * file to upload, or the newest training file), then start a run named by its content.
 */
export async function startManualRun(
  clients: AwsClients,
  config: Config,
  stateMachineArn: string,
  data: string | undefined,
  options: { force?: boolean } = {},
): Promise<ManualRunResult> {
  const target = await resolveRunTarget(clients, config, data);
  const started = await startRun(clients, stateMachineArn, target, {
    source: 'manual',
    fingerprint: trainingFingerprint(config),
    ...(options.force ? { force: new Date() } : {}),
    region: config.region,
  });
  const uri = `s3://${target.bucket}/${target.key}`;
  return {
    name: started.name,
    started: started.started,
    executionArn: started.started ? started.executionArn : null,
    data: uri,
    reason: started.started ? null : alreadyTrainedMessage(uri, started.name),
  };
}
