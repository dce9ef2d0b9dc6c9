import { CATALOG } from '../../../models/catalog.ts';
import type { ModelSpec } from '../../../models/schema.ts';
import { foundationModelArn } from '../arns.ts';
import type { BedrockContext } from '../context.ts';
import { conflict, notFound } from '../errors.ts';
import { listPage } from '../paginate.ts';
import type { CustomModelRecord } from '../records.ts';
import { refreshDeployment, refreshProvisioned, requireCustomModel } from '../resolve.ts';
import { enumQuery } from '../validate.ts';
import { compact, type Route } from './types.ts';

/**
 * Foundation models come from the catalog. Like Bedrock, each customizable model is listed twice: the invoke
 * id (on-demand inference) and the context-length variant used for customization (`...:0:128k`).
 * End-of-life models report modelLifecycle.status LEGACY (Bedrock's enum has ACTIVE and LEGACY only).
 */
function foundationViews(region: string, model: ModelSpec) {
  const common = {
    modelName: model.name,
    providerName: model.provider,
    inputModalities: ['TEXT'],
    outputModalities: ['TEXT'],
    responseStreamingSupported: true,
    modelLifecycle: { status: model.lifecycle === 'ACTIVE' ? 'ACTIVE' : 'LEGACY' },
  };
  return [
    {
      modelArn: foundationModelArn(region, model.invokeId),
      modelId: model.invokeId,
      ...common,
      customizationsSupported: [],
      inferenceTypesSupported: ['ON_DEMAND'],
    },
    {
      modelArn: foundationModelArn(region, model.id),
      modelId: model.id,
      ...common,
      // GetFoundationModel's ModelCustomization enum (botocore 1.43) has no REINFORCEMENT_FINE_TUNING.
      customizationsSupported: model.customizationTypes.filter((t) => t !== 'REINFORCEMENT_FINE_TUNING'),
      inferenceTypesSupported: model.provisionedThroughput ? ['PROVISIONED'] : [],
    },
  ];
}

function allFoundation(region: string) {
  return CATALOG.flatMap((m) => foundationViews(region, m));
}

function customModelView(m: CustomModelRecord) {
  return compact({
    modelArn: m.modelArn,
    modelName: m.modelName,
    jobName: m.jobName,
    jobArn: m.jobArn,
    baseModelArn: m.baseModelArn,
    customizationType: m.customizationType,
    hyperParameters: m.hyperParameters,
    trainingDataConfig: m.trainingDataConfig,
    validationDataConfig: m.validationDataConfig,
    outputDataConfig: m.outputDataConfig,
    trainingMetrics: m.trainingMetrics,
    validationMetrics: m.validationMetrics,
    creationTime: m.creationTime,
    modelStatus: m.modelStatus,
    failureMessage: m.failureMessage,
    customizationConfig: m.customizationConfig,
  });
}

export const modelRoutes: Route[] = [
  {
    api: 'ListFoundationModels',
    method: 'GET',
    path: '/foundation-models',
    handler: (ctx, req) => {
      const provider = req.query.get('byProvider');
      const customization = enumQuery(req.query, 'byCustomizationType', [
        'FINE_TUNING',
        'CONTINUED_PRE_TRAINING',
        'DISTILLATION',
        'REINFORCEMENT_FINE_TUNING',
        'IMPORTED',
      ] as const);
      const inference = enumQuery(req.query, 'byInferenceType', ['ON_DEMAND', 'PROVISIONED'] as const);
      const modality = req.query.get('byOutputModality');
      const summaries = allFoundation(ctx.options.account.region).filter(
        (m) =>
          (!provider || m.providerName.toLowerCase() === provider.toLowerCase()) &&
          (!customization || (m.customizationsSupported as string[]).includes(customization)) &&
          (!inference || m.inferenceTypesSupported.includes(inference)) &&
          (!modality || m.outputModalities.includes(modality)),
      );
      return { status: 200, body: { modelSummaries: summaries } };
    },
  },
  {
    api: 'GetFoundationModel',
    method: 'GET',
    path: '/foundation-models/{modelIdentifier}',
    handler: (ctx, req) => {
      const identifier = req.params.modelIdentifier!;
      const id = identifier.includes(':foundation-model/')
        ? identifier.split(':foundation-model/')[1]!
        : identifier;
      const views = allFoundation(ctx.options.account.region);
      const view =
        views.find((v) => v.modelId === id) ??
        views.find((v) => CATALOG.some((m) => m.aliases.includes(id) && m.invokeId === v.modelId));
      if (!view) throw notFound(`The model ${identifier} does not exist.`);
      return { status: 200, body: { modelDetails: view } };
    },
  },
  {
    api: 'GetCustomModel',
    method: 'GET',
    path: '/custom-models/{modelIdentifier}',
    handler: (ctx, req) => ({
      status: 200,
      body: customModelView(requireCustomModel(ctx, req.params.modelIdentifier!)),
    }),
  },
  {
    api: 'ListCustomModels',
    method: 'GET',
    path: '/custom-models',
    handler: (ctx, req) => {
      const q = req.query;
      const name = q.get('nameContains');
      const baseArn = q.get('baseModelArnEquals');
      const fmArn = q.get('foundationModelArnEquals');
      const status = enumQuery(q, 'modelStatus', ['Active', 'Creating', 'Failed'] as const);
      const region = ctx.options.account.region;
      const models = ctx.state.models
        .all()
        .filter(
          (m) =>
            (!name || m.modelName.includes(name)) &&
            (!baseArn || m.baseModelArn === baseArn) &&
            (!fmArn || foundationModelArn(region, m.foundationModelId) === fmArn) &&
            (!status || m.modelStatus === status),
        );
      const { page, nextToken } = listPage(models, q, { created: (m) => m.creationTime });
      return {
        status: 200,
        body: compact({
          nextToken,
          modelSummaries: page.map((m) => ({
            modelArn: m.modelArn,
            modelName: m.modelName,
            creationTime: m.creationTime,
            baseModelArn: m.baseModelArn,
            baseModelName: m.baseModelArn.split('/').slice(-1)[0] ?? m.foundationModelId,
            customizationType: m.customizationType,
            ownerAccountId: ctx.options.account.accountId,
            modelStatus: m.modelStatus,
          })),
        }),
      };
    },
  },
  {
    api: 'DeleteCustomModel',
    method: 'DELETE',
    path: '/custom-models/{modelIdentifier}',
    handler: (ctx, req) => deleteCustomModel(ctx, req.params.modelIdentifier!),
  },
];

function deleteCustomModel(ctx: BedrockContext, identifier: string) {
  const model = requireCustomModel(ctx, identifier);
  if (model.modelStatus === 'Creating')
    throw conflict(
      `The model ${model.modelName} is still being created by job ${model.jobName}; stop the job first.`,
    );
  // In use = serving it or switching to it. Records are refreshed first: an update whose delay has passed
  // serves its new model even if nobody has read the record since.
  const arn = model.modelArn;
  const pt = ctx.state.provisioned
    .all()
    .map((p) => refreshProvisioned(ctx, p))
    .find((p) => p.modelArn === arn || p.desiredModelArn === arn);
  if (pt)
    throw conflict(
      `The model ${model.modelName} is in use by Provisioned Throughput ${pt.provisionedModelName}; delete it first.`,
    );
  const deployment = ctx.state.deployments
    .all()
    .map((d) => refreshDeployment(ctx, d))
    .find((d) => d.modelArn === arn || (d.update?.status === 'Updating' && d.update.modelArn === arn));
  if (deployment)
    throw conflict(
      `The model ${model.modelName} is in use by deployment ${deployment.modelDeploymentName}; delete it first.`,
    );
  ctx.state.models.delete(model.id);
  ctx.state.deleteArtifact(model.id);
  return { status: 200, body: {} };
}
