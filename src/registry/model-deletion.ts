import { TunekitError } from '../errors.ts';
import type { RegistryContext } from './context.ts';
import { updateIndex } from './index-store.ts';

/**
 * Records that a version's custom model was deleted (by the rejected-model retention, src/pipeline/
 * rejected-models.ts). The version's record and scores stay; `registry list/show` say the model is gone.
 * A version an alias names (or ever in production) is refused: those models are never deleted.
 */
export async function recordModelDeleted(
  ctx: RegistryContext,
  version: string,
  options: { reason: string; at?: Date },
): Promise<boolean> {
  const at = (options.at ?? new Date()).toISOString();
  const outcome = await updateIndex(ctx, (index) => {
    const entry = index.versions.find((v) => v.version === version);
    if (!entry)
      throw new TunekitError('REGISTRY.UNKNOWN_VERSION', `version ${version} does not exist`, {
        hint: 'tunekit registry list shows the versions',
      });
    if (Object.values(index.aliases).includes(version) || index.productionStack.includes(version))
      throw new TunekitError(
        'REGISTRY.MODEL_IN_USE',
        `${version} is or was in production; its custom model is never deleted by tunekit`,
        { hint: 'delete it yourself (aws bedrock delete-custom-model) if you are sure' },
      );
    if (entry.customModelDeletedAt) return { unchanged: false };
    return {
      index: {
        ...index,
        versions: index.versions.map((v) => (v.version === version ? { ...v, customModelDeletedAt: at } : v)),
      },
      event: { action: 'delete-model', version, reason: options.reason },
      result: true,
    };
  });
  return outcome.result === true;
}
