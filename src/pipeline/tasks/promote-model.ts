import { productionError, stepProductionDeployment } from '../../bedrock/production-deployment.ts';
import { type ProductionHook, promote } from '../../registry/index.ts';
import { maxReadyPolls } from '../definition.ts';
import type { TaskContext } from './context.ts';
import { registryContext } from './registry-context.ts';

/**
 * Promote: moves `production` to the version that passed the gate (auto-promote is on). With a production
 * deployment configured (`deployment.production.enabled`), it first points that deployment at the new
 * version; while Bedrock is still switching it returns `pending` and the definition's Wait loop calls it
 * again, so the alias only moves once the deployment serves the new model. The loop is bounded like
 * WaitUntilReady: attempts counted against `deployment.readyTimeoutMinutes`.
 */
export async function promoteModel(
  input: { registration: { version: string }; executionArn: string; attempts?: number },
  ctx: TaskContext,
) {
  const attempts = (input.attempts ?? 0) + 1;
  const maxAttempts = maxReadyPolls(ctx.config);
  let deployment: { arn: string; detail: string; message: string } | undefined;
  const onProductionChange: ProductionHook | undefined = ctx.config.deployment.production.enabled
    ? async ({ to }) => {
        const step = await stepProductionDeployment(ctx.clients.bedrock, ctx.config, to);
        deployment = { arn: step.arn, detail: step.detail, message: step.message };
        ctx.log?.(
          `production deployment ${step.name}: ${step.detail}${step.message ? ` (${step.message})` : ''}`,
        );
        if (step.status === 'Failed') throw productionError(step);
        if (step.status === 'Ready') return { deploymentArn: step.arn };
        if (attempts >= maxAttempts) {
          throw productionError({
            ...step,
            message: `still ${step.detail} after ${ctx.config.deployment.readyTimeoutMinutes} minutes (${attempts} checks); ${input.registration.version} is registered, promote it with \`tunekit registry promote ${input.registration.version}\` once Bedrock has finished`,
          });
        }
        return { pending: true };
      }
    : undefined;
  const result = await promote(registryContext(ctx), input.registration.version, {
    reason: `passed the evaluation gate in ${input.executionArn.split(':').pop()}`,
    ...(onProductionChange ? { onProductionChange } : {}),
  });
  return {
    production: result.production,
    previous: result.previous ?? null,
    changed: result.changed,
    pending: Boolean(result.pending),
    attempts,
    ...(deployment ? { deployment } : {}),
  };
}
