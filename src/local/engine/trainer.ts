import { SparseAdam } from './adam.ts';
import { CandidateSampler } from './candidates.ts';
import { backpropNormalize, dot } from './embedding-table.ts';
import type { OnStep, StepMetric } from './engine.port.ts';
import { EntryState } from './entry-state.ts';
import { FEATURE_DIM, type SparseVector, sparseDots } from './features.ts';
import type { TrainingPlan } from './hyperparameters.ts';
import { type Example, keyFeatures, type MemoryEntry } from './memory.ts';
import { type LocalModel, PRIOR_WEIGHT, priors } from './model.ts';
import { createRng, shuffledIndices } from './prng.ts';

/**
 * The optimisation loop: a contrastive softmax loss (each prompt against the answers in memory, its
 * own answer being the positive: all of them for a small memory, a sample for a large one, see
 * candidates.ts) minimised by mini-batch Adam with a linear warm-up. Gradients reach
 * the embedding rows of the prompt's features (the prompt encoder) and the slot vectors of the
 * entries (the answer side is a frozen projection plus a slot, see entry-state.ts). Each step also
 * replays a few of the base model's own question/answer pairs (weighted 0.5, not in the reported
 * loss) so the base model's knowledge stays separable from the new domain.
 */
export interface FitInput {
  model: LocalModel;
  examples: Example[];
  replay: Example[];
  /** Held-out examples; targets index memory, then `validationEntries` (answers not trained on). */
  validation: Example[];
  validationEntries: MemoryEntry[];
  plan: TrainingPlan;
  seed: number;
  onStep?: OnStep;
  signal?: AbortSignal;
  /** Memories up to this many entries are scored in full (default EXACT_MAX_ENTRIES). */
  exactMaxEntries?: number;
}

export interface FitResult {
  trainingSteps: StepMetric[];
  validationSteps: StepMetric[];
}

const REPLAY_WEIGHT = 0.5;
/** Yield to the event loop this often so the local server keeps answering while a job trains. */
const YIELD_EVERY_MS = 20;

interface StepGrads {
  rows: Map<number, Float64Array>;
  slots: Map<number, Float64Array>;
}

function addScaled(target: Map<number, Float64Array>, key: number, x: Float64Array, s: number): void {
  let g = target.get(key);
  if (!g) {
    g = new Float64Array(x.length);
    target.set(key, g);
  }
  for (let k = 0; k < x.length; k++) g[k]! += s * x[k]!;
}

/** The lexical priors of a prompt for the candidate entries, in candidate order. */
type Prior = (example: Example, candidates: number[]) => ArrayLike<number>;

/**
 * Cross-entropy of each example against the candidate entries (the whole memory, or a sample that
 * always holds the example's own answer); accumulates gradients when `grads` is given.
 */
function forwardBackward(
  model: LocalModel,
  entries: EntryState,
  prior: Prior,
  batch: { example: Example; weight: number }[],
  candidates: number[],
  grads?: StepGrads,
): number[] {
  const { table, temperature: T } = model;
  const dim = table.dim;
  const losses: number[] = [];
  // d(loss)/d(entry vector), one row per candidate, summed over the batch: normalising back to the
  // slot is linear, so it is done once per candidate rather than once per (prompt, candidate).
  const dv = grads ? new Float64Array(candidates.length * dim) : undefined;
  const touched = grads ? new Uint8Array(candidates.length) : undefined;
  for (const { example, weight } of batch) {
    const q = table.encode(example.query);
    const p = prior(example, candidates);
    const logits = candidates.map((j, c) => (p[c]! + dot(q.u, entries.u[j]!)) / T);
    let max = Number.NEGATIVE_INFINITY;
    for (const l of logits) max = Math.max(max, l);
    const exps = logits.map((l) => Math.exp(l - max));
    const sum = exps.reduce((a, b) => a + b, 0);
    const own = candidates.indexOf(example.target);
    losses.push(-(logits[own]! - max - Math.log(sum)));
    if (!grads || !dv || !touched) continue;
    const du = new Float64Array(dim);
    for (let c = 0; c < exps.length; c++) {
      const dl = ((exps[c]! / sum - (c === own ? 1 : 0)) * weight) / T;
      if (Math.abs(dl) < 1e-7 / T) continue;
      const v = entries.u[candidates[c]!]!;
      const at = c * dim;
      for (let k = 0; k < dim; k++) {
        du[k]! += dl * v[k]!;
        dv[at + k]! += dl * q.u[k]!;
      }
      touched[c] = 1;
    }
    const dz = backpropNormalize(q, du);
    for (let i = 0; i < example.query.idx.length; i++) {
      addScaled(grads.rows, example.query.idx[i]!, dz, example.query.val[i]!);
    }
  }
  if (grads && dv && touched) {
    for (let c = 0; c < candidates.length; c++) {
      if (!touched[c]) continue;
      const j = candidates[c]!;
      // Through v = z/|z| to the slot (z = E^T key + slot).
      const dSlot = backpropNormalize(
        { u: entries.u[j]!, norm: entries.norm[j]! },
        dv.subarray(c * dim, (c + 1) * dim),
      );
      addScaled(grads.slots, j, dSlot, 1);
    }
  }
  return losses;
}

/**
 * The prior of every entry for a prompt when the memory is scored in full (then constant over the
 * run, so cached per example), of the sampled candidates otherwise.
 */
function priorFunction(keys: SparseVector[], exact: boolean): Prior {
  if (!exact) {
    const scratch = new Float64Array(FEATURE_DIM);
    return (example, candidates) =>
      sparseDots(example.query, keys, candidates, scratch).map((d) => PRIOR_WEIGHT * d);
  }
  const cache = new Map<Example, number[]>();
  return (example) => {
    let p = cache.get(example);
    if (!p) {
      p = priors(keys, example.query);
      cache.set(example, p);
    }
    return p;
  };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

function abortError(signal: AbortSignal): Error {
  if (signal.reason instanceof Error) return signal.reason;
  const error = new Error('training stopped');
  error.name = 'AbortError';
  return error;
}

/** Applies one Adam step and folds the parameter changes into the entry embeddings. */
function applyStep(model: LocalModel, entries: EntryState, grads: StepGrads, adam: Adams, lr: number): void {
  adam.rows.begin();
  adam.slots.begin();
  const dirty = new Set<number>();
  for (const [row, g] of grads.rows) adam.rows.update(row, model.table.mutableRow(row), g, lr);
  for (const [j, g] of grads.slots) {
    const param = model.slots[j]!;
    const before = Float64Array.from(param);
    adam.slots.update(j, param, g, lr);
    for (let k = 0; k < before.length; k++) before[k] = param[k]! - before[k]!;
    entries.slotChanged(j, before, dirty);
  }
  for (const j of dirty) entries.renormalize(j);
}

interface Adams {
  rows: SparseAdam;
  slots: SparseAdam;
}

export async function runTraining(input: FitInput): Promise<FitResult> {
  const { model, examples, replay, validation, plan, signal } = input;
  const rng = createRng(input.seed ^ 0x5eed);
  const adam: Adams = { rows: new SparseAdam(), slots: new SparseAdam() };
  const keys = model.memory.map(keyFeatures);
  const entries = new EntryState(model.table, keys, model.slots);
  const sampler = new CandidateSampler(keys, input.exactMaxEntries);
  // A separate stream for the negatives, so a memory scored in full shuffles exactly as before sampling existed.
  const negatives = createRng(input.seed ^ 0x4e6);
  const prior = priorFunction(keys, sampler.exact);
  const trainingSteps: StepMetric[] = [];
  const validationSteps: StepMetric[] = [];
  const replayPerStep = replay.length > 0 ? Math.max(1, Math.round(plan.batchSize / 2)) : 0;
  const stepsPerEpoch = Math.ceil(examples.length / plan.batchSize);
  let step = 0;
  let best = Number.POSITIVE_INFINITY;
  let badEpochs = 0;
  let lastYield = Date.now();

  for (let epoch = 1; epoch <= plan.epochs; epoch++) {
    const order = shuffledIndices(examples.length, rng);
    for (let start = 0; start < order.length; start += plan.batchSize) {
      if (signal?.aborted) throw abortError(signal);
      step++;
      const own = order.slice(start, start + plan.batchSize).map((i) => examples[i]!);
      const batch = own.map((example) => ({ example, weight: 1 / own.length }));
      for (let r = 0; r < replayPerStep; r++) {
        const example = replay[Math.floor(rng.next() * replay.length)]!;
        batch.push({ example, weight: REPLAY_WEIGHT / own.length });
      }
      const candidates = sampler.draw(
        own.map((e) => e.query),
        batch.map((b) => b.example.target),
        negatives,
      );
      const grads: StepGrads = { rows: new Map(), slots: new Map() };
      const losses = forwardBackward(model, entries, prior, batch, candidates, grads);
      const lr = plan.learningRate * (plan.warmupSteps > 0 ? Math.min(1, step / plan.warmupSteps) : 1);
      applyStep(model, entries, grads, adam, lr);
      const loss = mean(losses.slice(0, own.length));
      const metric = { step, epoch, loss, perplexity: Math.exp(loss) };
      trainingSteps.push(metric);
      input.onStep?.(metric, { totalSteps: stepsPerEpoch * plan.epochs, stepsPerEpoch, epochs: plan.epochs });
      if (Date.now() - lastYield >= YIELD_EVERY_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        lastYield = Date.now();
      }
    }
    if (validation.length > 0) {
      const loss = validationLoss(model, validation, input.validationEntries, input);
      validationSteps.push({ step, epoch, loss, perplexity: Math.exp(loss) });
      // Claude's early stopping: stop after `patience` epochs that improved by less than `threshold`.
      if (plan.earlyStopping) {
        badEpochs = best - loss < plan.earlyStopping.threshold ? badEpochs + 1 : 0;
        best = Math.min(best, loss);
        if (badEpochs >= plan.earlyStopping.patience) break;
      }
    }
  }
  return { trainingSteps, validationSteps };
}

/**
 * Loss on held-out prompts, scored against memory plus their own (never trained) answers: in full for
 * a small memory, otherwise against each prompt's own sample, drawn the same way every epoch so the
 * epochs' losses compare.
 */
function validationLoss(
  model: LocalModel,
  validation: Example[],
  extra: MemoryEntry[],
  input: Pick<FitInput, 'seed' | 'exactMaxEntries'>,
): number {
  const keys = [...model.memory, ...extra].map(keyFeatures);
  const slots = [...model.slots, ...extra.map(() => new Float64Array(model.table.dim))];
  const entries = new EntryState(model.table, keys, slots);
  const sampler = new CandidateSampler(keys, input.exactMaxEntries);
  const prior = priorFunction(keys, sampler.exact);
  const rng = createRng(input.seed ^ 0x7a11d);
  const losses = validation.map(
    (example) =>
      forwardBackward(
        model,
        entries,
        prior,
        [{ example, weight: 1 }],
        sampler.draw([example.query], [example.target], rng),
      )[0]!,
  );
  return mean(losses);
}
