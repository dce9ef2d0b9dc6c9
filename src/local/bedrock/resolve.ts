import { CATALOG, findModel } from '../../models/catalog.ts';
import type { ModelSpec } from '../../models/schema.ts';
import { arnResourceId } from './arns.ts';
import type { BedrockContext } from './context.ts';
import { notFound, validation } from './errors.ts';
import type { CustomModelRecord, DeploymentRecord, JobRecord, ProvisionedRecord } from './records.ts';

/** Looks resources up by ARN or name, the way Bedrock's *Identifier members accept either. */

const warned = new Set<string>();

/** End-of-life models: refused with Bedrock's message under --strict-lifecycle, else served with a warning. */
export function checkLifecycle(ctx: BedrockContext, model: ModelSpec): void {
  if (model.lifecycle === 'ACTIVE') return;
  if (ctx.options.strictLifecycle)
    throw notFound(
      `This model version has reached the end of its life. Please refer to the AWS documentation for more details. (${model.invokeId})`,
    );
  if (!warned.has(model.id)) {
    warned.add(model.id);
    ctx.log(
      `warning: ${model.invokeId} has reached end of life on Amazon Bedrock (${model.lifecycle}); the local stack still serves it so older scripts run, but real Bedrock refuses it. Start with --strict-lifecycle to behave like Bedrock.`,
    );
  }
}

export function requireFoundationModel(identifier: string): ModelSpec {
  const model = findModel(identifier);
  if (!model)
    throw notFound(
      `Could not find foundation model ${identifier}. Known models: ${CATALOG.map((m) => m.invokeId).join(', ')}`,
    );
  return model;
}

export function findCustomModel(ctx: BedrockContext, identifier: string): CustomModelRecord | undefined {
  const id = arnResourceId(identifier, 'custom-model');
  if (id) return ctx.state.models.get(id);
  return ctx.state.models.find((m) => m.modelName === identifier);
}

export function requireCustomModel(ctx: BedrockContext, identifier: string): CustomModelRecord {
  const model = findCustomModel(ctx, identifier);
  if (!model) throw notFound(`Could not find model with identifier ${identifier}`);
  return model;
}

/** Only an Active custom model can be deployed, provisioned or customized further. */
export function requireActive(model: CustomModelRecord, use: string): CustomModelRecord {
  if (model.modelStatus !== 'Active')
    throw validation(
      `The model ${model.modelName} is ${model.modelStatus}; only Active models can be ${use}.`,
    );
  return model;
}

export function requireJob(ctx: BedrockContext, identifier: string): JobRecord {
  const id = arnResourceId(identifier, 'model-customization-job');
  const job = id ? ctx.state.jobs.get(id) : ctx.state.jobs.find((j) => j.jobName === identifier);
  if (!job) throw notFound(`Could not find model customization job with identifier ${identifier}`);
  return job;
}

/** Provisioned Throughput and deployments become ready after the configured delay; state flips on read. */
export function refreshProvisioned(ctx: BedrockContext, pt: ProvisionedRecord): ProvisionedRecord {
  if ((pt.status === 'Creating' || pt.status === 'Updating') && Date.parse(pt.readyAt) <= Date.now())
    return ctx.state.provisioned.update(pt.id, {
      status: 'InService',
      lastModifiedTime: pt.readyAt,
      modelArn: pt.desiredModelArn ?? pt.modelArn,
      desiredModelArn: undefined,
    });
  return pt;
}

export function refreshDeployment(ctx: BedrockContext, d: DeploymentRecord): DeploymentRecord {
  if (d.status === 'Creating' && Date.parse(d.readyAt) <= Date.now())
    return ctx.state.deployments.update(d.id, { status: 'Active', lastUpdatedAt: d.readyAt });
  const update = d.update;
  if (update?.status === 'Updating' && Date.parse(update.readyAt) <= Date.now())
    return ctx.state.deployments.update(d.id, {
      modelArn: update.modelArn,
      lastUpdatedAt: update.readyAt,
      update: { ...update, status: 'UpdateCompleted' },
    });
  return d;
}

export function findProvisioned(ctx: BedrockContext, identifier: string): ProvisionedRecord | undefined {
  const id = arnResourceId(identifier, 'provisioned-model');
  const pt = id
    ? ctx.state.provisioned.get(id)
    : ctx.state.provisioned.find((p) => p.provisionedModelName === identifier);
  return pt && refreshProvisioned(ctx, pt);
}

export function requireProvisioned(ctx: BedrockContext, identifier: string): ProvisionedRecord {
  const pt = findProvisioned(ctx, identifier);
  if (!pt) throw notFound(`Could not find provisioned model throughput with identifier ${identifier}`);
  return pt;
}

export function findDeployment(ctx: BedrockContext, identifier: string): DeploymentRecord | undefined {
  const id = arnResourceId(identifier, 'custom-model-deployment');
  const d = id
    ? ctx.state.deployments.get(id)
    : ctx.state.deployments.find((x) => x.modelDeploymentName === identifier);
  return d && refreshDeployment(ctx, d);
}

export function requireDeployment(ctx: BedrockContext, identifier: string): DeploymentRecord {
  const d = findDeployment(ctx, identifier);
  if (!d) throw notFound(`Could not find custom model deployment with identifier ${identifier}`);
  return d;
}

/** The foundation model at the root of a custom model's lineage. */
export function lineageFoundation(record: { foundationModelId: string }): ModelSpec {
  const model = findModel(record.foundationModelId);
  if (!model) throw validation(`Unknown foundation model ${record.foundationModelId}`);
  return model;
}
