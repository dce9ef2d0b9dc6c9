import { foundationModelArn, newResourceId, provisionedModelArn } from '../arns.ts';
import type { BedrockContext } from '../context.ts';
import { BedrockError, constraintError, validation } from '../errors.ts';
import { listPage } from '../paginate.ts';
import type { ProvisionedRecord } from '../records.ts';
import {
  checkLifecycle,
  findCustomModel,
  refreshProvisioned,
  requireActive,
  requireFoundationModel,
  requireProvisioned,
} from '../resolve.ts';
import { enumQuery, optionalString, requiredString, SHAPES, tagList } from '../validate.ts';
import { compact, type Route } from './types.ts';

/** Provisioned Throughput: Creating -> InService after the configured delay; the model ARN is invokable then. */
function create(ctx: BedrockContext, body: Record<string, unknown>) {
  const name = requiredString(body, 'provisionedModelName', SHAPES.provisionedModelName);
  const modelId = requiredString(body, 'modelId', SHAPES.modelIdentifier);
  const token = optionalString(body, 'clientRequestToken', SHAPES.clientRequestToken);
  const units = body.modelUnits;
  if (units === undefined || units === null)
    throw constraintError('modelUnits', 'null', 'Member must not be null');
  if (typeof units !== 'number' || !Number.isInteger(units) || units < 1)
    throw constraintError('modelUnits', units, 'Member must have value greater than or equal to 1');
  const commitment = optionalString(body, 'commitmentDuration');
  if (commitment !== undefined && commitment !== 'OneMonth' && commitment !== 'SixMonths')
    throw constraintError(
      'commitmentDuration',
      commitment,
      'Member must satisfy enum value set: [OneMonth, SixMonths]',
    );
  const tags = tagList(body, 'tags');

  if (token) {
    const previous = ctx.state.provisioned.find((p) => p.clientRequestToken === token);
    if (previous) return { provisionedModelArn: previous.provisionedModelArn };
  }
  const custom = findCustomModel(ctx, modelId);
  let modelArn: string;
  let fmArn: string;
  const region = ctx.options.account.region;
  if (custom) {
    requireActive(custom, 'provisioned');
    modelArn = custom.modelArn;
    fmArn = foundationModelArn(region, custom.foundationModelId);
    // No-commitment PT for a custom model: 1 model unit each, at most 2 per account (bedrock-facts §5.1
    // [UG-pt] prov-throughput.html; §9 pricing footnote "limited to 1 MU"); commitment terms have a
    // default quota of 0 model units. The exact wording of Bedrock's refusals is UNCONFIRMED.
    if (!commitment && units > 1)
      throw validation('No-commitment Provisioned Throughput for a custom model is limited to 1 model unit.');
  } else {
    const fm = requireFoundationModel(modelId);
    checkLifecycle(ctx, fm);
    if (!commitment)
      throw validation(
        `Provisioned Throughput for base model ${fm.id} requires a commitment term (OneMonth or SixMonths).`,
      );
    modelArn = foundationModelArn(region, fm.id);
    fmArn = modelArn;
  }
  // ValidationException, not ConflictException: the operation's botocore model lists no ConflictException
  // (the exact error AWS returns for this case is UNCONFIRMED; this one at least is modeled).
  if (ctx.state.provisioned.find((p) => p.provisionedModelName === name))
    throw validation(`A Provisioned Throughput named ${name} already exists.`);
  if (!commitment) {
    const noCommit = ctx.state.provisioned.all().filter((p) => !p.commitmentDuration).length;
    if (noCommit >= ctx.options.maxNoCommitProvisioned)
      throw new BedrockError(
        'ServiceQuotaExceededException',
        `You have reached the quota of ${ctx.options.maxNoCommitProvisioned} no-commitment Provisioned Throughputs; delete one first.`,
      );
  }
  const id = newResourceId();
  const now = Date.now();
  const record: ProvisionedRecord = {
    id,
    provisionedModelArn: provisionedModelArn(ctx.options.account, id),
    provisionedModelName: name,
    modelArn,
    foundationModelArn: fmArn,
    modelUnits: units,
    commitmentDuration: commitment,
    commitmentExpirationTime: commitment
      ? new Date(now + (commitment === 'OneMonth' ? 30 : 182) * 86_400_000).toISOString()
      : undefined,
    status: 'Creating',
    creationTime: new Date(now).toISOString(),
    lastModifiedTime: new Date(now).toISOString(),
    readyAt: new Date(now + ctx.options.provisioningDelayMs).toISOString(),
    clientRequestToken: token,
    tags,
  };
  ctx.state.provisioned.put(record);
  ctx.log(`provisioned throughput ${name} Creating (InService in ${ctx.options.provisioningDelayMs} ms)`);
  return { provisionedModelArn: record.provisionedModelArn };
}

/**
 * UpdateProvisionedModelThroughput: a new name and/or another custom model of the same base model
 * (Bedrock's rule). The PT is Updating, still serving the old model, until the delay has passed.
 */
function update(ctx: BedrockContext, identifier: string, body: Record<string, unknown>) {
  const pt = requireProvisioned(ctx, identifier);
  const name = optionalString(body, 'desiredProvisionedModelName', SHAPES.provisionedModelName);
  const desired = optionalString(body, 'desiredModelId', SHAPES.modelIdentifier);
  if (pt.status !== 'InService')
    throw validation(
      `The Provisioned Throughput ${pt.provisionedModelName} is ${pt.status}; only InService ones can be updated.`,
    );
  if (
    name &&
    name !== pt.provisionedModelName &&
    ctx.state.provisioned.find((p) => p.provisionedModelName === name)
  )
    // UpdateProvisionedModelThroughput models no ConflictException either (see CreateProvisionedModelThroughput).
    throw validation(`A Provisioned Throughput named ${name} already exists.`);
  let desiredModelArn: string | undefined;
  if (desired) {
    const custom = findCustomModel(ctx, desired);
    if (!custom)
      throw validation(
        `The model ${desired} is not a custom model; only custom models can replace the model of a Provisioned Throughput.`,
      );
    requireActive(custom, 'provisioned');
    if (foundationModelArn(ctx.options.account.region, custom.foundationModelId) !== pt.foundationModelArn)
      throw validation(
        `The model ${custom.modelName} was customized from another base model than ${pt.foundationModelArn}.`,
      );
    if (custom.modelArn !== pt.modelArn) desiredModelArn = custom.modelArn;
  }
  const now = Date.now();
  ctx.state.provisioned.update(pt.id, {
    ...(name ? { provisionedModelName: name } : {}),
    ...(desiredModelArn
      ? {
          desiredModelArn,
          status: 'Updating' as const,
          readyAt: new Date(now + ctx.options.provisioningDelayMs).toISOString(),
        }
      : {}),
    lastModifiedTime: new Date(now).toISOString(),
  });
  ctx.log(
    `provisioned throughput ${pt.provisionedModelName} ${desiredModelArn ? `Updating to ${desiredModelArn}` : 'renamed'}`,
  );
  return {};
}

function view(pt: ProvisionedRecord) {
  return compact({
    modelUnits: pt.modelUnits,
    desiredModelUnits: pt.modelUnits,
    provisionedModelName: pt.provisionedModelName,
    provisionedModelArn: pt.provisionedModelArn,
    modelArn: pt.modelArn,
    desiredModelArn: pt.desiredModelArn ?? pt.modelArn,
    foundationModelArn: pt.foundationModelArn,
    status: pt.status,
    creationTime: pt.creationTime,
    lastModifiedTime: pt.lastModifiedTime,
    commitmentDuration: pt.commitmentDuration,
    commitmentExpirationTime: pt.commitmentExpirationTime,
  });
}

export const provisionedRoutes: Route[] = [
  {
    api: 'CreateProvisionedModelThroughput',
    method: 'POST',
    path: '/provisioned-model-throughput',
    handler: (ctx, req) => ({ status: 201, body: create(ctx, req.body) }),
  },
  {
    api: 'GetProvisionedModelThroughput',
    method: 'GET',
    path: '/provisioned-model-throughput/{provisionedModelId}',
    handler: (ctx, req) => ({
      status: 200,
      body: view(requireProvisioned(ctx, req.params.provisionedModelId!)),
    }),
  },
  {
    api: 'ListProvisionedModelThroughputs',
    method: 'GET',
    path: '/provisioned-model-throughputs',
    handler: (ctx, req) => {
      const status = enumQuery(req.query, 'statusEquals', [
        'Creating',
        'InService',
        'Updating',
        'Failed',
      ] as const);
      const modelArn = req.query.get('modelArnEquals');
      const name = req.query.get('nameContains');
      const items = ctx.state.provisioned
        .all()
        .map((p) => refreshProvisioned(ctx, p))
        .filter(
          (p) =>
            (!status || p.status === status) &&
            (!modelArn || p.modelArn === modelArn) &&
            (!name || p.provisionedModelName.includes(name)),
        );
      const { page, nextToken } = listPage(items, req.query, { created: (p) => p.creationTime });
      return { status: 200, body: compact({ nextToken, provisionedModelSummaries: page.map(view) }) };
    },
  },
  {
    api: 'UpdateProvisionedModelThroughput',
    method: 'PATCH',
    path: '/provisioned-model-throughput/{provisionedModelId}',
    handler: (ctx, req) => ({ status: 200, body: update(ctx, req.params.provisionedModelId!, req.body) }),
  },
  {
    api: 'DeleteProvisionedModelThroughput',
    method: 'DELETE',
    path: '/provisioned-model-throughput/{provisionedModelId}',
    handler: (ctx, req) => {
      const pt = requireProvisioned(ctx, req.params.provisionedModelId!);
      ctx.state.provisioned.delete(pt.id);
      ctx.log(`provisioned throughput ${pt.provisionedModelName} deleted`);
      return { status: 200, body: {} };
    },
  },
];
