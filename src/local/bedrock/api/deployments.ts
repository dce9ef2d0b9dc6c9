import { deploymentArn, newResourceId } from '../arns.ts';
import type { BedrockContext } from '../context.ts';
import { validation } from '../errors.ts';
import { listPage } from '../paginate.ts';
import type { CustomModelRecord, DeploymentRecord } from '../records.ts';
import {
  lineageFoundation,
  refreshDeployment,
  requireActive,
  requireCustomModel,
  requireDeployment,
} from '../resolve.ts';
import { enumQuery, optionalString, requiredString, SHAPES, tagList } from '../validate.ts';
import { compact, type Route } from './types.ts';

/** The custom model a deployment may serve (create or update): Active, and of a base that allows on-demand. */
function requireDeployableModel(ctx: BedrockContext, identifier: string): CustomModelRecord {
  const model = requireActive(requireCustomModel(ctx, identifier), 'deployed');
  const base = lineageFoundation(model);
  if (!base.onDemandDeployment)
    throw validation(
      `On-demand deployment is not supported for models customized from ${base.id}. Use Provisioned Throughput (CreateProvisionedModelThroughput) instead.`,
    );
  return model;
}

/** On-demand custom model deployments (per-token, no hourly bill): Nova custom models only, as on Bedrock. */
function create(ctx: BedrockContext, body: Record<string, unknown>) {
  const name = requiredString(body, 'modelDeploymentName', SHAPES.modelDeploymentName);
  const modelArnInput = requiredString(body, 'modelArn', { min: 20, max: 1011 });
  const description = optionalString(body, 'description', SHAPES.description);
  const token = optionalString(body, 'clientRequestToken', SHAPES.clientRequestToken);
  const tags = tagList(body, 'tags');
  if (token) {
    const previous = ctx.state.deployments.find((d) => d.clientRequestToken === token);
    if (previous) return { customModelDeploymentArn: previous.customModelDeploymentArn };
  }
  const model = requireDeployableModel(ctx, modelArnInput);
  // ValidationException, not ConflictException: the operation's botocore model lists no ConflictException
  // (the exact error AWS returns for this case is UNCONFIRMED; this one at least is modeled).
  if (ctx.state.deployments.find((d) => d.modelDeploymentName === name))
    throw validation(`A custom model deployment named ${name} already exists.`);
  const id = newResourceId();
  const now = Date.now();
  const record: DeploymentRecord = {
    id,
    customModelDeploymentArn: deploymentArn(ctx.options.account, id),
    modelDeploymentName: name,
    modelArn: model.modelArn,
    description,
    createdAt: new Date(now).toISOString(),
    lastUpdatedAt: new Date(now).toISOString(),
    status: 'Creating',
    readyAt: new Date(now + ctx.options.provisioningDelayMs).toISOString(),
    clientRequestToken: token,
    tags,
  };
  ctx.state.deployments.put(record);
  ctx.log(`deployment ${name} Creating (Active in ${ctx.options.provisioningDelayMs} ms)`);
  return { customModelDeploymentArn: record.customModelDeploymentArn };
}

/**
 * UpdateCustomModelDeployment: points a deployment at another custom model. Like Bedrock, the old model
 * keeps serving while `updateDetails.updateStatus` is Updating; `modelArn` switches when it completes.
 */
function update(ctx: BedrockContext, identifier: string, body: Record<string, unknown>) {
  const modelArnInput = requiredString(body, 'modelArn', { min: 20, max: 1011 });
  const d = requireDeployment(ctx, identifier);
  if (d.status !== 'Active')
    throw validation(
      `The deployment ${d.modelDeploymentName} is ${d.status}; only Active deployments can be updated.`,
    );
  // UpdateCustomModelDeployment models no ConflictException (botocore bedrock).
  if (d.update?.status === 'Updating')
    throw validation(
      `The deployment ${d.modelDeploymentName} is already being updated to ${d.update.modelArn}.`,
    );
  const model = requireDeployableModel(ctx, modelArnInput);
  const readyAt = new Date(Date.now() + ctx.options.provisioningDelayMs).toISOString();
  ctx.state.deployments.update(d.id, {
    update: { modelArn: model.modelArn, status: 'Updating', readyAt },
    lastUpdatedAt: new Date().toISOString(),
  });
  ctx.log(`deployment ${d.modelDeploymentName} Updating to ${model.modelName}`);
  return { customModelDeploymentArn: d.customModelDeploymentArn };
}

export const deploymentRoutes: Route[] = [
  {
    api: 'CreateCustomModelDeployment',
    method: 'POST',
    path: '/model-customization/custom-model-deployments',
    handler: (ctx, req) => ({ status: 202, body: create(ctx, req.body) }),
  },
  {
    api: 'GetCustomModelDeployment',
    method: 'GET',
    path: '/model-customization/custom-model-deployments/{customModelDeploymentIdentifier}',
    handler: (ctx, req) => {
      const d = requireDeployment(ctx, req.params.customModelDeploymentIdentifier!);
      return {
        status: 200,
        body: compact({
          customModelDeploymentArn: d.customModelDeploymentArn,
          modelDeploymentName: d.modelDeploymentName,
          modelArn: d.modelArn,
          createdAt: d.createdAt,
          status: d.status,
          description: d.description,
          lastUpdatedAt: d.lastUpdatedAt,
          updateDetails: d.update && { modelArn: d.update.modelArn, updateStatus: d.update.status },
        }),
      };
    },
  },
  {
    api: 'ListCustomModelDeployments',
    method: 'GET',
    path: '/model-customization/custom-model-deployments',
    handler: (ctx, req) => {
      const status = enumQuery(req.query, 'statusEquals', ['Creating', 'Active', 'Failed'] as const);
      const modelArn = req.query.get('modelArnEquals');
      const name = req.query.get('nameContains');
      const items = ctx.state.deployments
        .all()
        .map((d) => refreshDeployment(ctx, d))
        .filter(
          (d) =>
            (!status || d.status === status) &&
            (!modelArn || d.modelArn === modelArn) &&
            (!name || d.modelDeploymentName.includes(name)),
        );
      const { page, nextToken } = listPage<DeploymentRecord>(items, req.query, {
        created: (d) => d.createdAt,
        afterParam: 'createdAfter',
        beforeParam: 'createdBefore',
      });
      return {
        status: 200,
        body: compact({
          nextToken,
          modelDeploymentSummaries: page.map((d) =>
            compact({
              customModelDeploymentArn: d.customModelDeploymentArn,
              customModelDeploymentName: d.modelDeploymentName,
              modelArn: d.modelArn,
              createdAt: d.createdAt,
              status: d.status,
              lastUpdatedAt: d.lastUpdatedAt,
            }),
          ),
        }),
      };
    },
  },
  {
    api: 'UpdateCustomModelDeployment',
    method: 'PATCH',
    path: '/model-customization/custom-model-deployments/{customModelDeploymentIdentifier}',
    handler: (ctx, req) => ({
      status: 202,
      body: update(ctx, req.params.customModelDeploymentIdentifier!, req.body),
    }),
  },
  {
    api: 'DeleteCustomModelDeployment',
    method: 'DELETE',
    path: '/model-customization/custom-model-deployments/{customModelDeploymentIdentifier}',
    handler: (ctx, req) => {
      const d = requireDeployment(ctx, req.params.customModelDeploymentIdentifier!);
      ctx.state.deployments.delete(d.id);
      ctx.log(`deployment ${d.modelDeploymentName} deleted`);
      return { status: 200, body: {} };
    },
  },
];
