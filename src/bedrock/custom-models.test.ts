import {
  DeleteCustomModelCommand,
  ListCustomModelsCommand,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-bedrock';
import { describe, expect, it } from 'vitest';
import { deleteCustomModel, findProjectCustomModels } from './custom-models.ts';

/** Bedrock's ListCustomModels / ListTagsForResource / DeleteCustomModel over a fixed set of models. */
function bedrockWith(models: { name: string; tags?: { key: string; value: string }[] }[]) {
  const arn = (name: string) => `arn:aws:bedrock:us-east-1:111122223333:custom-model/${name}`;
  const deleted: string[] = [];
  return {
    deleted,
    send: async (command: object) => {
      if (command instanceof ListCustomModelsCommand)
        return { modelSummaries: models.map((m) => ({ modelArn: arn(m.name), modelName: m.name })) };
      if (command instanceof ListTagsForResourceCommand)
        return { tags: models.find((m) => arn(m.name) === command.input.resourceARN)?.tags ?? [] };
      if (command instanceof DeleteCustomModelCommand) {
        const id = command.input.modelIdentifier!;
        if (deleted.includes(id))
          throw Object.assign(new Error('gone'), { name: 'ResourceNotFoundException' });
        deleted.push(id);
        return {};
      }
      throw new Error(`unexpected ${command.constructor.name}`);
    },
  };
}

describe('findProjectCustomModels', () => {
  it('finds tagged models and untagged ones named as tunekit names them, and nothing else', async () => {
    const bedrock = bedrockWith([
      { name: 'anything', tags: [{ key: 'tunekit:project', value: 'bank' }] },
      { name: 'bank-0123456789ab' }, // the pipeline's name, from before models were tagged
      { name: 'bank-20260101-120000-89abcdef' }, // `tunekit train`'s name
      { name: 'bank-0123456789ab-copy' },
      { name: 'bank-team-model' },
      { name: 'bankx-0123456789ab' },
      { name: 'bank-fedcba987654', tags: [{ key: 'tunekit:project', value: 'other' }] },
    ]);
    const found = await findProjectCustomModels(bedrock, 'bank');
    expect(found.map((m) => `${m.name}:${m.foundBy}`)).toEqual([
      'anything:tag',
      'bank-0123456789ab:name',
      'bank-20260101-120000-89abcdef:name',
    ]);
  });

  it('deleteCustomModel reports a model that is already gone instead of failing', async () => {
    const bedrock = bedrockWith([{ name: 'bank-0123456789ab' }]);
    const arn = 'arn:aws:bedrock:us-east-1:111122223333:custom-model/bank-0123456789ab';
    expect(await deleteCustomModel(bedrock, arn)).toBe('deleted');
    expect(await deleteCustomModel(bedrock, arn)).toBe('gone');
  });
});
