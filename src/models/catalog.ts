import { TunekitError } from '../errors.ts';
import { CATALOG } from './catalog-data.ts';
import type { ModelSpec } from './schema.ts';

export { CATALOG };
export const DEFAULT_BASE_MODEL = 'amazon.nova-micro-v1:0:128k';

/**
 * Finds a catalog row by customization id, invoke id, alias, or a foundation-model ARN
 * (`arn:aws:bedrock:<region>::foundation-model/<id>`). Returns undefined when unknown.
 */
export function findModel(identifier: string): ModelSpec | undefined {
  const id = identifier.includes(':foundation-model/')
    ? identifier.split(':foundation-model/')[1]!
    : identifier;
  return CATALOG.find((m) => m.id === id || m.invokeId === id || m.aliases.includes(id));
}

/** Like findModel, but an unknown id is a user error that lists the known ones. */
export function getModel(identifier: string): ModelSpec {
  const model = findModel(identifier);
  if (model) return model;
  throw new TunekitError('MODEL.UNKNOWN', `unknown base model "${identifier}"`, {
    hint: `use one of: ${CATALOG.map((m) => m.id).join(', ')} (see \`tunekit models\`)`,
  });
}
