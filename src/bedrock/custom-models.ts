import {
  DeleteCustomModelCommand,
  ListCustomModelsCommand,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-bedrock';
import type { BedrockSender } from './find-billable.ts';
import { bedrockName } from './names.ts';
import { tunekitProject } from './tags.ts';

/**
 * Custom models: the product of paid training, billed monthly for storage while they exist
 * (bedrock-facts.md §5). Found by the `tunekit:project` tag, or — for models made before tunekit tagged
 * them — by the exact names tunekit gives them.
 */

export interface ProjectCustomModel {
  arn: string;
  name: string;
  createdAt?: Date;
  /** How it was recognised: its tag, or only its name (an untagged model from an older tunekit). */
  foundBy: 'tag' | 'name';
}

/**
 * The names tunekit gives custom models: the pipeline's `<project>-<12 hex>` (src/bedrock/names.ts
 * executionJobNames) and `tunekit train`'s `<project>-<yyyymmdd>-<hhmmss>-<8 hex>` (src/ops/train.ts).
 */
export const customModelNamePattern = (project: string) =>
  new RegExp(`^${bedrockName(project)}-(?:[0-9a-f]{12}|\\d{8}-\\d{6}-[0-9a-f]{8})$`);

export async function findProjectCustomModels(
  bedrock: BedrockSender,
  project: string,
  options: { exclude?: (tags: { key?: string; value?: string }[]) => boolean } = {},
): Promise<ProjectCustomModel[]> {
  const byName = customModelNamePattern(project);
  const out: ProjectCustomModel[] = [];
  let nextToken: string | undefined;
  do {
    const page = await bedrock.send(new ListCustomModelsCommand({ nextToken, maxResults: 100 }));
    for (const m of page.modelSummaries ?? []) {
      if (!m.modelArn) continue;
      const { tags = [] } = await bedrock.send(new ListTagsForResourceCommand({ resourceARN: m.modelArn }));
      if (options.exclude?.(tags)) continue;
      const tagged = tunekitProject(tags);
      // A model tagged for another project is that project's, whatever its name says.
      const foundBy =
        tagged === project
          ? 'tag'
          : tagged === undefined && byName.test(m.modelName ?? '')
            ? 'name'
            : undefined;
      if (!foundBy) continue;
      out.push({
        arn: m.modelArn,
        name: m.modelName ?? m.modelArn,
        ...(m.creationTime ? { createdAt: m.creationTime } : {}),
        foundBy,
      });
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return out;
}

/** Deletes a custom model; `gone` when it no longer existed (a second attempt is not a failure). */
export async function deleteCustomModel(bedrock: BedrockSender, arn: string): Promise<'deleted' | 'gone'> {
  try {
    await bedrock.send(new DeleteCustomModelCommand({ modelIdentifier: arn }));
    return 'deleted';
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') return 'gone';
    throw error;
  }
}
