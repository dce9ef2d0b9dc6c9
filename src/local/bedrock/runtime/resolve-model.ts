import { findModel } from '../../../models/catalog.ts';
import {
  findInferenceProfile,
  geographyOf,
  requiresInferenceProfile,
} from '../../../models/inference-profile.ts';
import type { ModelSpec } from '../../../models/schema.ts';
import type { ModelArtifact } from '../../engine/engine.port.ts';
import type { BedrockContext } from '../context.ts';
import { BedrockError, validation } from '../errors.ts';
import {
  checkLifecycle,
  findCustomModel,
  findDeployment,
  findProvisioned,
  lineageFoundation,
} from '../resolve.ts';

/**
 * What an InvokeModel/Converse modelId names: a base model (invoke id, customization id or foundation-model
 * ARN), a custom model deployment (ARN or name), or a Provisioned Throughput (ARN or name).
 */
export interface ResolvedModel {
  spec: ModelSpec;
  artifact?: ModelArtifact;
  modelId: string;
}

function customArtifact(
  ctx: BedrockContext,
  modelArn: string,
): { spec: ModelSpec; artifact?: ModelArtifact } {
  const custom = findCustomModel(ctx, modelArn);
  if (!custom) {
    const fm = findModel(modelArn);
    if (fm) return { spec: fm };
    throw new BedrockError(
      'ResourceNotFoundException',
      `The model ${modelArn} behind this endpoint no longer exists.`,
    );
  }
  const artifact = ctx.state.loadArtifact(custom.id);
  if (!artifact)
    throw new BedrockError(
      'ModelErrorException',
      `The weights of ${custom.modelName} are missing from the local stack's data dir.`,
    );
  return { spec: lineageFoundation(custom), artifact };
}

/**
 * A resource the modelId may name: an ARN of `arnKind` must name an existing one; a bare name may name one
 * (or something else); an ARN of another kind does not.
 */
function lookUp<T>(
  modelId: string,
  arnKind: string,
  find: () => T | undefined,
  missing: string,
): T | undefined {
  const named = modelId.includes(arnKind);
  if (!named && modelId.startsWith('arn:')) return undefined;
  const found = find();
  if (!found && named) throw new BedrockError('ResourceNotFoundException', missing);
  return found;
}

export function resolveRuntimeModel(ctx: BedrockContext, modelId: string): ResolvedModel {
  const pt = lookUp(
    modelId,
    ':provisioned-model/',
    () => findProvisioned(ctx, modelId),
    `Could not find provisioned model ${modelId}`,
  );
  if (pt) {
    if (pt.status !== 'InService')
      throw new BedrockError(
        'ModelNotReadyException',
        `The provisioned model ${pt.provisionedModelName} is ${pt.status}, not InService yet. Try again later.`,
      );
    return { ...customArtifact(ctx, pt.modelArn), modelId };
  }
  const d = lookUp(
    modelId,
    ':custom-model-deployment/',
    () => findDeployment(ctx, modelId),
    `Could not find custom model deployment ${modelId}`,
  );
  if (d) {
    if (d.status !== 'Active')
      throw new BedrockError(
        'ModelNotReadyException',
        `The deployment ${d.modelDeploymentName} is ${d.status}, not Active yet. Try again later.`,
      );
    return { ...customArtifact(ctx, d.modelArn), modelId };
  }
  if (modelId.includes(':custom-model/') || findCustomModel(ctx, modelId))
    throw validation(
      'Custom models cannot be invoked directly. Invoke a custom model deployment (CreateCustomModelDeployment) or a Provisioned Throughput ARN instead.',
    );
  const profile = findInferenceProfile(modelId);
  if (profile) {
    // A system-defined profile serves callers in its geography (or anywhere, for global.); its ARN names
    // the caller's Region (arn:aws:bedrock:<region>:<account>:inference-profile/<id>).
    const region = ctx.options.account.region;
    const arnRegion = modelId.startsWith('arn:') ? modelId.split(':')[3] : region;
    if (arnRegion !== region || (profile.geography !== 'global' && profile.geography !== geographyOf(region)))
      throw validation('The provided model identifier is invalid.');
    checkLifecycle(ctx, profile.model);
    return { spec: profile.model, modelId };
  }
  if (modelId.includes(':inference-profile/') || modelId.includes(':application-inference-profile/'))
    throw new BedrockError('ResourceNotFoundException', `Could not find inference profile ${modelId}`);
  const spec = findModel(modelId);
  if (!spec) throw validation(`The provided model identifier is invalid. (${modelId})`);
  checkLifecycle(ctx, spec);
  // Bedrock's exact words for a model that has no in-Region on-demand route (bedrock-facts §11.4; raw
  // botocore tracebacks in langchain-aws#258 and cline#689 show the typographic apostrophe in "isn’t").
  if (requiresInferenceProfile(spec, ctx.options.account.region))
    throw validation(
      `Invocation of model ID ${modelId} with on-demand throughput isn’t supported. Retry your request with the ID or ARN of an inference profile that contains this model.`,
    );
  return { spec, modelId };
}
