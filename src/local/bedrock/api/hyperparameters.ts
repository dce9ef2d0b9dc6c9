import type { ModelSpec } from '../../../models/schema.ts';
import { validation } from '../errors.ts';

/**
 * hyperParameters is a map of strings; each must be a hyperparameter the base model has, of its type, in its
 * range (bedrock-facts §3.2). Bedrock rejects the create call otherwise, so this is a ValidationException.
 */
export function checkHyperparameters(model: ModelSpec, value: unknown): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value))
    throw validation('hyperParameters must be a map of strings');
  const result: Record<string, string> = {};
  for (const [name, raw] of Object.entries(value as Record<string, unknown>)) {
    const spec = model.hyperparameters.find((h) => h.name === name);
    if (!spec)
      throw validation(
        `Hyperparameter ${name} is not supported for ${model.id}. Supported hyperparameters: ${model.hyperparameters.map((h) => h.name).join(', ')}.`,
      );
    if (typeof raw !== 'string')
      throw validation(`The value of hyperparameter ${name} must be a string, e.g. "${spec.default}".`);
    const n = Number(raw);
    const range = `between ${spec.min} and ${spec.max}`;
    if (raw.trim() === '' || !Number.isFinite(n) || (spec.type === 'int' && !Number.isInteger(n)))
      throw validation(
        `The value '${raw}' of hyperparameter ${name} must be ${spec.type === 'int' ? 'an integer' : 'a number'} ${range}.`,
      );
    if (n < spec.min || n > spec.max)
      throw validation(
        `The value '${raw}' of hyperparameter ${name} is out of range: it must be ${range} for ${model.id}.`,
      );
    result[name] = raw;
  }
  return result;
}
