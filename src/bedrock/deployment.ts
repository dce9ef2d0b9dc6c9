import {
  type BedrockClient,
  CreateCustomModelDeploymentCommand,
  CreateProvisionedModelThroughputCommand,
  DeleteCustomModelDeploymentCommand,
  DeleteProvisionedModelThroughputCommand,
  GetCustomModelCommand,
  GetCustomModelDeploymentCommand,
  GetProvisionedModelThroughputCommand,
  ListCustomModelDeploymentsCommand,
  ListProvisionedModelThroughputsCommand,
} from '@aws-sdk/client-bedrock';
import type { Config } from '../config/schema.ts';
import { findModel, getModel } from '../models/catalog.ts';
import { PRODUCTION_ROLE, TUNEKIT_PROJECT_TAG, TUNEKIT_ROLE_TAG } from './tags.ts';

/**
 * The two ways to serve a custom model for evaluation (bedrock-facts.md §5): an on-demand custom model
 * deployment (per-token, no hourly bill) where the base model allows it, else a no-commit Provisioned
 * Throughput (1 model unit, billed hourly — which is why Teardown must never miss one).
 */

export type DeploymentMode = 'on-demand' | 'provisioned';

export interface EvaluationDeployment {
  mode: DeploymentMode;
  name: string;
  arn: string;
  customModelArn: string;
}

export function deploymentMode(config: Config): DeploymentMode {
  if (config.deployment.mode !== 'auto') return config.deployment.mode;
  return getModel(config.baseModel).onDemandDeployment ? 'on-demand' : 'provisioned';
}

/**
 * The mode for a model trained from `baseModelId`: production may have been trained from another base
 * model than the one configured now, and only some base models allow on-demand deployment.
 */
export function deploymentModeFor(config: Config, baseModelId: string): DeploymentMode {
  const base = findModel(baseModelId);
  if (config.deployment.mode !== 'auto' || !base) return deploymentMode(config);
  return base.onDemandDeployment ? 'on-demand' : 'provisioned';
}

export async function customModelStatus(
  bedrock: BedrockClient,
  modelArn: string,
): Promise<string | undefined> {
  return (await bedrock.send(new GetCustomModelCommand({ modelIdentifier: modelArn }))).modelStatus;
}

export interface CreateOptions {
  /** Tagged `tunekit:project=<project>` so the janitor and `tunekit cleanup` find a leftover. */
  project?: string;
  /** Also tagged `tunekit:role=production`: the long-lived deployment the janitor must keep. */
  production?: boolean;
  description?: string;
  /** Idempotency token (default: the name). */
  clientRequestToken?: string;
}

/**
 * Creates an on-demand deployment or a no-commit Provisioned Throughput, unless one of that mode with this
 * name exists already: a retried call finds what its first attempt created instead of paying twice.
 */
export async function createDeployment(
  bedrock: BedrockClient,
  mode: DeploymentMode,
  name: string,
  customModelArn: string,
  options: CreateOptions = {},
): Promise<{ arn: string; created: boolean }> {
  const same = (await findDeployments(bedrock, name)).find((d) => d.mode === mode);
  if (same) return { arn: same.arn, created: false };
  return { arn: await createNewDeployment(bedrock, mode, name, customModelArn, options), created: true };
}

/** The create call alone, for a caller that has just looked up the name itself (see createDeployment). */
export async function createNewDeployment(
  bedrock: BedrockClient,
  mode: DeploymentMode,
  name: string,
  customModelArn: string,
  options: CreateOptions = {},
): Promise<string> {
  const tags = [
    ...(options.project ? [{ key: TUNEKIT_PROJECT_TAG, value: options.project }] : []),
    ...(options.production ? [{ key: TUNEKIT_ROLE_TAG, value: PRODUCTION_ROLE }] : []),
  ];
  const clientRequestToken = options.clientRequestToken ?? name;
  if (mode === 'on-demand') {
    const r = await bedrock.send(
      new CreateCustomModelDeploymentCommand({
        modelDeploymentName: name,
        modelArn: customModelArn,
        description:
          options.description ?? 'tunekit evaluation deployment (deleted by the pipeline when the run ends)',
        clientRequestToken,
        ...(tags.length ? { tags } : {}),
      }),
    );
    return r.customModelDeploymentArn!;
  }
  const r = await bedrock.send(
    new CreateProvisionedModelThroughputCommand({
      modelUnits: 1, // no commitmentDuration: no-commit, hourly, deletable at any time
      provisionedModelName: name,
      modelId: customModelArn,
      clientRequestToken,
      ...(tags.length ? { tags } : {}),
    }),
  );
  return r.provisionedModelArn!;
}

export type Readiness = 'Ready' | 'Creating' | 'Failed';

export async function deploymentStatus(
  bedrock: BedrockClient,
  d: Pick<EvaluationDeployment, 'mode' | 'arn'>,
): Promise<{ status: Readiness; detail: string; failureMessage?: string; modelArn?: string }> {
  if (d.mode === 'on-demand') {
    const r = await bedrock.send(
      new GetCustomModelDeploymentCommand({ customModelDeploymentIdentifier: d.arn }),
    );
    const status = r.status === 'Active' ? 'Ready' : r.status === 'Failed' ? 'Failed' : 'Creating';
    return { status, detail: r.status ?? 'unknown', failureMessage: r.failureMessage, modelArn: r.modelArn };
  }
  const r = await bedrock.send(new GetProvisionedModelThroughputCommand({ provisionedModelId: d.arn }));
  const status = r.status === 'InService' ? 'Ready' : r.status === 'Failed' ? 'Failed' : 'Creating';
  return { status, detail: r.status ?? 'unknown', failureMessage: r.failureMessage, modelArn: r.modelArn };
}

/** Every deployment and Provisioned Throughput carrying exactly this name. */
export async function findDeployments(
  bedrock: BedrockClient,
  name: string,
): Promise<{ mode: DeploymentMode; arn: string }[]> {
  const found: { mode: DeploymentMode; arn: string }[] = [];
  let token: string | undefined;
  do {
    const r = await bedrock.send(
      new ListCustomModelDeploymentsCommand({ nameContains: name, nextToken: token }),
    );
    for (const d of r.modelDeploymentSummaries ?? []) {
      if (d.customModelDeploymentName === name)
        found.push({ mode: 'on-demand', arn: d.customModelDeploymentArn! });
    }
    token = r.nextToken;
  } while (token);
  do {
    const r = await bedrock.send(
      new ListProvisionedModelThroughputsCommand({ nameContains: name, nextToken: token }),
    );
    for (const p of r.provisionedModelSummaries ?? []) {
      if (p.provisionedModelName === name) found.push({ mode: 'provisioned', arn: p.provisionedModelArn! });
    }
    token = r.nextToken;
  } while (token);
  return found;
}

export async function deleteDeployment(bedrock: BedrockClient, d: { mode: DeploymentMode; arn: string }) {
  try {
    if (d.mode === 'on-demand') {
      await bedrock.send(new DeleteCustomModelDeploymentCommand({ customModelDeploymentIdentifier: d.arn }));
    } else {
      await bedrock.send(new DeleteProvisionedModelThroughputCommand({ provisionedModelId: d.arn }));
    }
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') return; // already gone: the goal is reached
    throw error;
  }
}
