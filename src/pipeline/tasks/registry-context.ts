import { type RegistryContext, resolveActor } from '../../registry/index.ts';
import type { TaskContext } from './context.ts';

/** The registry of this project, in the configured bucket, acting as the pipeline. */
export function registryContext(ctx: TaskContext): RegistryContext {
  return {
    s3: ctx.clients.s3,
    bucket: ctx.config.bucket,
    prefix: ctx.config.registry.prefix,
    name: ctx.config.project,
    actor: process.env.TUNEKIT_ACTOR ? resolveActor() : 'tunekit-pipeline',
  };
}
