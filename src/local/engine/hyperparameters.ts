import { TunekitError } from '../../errors.ts';
import { CATALOG } from '../../models/catalog.ts';
import type { ModelSpec } from '../../models/schema.ts';

/**
 * Maps Bedrock hyperparameters onto the local model's own scale. Bedrock's values are tuned for
 * billion-parameter models (a learning rate of 1e-5 would barely move this model), so each value is
 * read relative to the family's default: the default gives the local model's well-tested setting, ten
 * times the default learns ten times as fast, and so on. docs/local-model.md has the table.
 */
export interface TrainingPlan {
  epochs: number;
  batchSize: number;
  /** Adam step size on the local scale. */
  learningRate: number;
  warmupSteps: number;
  earlyStopping?: { threshold: number; patience: number };
}

/** The local Adam learning rate that a family's default learning rate maps to. */
export const LOCAL_BASE_LR = 0.02;
/** Nova has no batch-size hyperparameter (Bedrock picks it); the local run uses this one. */
export const NOVA_LOCAL_BATCH = 8;
/** How far the relative learning rate may go either way, so extreme values stay trainable. */
const FACTOR_RANGE = [0.05, 10] as const;

type Family = ModelSpec['family'];

function defaults(family: Family): Record<string, number> {
  const spec = CATALOG.find((m) => m.family === family);
  if (!spec) throw new TunekitError('ENGINE.FAMILY', `no catalog model of family "${family}"`);
  return Object.fromEntries(spec.hyperparameters.map((h) => [h.name, h.default]));
}

function read(given: Record<string, string>, dflt: Record<string, number>, name: string): number {
  const raw = given[name];
  if (raw === undefined) {
    const value = dflt[name];
    if (value === undefined) throw new TunekitError('ENGINE.HYPERPARAMETER', `no default for ${name}`);
    return value;
  }
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value)) {
    throw new TunekitError('ENGINE.HYPERPARAMETER', `hyperparameter ${name}="${raw}" is not a number`, {
      hint: `send ${name} as a decimal string, e.g. "${dflt[name] ?? 1}"`,
    });
  }
  return value;
}

const clampFactor = (f: number) => Math.min(FACTOR_RANGE[1], Math.max(FACTOR_RANGE[0], f));

/**
 * Larger batches mean fewer, smoother steps; scaling the step size with sqrt(batch / 8) (the usual
 * rule for Adam) keeps the amount learned per epoch roughly independent of the batch size.
 */
const batchScale = (batch: number) => Math.sqrt(batch / NOVA_LOCAL_BATCH);

export function planTraining(family: Family, given: Record<string, string>): TrainingPlan {
  const d = defaults(family);
  const epochs = Math.max(1, Math.round(read(given, d, 'epochCount')));
  const batch = () => Math.max(1, Math.round(read(given, d, 'batchSize')));
  // `name` read relative to the family default, clamped, scaled for the batch; exactly 0 learns nothing.
  const rate = (name: string, batchSize: number) => {
    const factor = read(given, d, name) / d[name]!;
    return factor === 0 ? 0 : LOCAL_BASE_LR * clampFactor(factor) * batchScale(batchSize);
  };
  switch (family) {
    case 'nova':
    case 'nova-2':
      return {
        epochs,
        batchSize: NOVA_LOCAL_BATCH,
        learningRate: rate('learningRate', NOVA_LOCAL_BATCH),
        warmupSteps: Math.round(read(given, d, 'learningRateWarmupSteps')),
      };
    case 'claude-3': {
      const batchSize = batch();
      return {
        epochs,
        batchSize,
        learningRate: rate('learningRateMultiplier', batchSize),
        warmupSteps: 0,
        earlyStopping: {
          threshold: read(given, d, 'earlyStoppingThreshold'),
          patience: Math.max(1, Math.round(read(given, d, 'earlyStoppingPatience'))),
        },
      };
    }
    case 'llama-3.1':
    case 'llama-3.2':
    case 'titan-text': {
      const batchSize = batch();
      return {
        epochs,
        batchSize,
        learningRate: rate('learningRate', batchSize),
        warmupSteps:
          d.learningRateWarmupSteps === undefined ? 0 : Math.round(read(given, d, 'learningRateWarmupSteps')),
      };
    }
  }
}
