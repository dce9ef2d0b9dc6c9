import type { Conversation } from '../../dataset/conversation.ts';
import { TunekitError } from '../../errors.ts';
import { decodeArtifact, encodeArtifact, readArtifact } from './artifact.ts';
import { BASE_TEMPERATURE, baseCandidates } from './base-model.ts';
import { EmbeddingTable } from './embedding-table.ts';
import type {
  GenerateInput,
  GenerateOutput,
  TrainInput,
  TrainingEngine,
  TrainOutput,
} from './engine.port.ts';
import { features, type SparseVector } from './features.ts';
import { calibrateThreshold } from './gate.ts';
import { pick, shape } from './generator.ts';
import { planTraining } from './hyperparameters.ts';
import { addToMemory, baseMemory, type Example, type MemoryEntry, pairs, queryFeatures } from './memory.ts';
import { type LocalModel, similarities } from './model.ts';
import { createRng, fnv1a } from './prng.ts';
import { countTokens } from './tokenizer.ts';
import { runTraining } from './trainer.ts';

/**
 * The local training engine (implements TrainingEngine): a learned retrieval model. See
 * docs/local-model.md for what it is and is not.
 */

/** Width of the learned embedding space. */
const EMBEDDING_DIM = 64;
/** Softmax temperature of cosine scores in the contrastive loss. */
const SCORE_TEMPERATURE = 0.1;

function freshModel(seed: number): LocalModel {
  const memory = baseMemory();
  return {
    table: new EmbeddingTable(EMBEDDING_DIM, seed),
    memory,
    slots: memory.map(() => new Float64Array(EMBEDDING_DIM)),
    temperature: SCORE_TEMPERATURE,
    threshold: -1,
  };
}

const conversationTokens = (conversations: Conversation[]) =>
  conversations.reduce((n, c) => n + c.turns.reduce((m, t) => m + countTokens(t.text), 0), 0);

/** Validation pairs scored against memory plus their own answers (which are never trained on). */
function validationExamples(memory: MemoryEntry[], conversations: Conversation[]) {
  const extra: MemoryEntry[] = [];
  const index = new Map(memory.map((e, i) => [e.answer, i]));
  const examples: Example[] = [];
  for (const conversation of conversations) {
    for (const { context, answer } of pairs(conversation)) {
      let target = index.get(answer);
      if (target === undefined) {
        target = memory.length + extra.length;
        extra.push({ answer, prompts: [], source: 'train' });
        index.set(answer, target);
      }
      examples.push({ query: queryFeatures(context), target });
    }
  }
  return { examples, extra };
}

async function train(
  input: TrainInput,
  onStep?: Parameters<TrainingEngine['train']>[1],
  signal?: AbortSignal,
): Promise<TrainOutput> {
  const started = performance.now();
  const plan = planTraining(input.family, input.hyperparameters);
  const model = input.base ? readArtifact(input.base) : freshModel(input.seed);
  const examples = addToMemory(model.memory, input.training);
  if (examples.length === 0) {
    throw new TunekitError(
      'ENGINE.NO_EXAMPLES',
      'the training data has no user turn followed by an assistant turn',
      {
        hint: 'each training record needs at least one user message answered by an assistant message',
      },
    );
  }
  while (model.slots.length < model.memory.length) model.slots.push(new Float64Array(model.table.dim));
  // Replay the base model's own pairs, found in the memory itself (a model continued from an older
  // custom model keeps the base entries it was trained with).
  const replay: Example[] = model.memory.flatMap((entry, target) =>
    entry.source === 'base' ? entry.prompts.map((p) => ({ query: features(p), target })) : [],
  );
  const validation = validationExamples(model.memory, input.validation);
  const result = await runTraining({
    model,
    examples,
    replay,
    validation: validation.examples,
    validationEntries: validation.extra,
    plan,
    seed: input.seed,
    onStep,
    signal,
  });
  model.threshold = calibrateThreshold(model);
  const seconds = (performance.now() - started) / 1000;
  const epochsRun = result.trainingSteps.at(-1)?.epoch ?? 0;
  const trainedTokens = conversationTokens(input.training) * epochsRun;
  const artifact = encodeArtifact(model, input.family, {
    training: { records: input.training.length, epochs: epochsRun, steps: result.trainingSteps.length, plan },
  });
  return {
    artifact,
    trainingSteps: result.trainingSteps,
    validationSteps: result.validationSteps,
    finalTrainingLoss: result.trainingSteps.at(-1)?.loss ?? Number.NaN,
    finalValidationLoss: result.validationSteps.at(-1)?.loss,
    trainedTokens,
    tokensPerSecond: trainedTokens / Math.max(seconds, 1e-6),
  };
}

function chooseBase(query: SparseVector, input: GenerateInput, rng: ReturnType<typeof createRng>): string {
  const { texts, scores } = baseCandidates(query);
  return texts[pick(scores, BASE_TEMPERATURE, input.temperature, input.topP, rng)]!;
}

function generate(input: GenerateInput): GenerateOutput {
  const query = queryFeatures(input.messages);
  const promptText = input.messages.map((m) => m.text).join('\n');
  const rng = createRng(input.seed ?? fnv1a(promptText));
  let answer: string | undefined;
  if (input.artifact) {
    const model = decodeArtifact(input.artifact);
    const sims = similarities(model, query);
    const trained = sims.flatMap((s, j) => (model.memory[j]!.source === 'train' ? [{ s, j }] : []));
    let bestTrained = Number.NEGATIVE_INFINITY;
    for (const t of trained) bestTrained = Math.max(bestTrained, t.s);
    // The gate: prompts far from everything fine-tuned on keep the base model's behaviour.
    if (trained.length > 0 && bestTrained >= model.threshold) {
      const k = pick(
        trained.map((t) => t.s),
        model.temperature,
        input.temperature,
        input.topP,
        rng,
      );
      answer = model.memory[trained[k]!.j]!.answer;
    }
  }
  answer ??= chooseBase(query, input, rng);
  const shaped = shape(answer, input.maxTokens, input.stopSequences);
  return {
    text: shaped.text,
    inputTokens:
      countTokens(input.system ?? '') + input.messages.reduce((n, m) => n + countTokens(m.text), 0),
    outputTokens: shaped.outputTokens,
    stopReason: shaped.stopReason,
  };
}

export function createLocalEngine(): TrainingEngine {
  return { train, generate, countTokens };
}
