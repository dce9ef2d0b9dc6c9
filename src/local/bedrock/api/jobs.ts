import { createHash } from 'node:crypto';
import type { ModelSpec } from '../../../models/schema.ts';
import { customModelArn, foundationModelArn, jobArn, newResourceId } from '../arns.ts';
import type { BedrockContext } from '../context.ts';
import { nowIso } from '../context.ts';
import { BedrockError, conflict, constraintError, validation } from '../errors.ts';
import { listPage } from '../paginate.ts';
import type { JobRecord } from '../records.ts';
import {
  checkLifecycle,
  findCustomModel,
  lineageFoundation,
  requireActive,
  requireFoundationModel,
  requireJob,
} from '../resolve.ts';
import {
  enumQuery,
  optionalString,
  requiredObject,
  requiredString,
  SHAPES,
  s3UriField,
  tagList,
} from '../validate.ts';
import { parseCustomization } from './customization-config.ts';
import { checkHyperparameters } from './hyperparameters.ts';
import { parseTrainingDataConfig } from './training-data-config.ts';
import { compact, type Route } from './types.ts';

const JOB_STATUSES = ['InProgress', 'Completed', 'Failed', 'Stopping', 'Stopped'] as const;

function validatorsOf(body: Record<string, unknown>): { s3Uri: string }[] {
  const config = body.validationDataConfig;
  if (config === undefined || config === null) return [];
  const validators = (config as Record<string, unknown>).validators;
  if (!Array.isArray(validators))
    throw constraintError('validationDataConfig.validators', 'null', 'Member must not be null');
  if (validators.length > 10)
    throw constraintError(
      'validationDataConfig.validators',
      `${validators.length} validators`,
      'Member must have length less than or equal to 10',
    );
  return validators.map((v, i) => ({
    s3Uri: s3UriField(
      (v ?? {}) as Record<string, unknown>,
      `validationDataConfig.validators.${i + 1}.member`,
    ),
  }));
}

/** baseModelIdentifier: a foundation model (id or ARN), or a custom model (ARN or name) to train further. */
function resolveBase(
  ctx: BedrockContext,
  identifier: string,
): { model: ModelSpec; baseArn: string; customId?: string } {
  const custom =
    identifier.includes(':custom-model/') || !identifier.includes('.')
      ? findCustomModel(ctx, identifier)
      : undefined;
  if (custom) {
    requireActive(custom, 'customized further');
    return { model: lineageFoundation(custom), baseArn: custom.modelArn, customId: custom.id };
  }
  const model = requireFoundationModel(identifier);
  return { model, baseArn: foundationModelArn(ctx.options.account.region, model.id) };
}

function create(ctx: BedrockContext, body: Record<string, unknown>) {
  const jobName = requiredString(body, 'jobName', SHAPES.jobName);
  const customModelName = requiredString(body, 'customModelName', SHAPES.customModelName);
  const roleArn = requiredString(body, 'roleArn', SHAPES.roleArn);
  const clientRequestToken = optionalString(body, 'clientRequestToken', SHAPES.clientRequestToken);
  const baseModelIdentifier = requiredString(body, 'baseModelIdentifier', SHAPES.modelIdentifier);
  requiredObject(body, 'trainingDataConfig'); // its members are checked once the customization type is known
  const validators = validatorsOf(body);
  const outputUri = s3UriField(requiredObject(body, 'outputDataConfig'), 'outputDataConfig');
  const tags = tagList(body, 'jobTags');
  const customModelTags = tagList(body, 'customModelTags');

  // Idempotency: the same token returns the job it created, if the request is the same one.
  const requestHash = createHash('sha256')
    .update(JSON.stringify({ ...body, clientRequestToken: undefined }))
    .digest('hex');
  if (clientRequestToken) {
    const previous = ctx.state.jobs.find((j) => j.clientRequestToken === clientRequestToken);
    if (previous) {
      if (previous.requestHash !== requestHash)
        throw validation(
          `The clientRequestToken ${clientRequestToken} was already used for a different request.`,
        );
      return { jobArn: previous.jobArn };
    }
  }

  const { model, baseArn, customId } = resolveBase(ctx, baseModelIdentifier);
  checkLifecycle(ctx, model);
  // Customization of each base model is offered in a few Regions only (bedrock-facts §1.1, the catalog's
  // `regions`). The exception type is Bedrock's for a bad request; its exact wording is UNCONFIRMED.
  const region = ctx.options.account.region;
  if (!model.regions.includes(region))
    throw validation(
      `The model ${model.id} is not supported for customization in ${region}. Supported Regions: ${model.regions.join(', ')}.`,
    );
  const { customizationType, customizationConfig } = parseCustomization(body, model);
  const trainingDataConfig = parseTrainingDataConfig(body, customizationType);
  // The top-level hyperParameters are checked against the base model's fine-tuning names and ranges for
  // every method; which ones a distillation job takes is UNCONFIRMED (RFT's are refused in parseCustomization).
  const hyperParameters = checkHyperparameters(model, body.hyperParameters);

  if (ctx.state.jobs.find((j) => j.jobName === jobName))
    throw conflict(`A model customization job with the name ${jobName} already exists.`);
  if (ctx.state.models.find((m) => m.modelName === customModelName))
    throw conflict(`A custom model with the name ${customModelName} already exists.`);
  if (ctx.jobs.activeCount() >= ctx.options.maxConcurrentJobs)
    throw new BedrockError(
      'ServiceQuotaExceededException',
      `You have reached the maximum number of concurrent model customization jobs (${ctx.options.maxConcurrentJobs}) for this account. Wait for a job to finish or stop one, then try again.`,
    );

  const id = newResourceId();
  const modelId = newResourceId();
  const time = nowIso();
  const arn = jobArn(ctx.options.account, model.id, id);
  const modelArn = customModelArn(ctx.options.account, model.id, modelId);
  const job: JobRecord = {
    id,
    jobArn: arn,
    jobName,
    outputModelName: customModelName,
    outputModelArn: modelArn,
    customModelId: modelId,
    clientRequestToken,
    requestHash,
    roleArn,
    status: 'InProgress',
    creationTime: time,
    lastModifiedTime: time,
    baseModelArn: baseArn,
    foundationModelId: model.id,
    baseCustomModelId: customId,
    hyperParameters,
    trainingDataConfig,
    validationDataConfig: { validators: validators },
    outputDataConfig: { s3Uri: outputUri },
    customizationType,
    customizationConfig,
    vpcConfig: body.vpcConfig ?? undefined,
    tags,
    customModelTags,
  };
  ctx.state.models.put({
    id: modelId,
    modelArn,
    modelName: customModelName,
    jobName,
    jobArn: arn,
    baseModelArn: baseArn,
    foundationModelId: model.id,
    customizationType,
    customizationConfig,
    hyperParameters,
    trainingDataConfig: job.trainingDataConfig,
    validationDataConfig: job.validationDataConfig,
    outputDataConfig: job.outputDataConfig,
    creationTime: time,
    modelStatus: 'Creating',
    tags: customModelTags,
  });
  ctx.emitJobState(ctx.state.jobs.put(job));
  ctx.jobs.enqueue(id);
  ctx.log(`job ${jobName} created (${model.id}), queued for training`);
  return { jobArn: arn };
}

function jobView(job: JobRecord) {
  return compact({
    jobArn: job.jobArn,
    jobName: job.jobName,
    outputModelName: job.outputModelName,
    // Bedrock fills outputModelArn once the model exists.
    outputModelArn: job.status === 'Completed' ? job.outputModelArn : undefined,
    clientRequestToken: job.clientRequestToken,
    roleArn: job.roleArn,
    status: job.status,
    failureMessage: job.failureMessage,
    creationTime: job.creationTime,
    lastModifiedTime: job.lastModifiedTime,
    endTime: job.endTime,
    baseModelArn: job.baseModelArn,
    hyperParameters: job.hyperParameters,
    trainingDataConfig: job.trainingDataConfig,
    validationDataConfig: job.validationDataConfig,
    outputDataConfig: job.outputDataConfig,
    customizationType: job.customizationType,
    trainingMetrics: job.trainingMetrics,
    validationMetrics: job.validationMetrics,
    vpcConfig: job.vpcConfig,
    customizationConfig: job.customizationConfig,
  });
}

export const jobRoutes: Route[] = [
  {
    api: 'CreateModelCustomizationJob',
    method: 'POST',
    path: '/model-customization-jobs',
    handler: (ctx, req) => ({ status: 201, body: create(ctx, req.body) }),
  },
  {
    api: 'GetModelCustomizationJob',
    method: 'GET',
    path: '/model-customization-jobs/{jobIdentifier}',
    handler: (ctx, req) => ({ status: 200, body: jobView(requireJob(ctx, req.params.jobIdentifier!)) }),
  },
  {
    api: 'ListModelCustomizationJobs',
    method: 'GET',
    path: '/model-customization-jobs',
    handler: (ctx, req) => {
      const status = enumQuery(req.query, 'statusEquals', JOB_STATUSES);
      const name = req.query.get('nameContains');
      const jobs = ctx.state.jobs
        .all()
        .filter((j) => (!status || j.status === status) && (!name || j.jobName.includes(name)));
      const { page, nextToken } = listPage(jobs, req.query, { created: (j) => j.creationTime });
      return {
        status: 200,
        body: compact({
          nextToken,
          modelCustomizationJobSummaries: page.map((j) =>
            compact({
              jobArn: j.jobArn,
              baseModelArn: j.baseModelArn,
              jobName: j.jobName,
              status: j.status,
              lastModifiedTime: j.lastModifiedTime,
              creationTime: j.creationTime,
              endTime: j.endTime,
              customModelArn: j.status === 'Completed' ? j.outputModelArn : undefined,
              customModelName: j.outputModelName,
              customizationType: j.customizationType,
            }),
          ),
        }),
      };
    },
  },
  {
    api: 'StopModelCustomizationJob',
    method: 'POST',
    path: '/model-customization-jobs/{jobIdentifier}/stop',
    handler: (ctx, req) => {
      const job = requireJob(ctx, req.params.jobIdentifier!);
      if (job.status !== 'InProgress')
        throw conflict(`The job ${job.jobName} is ${job.status}; only InProgress jobs can be stopped.`);
      ctx.jobs.stop(job);
      return { status: 200, body: {} };
    },
  },
];
