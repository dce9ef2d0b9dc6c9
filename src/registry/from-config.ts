import type { S3Client } from '@aws-sdk/client-s3';
import type { Config } from '../config/schema.ts';
import { type RegistryContext, resolveActor } from './context.ts';

/** The registry of a project as configured: bucket, `registry.prefix`, and the project name as model name. */
export function registryContextFromConfig(
  config: Pick<Config, 'bucket' | 'project' | 'registry'>,
  s3: S3Client,
  actor: string = resolveActor(),
): RegistryContext {
  return { s3, bucket: config.bucket, prefix: config.registry.prefix, name: config.project, actor };
}
