import { createHash } from 'node:crypto';
import {
  type BedrockClient,
  GetCustomModelDeploymentCommand,
  GetProvisionedModelThroughputCommand,
  ListTagsForResourceCommand,
  UpdateCustomModelDeploymentCommand,
  UpdateProvisionedModelThroughputCommand,
} from '@aws-sdk/client-bedrock';
import type { Config } from '../config/schema.ts';
import { TunekitError } from '../errors.ts';
import {
  createNewDeployment,
  type DeploymentMode,
  deleteDeployment,
  deploymentModeFor,
  deploymentStatus,
  findDeployments,
} from './deployment.ts';
import { bedrockName } from './names.ts';
import {
  isProductionDeployment,
  PRODUCTION_ROLE,
  TUNEKIT_PROJECT_TAG,
  TUNEKIT_ROLE_TAG,
  tunekitProject,
} from './tags.ts';

/**
 * The long-lived deployment applications call (config `deployment.production`): one name and ARN, whatever
 * version is in production. Promote and rollback move it before the registry's aliases move, so the
 * `production` alias always names what this deployment serves.
 *
 * `stepProductionDeployment` is a reconciler: each call looks at Bedrock and takes at most one step towards
 * "serves this custom model" (create, update, or delete the one it replaced), then reports where it stands.
 * The CLI calls it until Ready; the pipeline's Promote state calls it once per poll of its Wait loop.
 */

export type ProductionStatus = 'Ready' | 'Updating' | 'Failed';

export interface ProductionStep {
  status: ProductionStatus;
  mode: DeploymentMode;
  name: string;
  /** Empty only when status is Failed before anything could be created. */
  arn: string;
  /** Bedrock's own status words, for progress lines. */
  detail: string;
  /** What happened or what is wrong, in the user's terms. */
  message: string;
}

export interface ProductionTarget {
  version: string;
  baseModelId: string;
  customModelArn?: string | undefined;
}

export const productionDeploymentName = (config: Config) =>
  config.deployment.production.name ?? bedrockName(config.project, 'production');

export async function stepProductionDeployment(
  bedrock: BedrockClient,
  config: Config,
  target: ProductionTarget,
): Promise<ProductionStep> {
  const mode = deploymentModeFor(config, target.baseModelId);
  const name = productionDeploymentName(config);
  const base = { mode, name };
  const modelArn = target.customModelArn;
  if (!modelArn) {
    return {
      ...base,
      status: 'Failed',
      arn: '',
      detail: 'no model',
      message: `${target.version} has no custom model ARN, so no deployment can serve it (it was registered without one)`,
    };
  }
  const existing = await findDeployments(bedrock, name);
  const same = existing.find((d) => d.mode === mode);
  if (!same) {
    let arn: string;
    try {
      arn = await create(bedrock, config, mode, name, modelArn);
    } catch (error) {
      const refused = refusal(error, `Bedrock refused to create ${describe(mode)} ${name} for ${modelArn}`);
      if (refused) return { ...base, arn: '', ...refused };
      throw error;
    }
    return {
      ...base,
      status: 'Updating',
      arn,
      detail: 'Creating',
      message: `creating ${describe(mode)} ${name} for ${target.version}`,
    };
  }
  const foreign = await notOurs(bedrock, same.arn, config.project);
  if (foreign) return { ...base, status: 'Failed', arn: same.arn, detail: 'not tunekit', message: foreign };

  const step =
    mode === 'on-demand'
      ? await stepOnDemand(bedrock, same.arn, modelArn)
      : await stepPt(bedrock, same.arn, modelArn);
  if (step.status !== 'Ready') return { ...base, arn: same.arn, ...step };
  // Serving the target: only now remove what it replaces (the base model moved to the other mode).
  const replaced: typeof existing = [];
  for (const old of existing.filter((d) => d.mode !== mode)) {
    // Same name, other kind: delete it only if it is this project's production deployment too.
    if (await notOurs(bedrock, old.arn, config.project)) continue;
    await deleteDeployment(bedrock, old);
    replaced.push(old);
  }
  const note = replaced.length ? `; deleted the ${describe(replaced[0]!.mode)} it replaces` : '';
  return {
    ...base,
    arn: same.arn,
    ...step,
    message: `${name} serves ${target.version}${note}`,
  };
}

type Step = Pick<ProductionStep, 'status' | 'detail' | 'message'>;

async function stepOnDemand(bedrock: BedrockClient, arn: string, modelArn: string): Promise<Step> {
  const d = await bedrock.send(new GetCustomModelDeploymentCommand({ customModelDeploymentIdentifier: arn }));
  const update = d.updateDetails;
  if (d.status === 'Failed')
    return {
      status: 'Failed',
      detail: 'Failed',
      message: `deployment failed: ${d.failureMessage ?? 'no reason given'}`,
    };
  if (d.status === 'Creating')
    return { status: 'Updating', detail: 'Creating', message: 'waiting for the deployment to be created' };
  if (update?.updateStatus === 'Updating')
    return {
      status: 'Updating',
      detail: 'Updating',
      message:
        update.modelArn === modelArn
          ? 'switching to the new model (the old one serves until then)'
          : `waiting for an update to ${update.modelArn} to finish before switching`,
    };
  if (d.modelArn === modelArn) return { status: 'Ready', detail: 'Active', message: '' };
  if (update?.updateStatus === 'UpdateFailed' && update.modelArn === modelArn)
    return {
      status: 'Failed',
      detail: 'UpdateFailed',
      message: `Bedrock could not switch the deployment to ${modelArn}: ${d.failureMessage ?? 'no reason given'}`,
    };
  try {
    await bedrock.send(
      new UpdateCustomModelDeploymentCommand({ customModelDeploymentIdentifier: arn, modelArn }),
    );
  } catch (error) {
    const refused = refusal(error, `Bedrock refused to switch the deployment to ${modelArn}`);
    if (refused) return refused;
    throw error;
  }
  return {
    status: 'Updating',
    detail: 'Updating',
    message: 'switching to the new model (the old one serves until then)',
  };
}

async function stepPt(bedrock: BedrockClient, arn: string, modelArn: string): Promise<Step> {
  const pt = await bedrock.send(new GetProvisionedModelThroughputCommand({ provisionedModelId: arn }));
  const status = pt.status ?? 'unknown';
  if (status === 'Failed')
    return {
      status: 'Failed',
      detail: status,
      message: `Provisioned Throughput failed: ${pt.failureMessage ?? 'no reason given'}`,
    };
  if (status !== 'InService')
    return {
      status: 'Updating',
      detail: status,
      message:
        pt.desiredModelArn === modelArn ? 'switching to the new model' : `waiting while it is ${status}`,
    };
  if (pt.modelArn === modelArn) return { status: 'Ready', detail: status, message: '' };
  try {
    await bedrock.send(
      new UpdateProvisionedModelThroughputCommand({ provisionedModelId: arn, desiredModelId: modelArn }),
    );
  } catch (error) {
    // Bedrock only swaps in a model of the same base model; a new base needs a new Provisioned Throughput.
    const refused = refusal(
      error,
      `Bedrock refused to switch the Provisioned Throughput to ${modelArn}`,
      ` (if the base model changed: delete it with \`tunekit undeploy ${arn}\` and promote again to create a new one)`,
    );
    if (refused) return refused;
    throw error;
  }
  return { status: 'Updating', detail: 'Updating', message: 'switching to the new model' };
}

async function create(
  bedrock: BedrockClient,
  config: Config,
  mode: DeploymentMode,
  name: string,
  modelArn: string,
): Promise<string> {
  // The caller has just found nothing of this mode under the name: no second look-up before creating.
  return createNewDeployment(bedrock, mode, name, modelArn, {
    project: config.project,
    production: true,
    description: `tunekit production deployment of ${config.project} (moved by promote and rollback)`,
    // Same token for the same name and model: a retried call finds the first one instead of paying twice.
    clientRequestToken: `${name.slice(0, 40)}-${createHash('sha256').update(modelArn).digest('hex').slice(0, 16)}`,
  });
}

/** A message when the resource holding our name was not made by tunekit for this project (never touch it). */
async function notOurs(bedrock: BedrockClient, arn: string, project: string): Promise<string | undefined> {
  const { tags } = await bedrock.send(new ListTagsForResourceCommand({ resourceARN: arn }));
  if (tunekitProject(tags) === project && isProductionDeployment(tags)) return undefined;
  return `${arn} has the production deployment's name but was not created by tunekit for project ${project} (tags ${TUNEKIT_PROJECT_TAG}=${project}, ${TUNEKIT_ROLE_TAG}=${PRODUCTION_ROLE} missing); set deployment.production.name to another name`;
}

/** A refusal that retrying cannot fix (bad or missing model) becomes a Failed step; anything else is thrown. */
function refusal(error: unknown, what: string, advice = ''): Step | undefined {
  const name = (error as Error).name;
  if (name !== 'ValidationException' && name !== 'ResourceNotFoundException') return undefined;
  return { status: 'Failed', detail: name, message: `${what}: ${(error as Error).message}${advice}` };
}

const describe = (mode: DeploymentMode) =>
  mode === 'on-demand' ? 'on-demand deployment' : 'Provisioned Throughput';

/**
 * The production deployment when it exists, is tunekit's, and already serves `customModelArn` — then an
 * evaluation can ask production through it instead of paying for a second deployment of the same model.
 * Read-only: it never creates or moves anything.
 */
export async function servingProductionDeployment(
  bedrock: BedrockClient,
  config: Config,
  target: ProductionTarget,
): Promise<{ mode: DeploymentMode; name: string; arn: string } | undefined> {
  if (!config.deployment.production.enabled || !target.customModelArn) return undefined;
  const mode = deploymentModeFor(config, target.baseModelId);
  const name = productionDeploymentName(config);
  const same = (await findDeployments(bedrock, name)).find((d) => d.mode === mode);
  if (!same || (await notOurs(bedrock, same.arn, config.project))) return undefined;
  const { status, modelArn } = await deploymentStatus(bedrock, same);
  return status === 'Ready' && modelArn === target.customModelArn ? { mode, name, arn: same.arn } : undefined;
}

/**
 * Steps until the deployment serves the target, for commands run by a person (the pipeline polls with its
 * own Wait state instead). Fails with a TunekitError on Failed or after `timeoutMs`.
 */
export async function moveProductionDeployment(
  bedrock: BedrockClient,
  config: Config,
  target: ProductionTarget,
  options: { pollMs: number; timeoutMs: number; onStep?: (step: ProductionStep) => void },
): Promise<ProductionStep> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const step = await stepProductionDeployment(bedrock, config, target);
    options.onStep?.(step);
    if (step.status === 'Ready') return step;
    if (step.status === 'Failed') throw productionError(step);
    if (Date.now() > deadline) {
      throw new TunekitError(
        'DEPLOY.PRODUCTION_TIMEOUT',
        `${step.name} did not finish moving to ${target.version} within ${Math.round(options.timeoutMs / 60_000)} minutes (still ${step.detail})`,
        {
          hint: 'the aliases were not moved; run the same command again later: it continues where Bedrock is',
        },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollMs));
  }
}

export const productionError = (step: ProductionStep) =>
  new TunekitError('DEPLOY.PRODUCTION_FAILED', `production deployment ${step.name}: ${step.message}`, {
    hint: 'the aliases were not moved; fix the cause, then promote or roll back again',
  });
