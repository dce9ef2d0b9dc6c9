import type { BedrockClient } from '@aws-sdk/client-bedrock';
import { moveProductionDeployment, type ProductionStep } from '../bedrock/production-deployment.ts';
import type { Config } from '../config/schema.ts';
import type { ProductionHook } from '../registry/index.ts';

/**
 * What promote and rollback do before the aliases move, for a person at the CLI or the dashboard: with
 * `deployment.production.enabled`, point the production deployment at the version and wait until Bedrock
 * serves it (`moveProductionDeployment`). Undefined when the config has no production deployment.
 * (The pipeline's Promote state steps the same reconciler from its own Wait loop instead.)
 */
export function productionHook(
  bedrock: BedrockClient,
  config: Config,
  options: { pollMs: number; timeoutMinutes?: number; onStep?: (step: ProductionStep) => void },
): ProductionHook | undefined {
  if (!config.deployment.production.enabled) return undefined;
  return async ({ to }) => {
    const step = await moveProductionDeployment(bedrock, config, to, {
      pollMs: options.pollMs,
      timeoutMs: (options.timeoutMinutes ?? config.deployment.readyTimeoutMinutes) * 60_000,
      ...(options.onStep ? { onStep: options.onStep } : {}),
    });
    return { deploymentArn: step.arn };
  };
}
