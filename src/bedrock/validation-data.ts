import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { AwsClients } from '../aws/clients.ts';
import { TunekitError } from '../errors.ts';

/** Where `tunekit run`/`train` upload local files; the Bedrock job role may read it (infra, setup). */
export const MANUAL_UPLOAD_PREFIX = 'manual-uploads/';
/** Where a run without a suite writes its data minus the held-out slice (under MANUAL_UPLOAD_PREFIX, which the job role reads). */
export const HELD_OUT_TRAINING_PREFIX = `${MANUAL_UPLOAD_PREFIX}held-out/`;

/**
 * Where the job reads validation data (config `training.validationData`): an s3:// URI as given, or a local
 * file (relative to the config) uploaded once under its content hash next to manual uploads.
 */
export async function validationDataUri(
  value: string,
  ctx: { clients: AwsClients; bucket: string; configDir: string },
): Promise<string> {
  if (value.startsWith('s3://')) return value;
  const path = resolve(ctx.configDir, value);
  let body: Buffer;
  try {
    body = readFileSync(path);
  } catch {
    throw new TunekitError(
      'CONFIG.VALIDATION_DATA',
      `training.validationData: ${path} is not a readable file`,
      {
        hint: 'give a JSONL file relative to tunekit.config.json, or an s3:// URI (required on AWS, where tasks have no project directory)',
      },
    );
  }
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 16);
  const key = `${MANUAL_UPLOAD_PREFIX}validation/${hash}-${basename(path)}`;
  await ctx.clients.s3.send(new PutObjectCommand({ Bucket: ctx.bucket, Key: key, Body: body }));
  return `s3://${ctx.bucket}/${key}`;
}
