import { createHash } from 'node:crypto';
import { GetCustomModelCommand, type GetCustomModelCommandOutput } from '@aws-sdk/client-bedrock';
import type { AwsClients } from '../aws/clients.ts';
import {
  createDeployment,
  type DeploymentMode,
  deleteDeployment,
  deploymentStatus,
  findDeployments,
} from '../bedrock/deployment.ts';
import { bedrockName } from '../bedrock/names.ts';
import type { Config } from '../config/schema.ts';
import { TunekitError } from '../errors.ts';
import { CATALOG } from '../models/catalog.ts';
import { hourlyCost } from '../models/hourly-cost.ts';
import type { ModelSpec } from '../models/schema.ts';
import { errorName } from './checks.ts';

/**
 * `tunekit deploy-model` / `undeploy`: serve a custom model (on-demand deployment, or no-commit Provisioned
 * Throughput) and remove it again. Readiness and deletion reuse src/bedrock/deployment.ts (as the pipeline does); creation
 * is here because what a user deploys by hand must carry the project tag the janitor looks for.
 */

export interface DeployPlan {
  customModelArn: string;
  customModelName: string;
  mode: DeploymentMode;
  name: string;
  baseModel?: string;
  /** USD per hour while it exists: 0 for on-demand, null when the catalog doesn't know. */
  hourlyUsd: number | null;
  priceSource?: string;
}

/** The catalog row of a custom model's base model (its ARN ends with `foundation-model/<id>`). */
function baseModelOf(baseModelArn: string | undefined): ModelSpec | undefined {
  const id = baseModelArn?.split('/').pop() ?? '';
  return CATALOG.find((m) => m.id === id || m.invokeId === id || id.startsWith(m.invokeId));
}

export async function planDeployment(
  config: Config,
  clients: AwsClients,
  customModel: string,
  options: { provisioned?: boolean; name?: string },
): Promise<DeployPlan> {
  let model: GetCustomModelCommandOutput;
  try {
    model = await clients.bedrock.send(new GetCustomModelCommand({ modelIdentifier: customModel }));
  } catch (error) {
    if (errorName(error) === 'ResourceNotFoundException' || errorName(error) === 'ValidationException') {
      throw new TunekitError(
        'DEPLOY.NO_MODEL',
        `custom model "${customModel}" not found in ${config.region}`,
        {
          hint: 'pass the custom model ARN or name printed by `tunekit train` (`aws bedrock list-custom-models`)',
          cause: error,
        },
      );
    }
    throw error;
  }
  if (model.modelStatus && model.modelStatus !== 'Active') {
    throw new TunekitError(
      'DEPLOY.NOT_ACTIVE',
      `custom model ${model.modelName} is ${model.modelStatus}, not Active`,
      {
        hint: 'wait for the training job to finish (`tunekit train` shows it), then deploy',
      },
    );
  }
  const base = baseModelOf(model.baseModelArn);
  const mode: DeploymentMode = options.provisioned
    ? 'provisioned'
    : base && !base.onDemandDeployment
      ? 'provisioned'
      : 'on-demand';
  const hash = createHash('sha256').update(model.modelArn!).digest('hex').slice(0, 8);
  // The same sourced rate the dashboard's money page shows (models/hourly-cost.ts): 1 unit, no commitment.
  const cost = hourlyCost({ mode, base, modelUnits: 1 });
  return {
    customModelArn: model.modelArn!,
    customModelName: model.modelName!,
    mode,
    name: options.name ?? bedrockName(config.project, mode === 'on-demand' ? 'od' : 'pt', hash),
    ...(base ? { baseModel: base.name } : {}),
    hourlyUsd: cost.usd,
    ...(mode === 'provisioned' && base ? { priceSource: `${cost.source} (${cost.asOf})` } : {}),
  };
}

/** Creates (or finds, when the same name exists) the deployment; tagged with the project. */
export async function createTaggedDeployment(config: Config, clients: AwsClients, plan: DeployPlan) {
  return createDeployment(clients.bedrock, plan.mode, plan.name, plan.customModelArn, {
    project: config.project,
    description: `tunekit deploy-model (${config.project})`,
  });
}

export async function waitUntilReady(
  clients: AwsClients,
  d: { mode: DeploymentMode; arn: string },
  options: { pollMs: number; timeoutMs: number; onStatus?: (detail: string) => void },
) {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const s = await deploymentStatus(clients.bedrock, d);
    options.onStatus?.(s.detail);
    if (s.status !== 'Creating') return s;
    if (Date.now() > deadline) return { ...s, timedOut: true as const };
    await new Promise((resolve) => setTimeout(resolve, options.pollMs));
  }
}

const modeOfArn = (arn: string): DeploymentMode | undefined =>
  arn.includes(':provisioned-model/')
    ? 'provisioned'
    : arn.includes(':custom-model-deployment/')
      ? 'on-demand'
      : undefined;

/** Deletes a deployment or Provisioned Throughput by ARN or exact name. */
export async function undeploy(clients: AwsClients, ref: string) {
  const mode = modeOfArn(ref);
  const targets = mode
    ? await existing(clients, { mode, arn: ref })
    : await findDeployments(clients.bedrock, ref);
  if (targets.length === 0) {
    throw new TunekitError('DEPLOY.NOT_FOUND', `no deployment or Provisioned Throughput named "${ref}"`, {
      hint: 'pass the ARN or exact name `tunekit deploy-model` printed (`tunekit cleanup --dry-run` lists them)',
    });
  }
  for (const t of targets) await deleteDeployment(clients.bedrock, t);
  return targets;
}

/** [d] when it exists, [] when Bedrock says it doesn't (delete would succeed silently and mislead). */
async function existing(clients: AwsClients, d: { mode: DeploymentMode; arn: string }) {
  try {
    await deploymentStatus(clients.bedrock, d);
    return [d];
  } catch (error) {
    if (errorName(error) === 'ResourceNotFoundException') return [];
    throw error;
  }
}
