import { UsageError } from '../errors.ts';
import type { Method } from '../models/methods.ts';
import type { ModelSpec } from '../models/schema.ts';

/**
 * `--hp key=value` parsing and range checking against the catalog, before anything reaches AWS: a job that
 * Bedrock rejects after upload and validation wastes a minute; one that trains with a typo wastes money.
 */
export function parseHpFlags(flags: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const flag of flags) {
    const m = /^([A-Za-z][A-Za-z0-9]*)=(.+)$/.exec(flag.trim());
    if (!m) throw new UsageError(`--hp "${flag}" is not key=value`, 'e.g. --hp epochCount=3');
    out[m[1]!] = m[2]!.trim();
  }
  return out;
}

/** Catalog defaults < config `hyperparameters` < `--hp`; every value checked against the model's ranges. */
export function resolveHyperparameters(
  model: ModelSpec,
  fromConfig: Record<string, string | number>,
  fromFlags: Record<string, string>,
): Record<string, string> {
  const specs = new Map(model.hyperparameters.map((s) => [s.name, s]));
  const merged: Record<string, string> = {};
  for (const s of model.hyperparameters) merged[s.name] = String(s.default);
  const sources: [string, Record<string, string | number>][] = [
    ['tunekit.config.json "hyperparameters"', fromConfig],
    ['--hp', fromFlags],
  ];
  for (const [where, values] of sources) {
    for (const [name, raw] of Object.entries(values)) {
      const spec = specs.get(name);
      if (!spec) {
        throw new UsageError(
          `${where}: ${model.name} has no hyperparameter "${name}"`,
          `valid names: ${[...specs.keys()].join(', ')}`,
        );
      }
      const value = Number(raw);
      const range = `${spec.min}..${spec.max}`;
      if (!Number.isFinite(value) || (spec.type === 'int' && !Number.isInteger(value))) {
        throw new UsageError(
          `${where}: ${name}=${raw} is not ${spec.type === 'int' ? 'an integer' : 'a number'}`,
          `${name}: ${spec.description} (${range}, default ${spec.default})`,
        );
      }
      if (value < spec.min || value > spec.max) {
        throw new UsageError(
          `${where}: ${name}=${raw} is outside ${model.name}'s range ${range}`,
          `${name}: ${spec.description} (default ${spec.default})`,
        );
      }
      merged[name] = String(raw);
    }
  }
  return merged;
}

/**
 * The top-level `hyperParameters` of the job for a method. They are fine-tuning's: reinforcement
 * fine-tuning takes its own typed ones in rftConfig.hyperParameters (botocore RFTConfig), and distillation
 * has none in the API (DistillationConfig holds only the teacher), so setting them there is a mistake.
 */
export function hyperparametersFor(
  method: Method,
  model: ModelSpec,
  fromConfig: Record<string, string | number>,
  fromFlags: Record<string, string>,
): Record<string, string> {
  if (method === 'fine-tuning') return resolveHyperparameters(model, fromConfig, fromFlags);
  const given = [...Object.keys(fromConfig), ...Object.keys(fromFlags)];
  if (given.length > 0) {
    throw new UsageError(
      `hyperparameters ${given.join(', ')} (tunekit.config.json "hyperparameters" or --hp) apply to fine-tuning, not ${method}`,
      method === 'reinforcement'
        ? 'set them under customization.reinforcement.hyperparameters (epochCount, batchSize, learningRate, ...) and remove the top-level ones'
        : 'distillation takes no hyperparameters: remove them (customization.distillation sets the teacher)',
    );
  }
  return {};
}
