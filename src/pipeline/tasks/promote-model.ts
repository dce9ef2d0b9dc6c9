import { promote } from '../../registry/index.ts';
import type { TaskContext } from './context.ts';
import { registryContext } from './registry-context.ts';

/** Promote: moves `production` to the version that passed the gate (auto-promote is on). */
export async function promoteModel(
  input: { registration: { version: string }; executionArn: string },
  ctx: TaskContext,
) {
  const result = await promote(registryContext(ctx), input.registration.version, {
    reason: `passed the evaluation gate in ${input.executionArn.split(':').pop()}`,
  });
  return { production: result.production, previous: result.previous ?? null, changed: result.changed };
}
