import type { ModelSpec } from '../../../models/schema.ts';
import type { ModelArtifact } from '../../engine/engine.port.ts';
import type { BedrockContext } from '../context.ts';
import { BedrockError, validation } from '../errors.ts';
import {
  checkLifecycle,
  findCustomModel,
  findDeployment,
  findProvisioned,
  foundationModel,
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
    const fm = foundationModel(modelArn);
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

export function resolveRuntimeModel(ctx: BedrockContext, modelId: string): ResolvedModel {
  if (
    modelId.includes(':provisioned-model/') ||
    (!modelId.startsWith('arn:') && findProvisioned(ctx, modelId))
  ) {
    const pt = findProvisioned(ctx, modelId);
    if (!pt)
      throw new BedrockError('ResourceNotFoundException', `Could not find provisioned model ${modelId}`);
    if (pt.status !== 'InService')
      throw new BedrockError(
        'ModelNotReadyException',
        `The provisioned model ${pt.provisionedModelName} is ${pt.status}, not InService yet. Try again later.`,
      );
    return { ...customArtifact(ctx, pt.modelArn), modelId };
  }
  if (
    modelId.includes(':custom-model-deployment/') ||
    (!modelId.startsWith('arn:') && findDeployment(ctx, modelId))
  ) {
    const d = findDeployment(ctx, modelId);
    if (!d)
      throw new BedrockError(
        'ResourceNotFoundException',
        `Could not find custom model deployment ${modelId}`,
      );
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
  const spec = foundationModel(modelId);
  if (!spec) throw validation(`The provided model identifier is invalid. (${modelId})`);
  checkLifecycle(ctx, spec);
  return { spec, modelId };
}
