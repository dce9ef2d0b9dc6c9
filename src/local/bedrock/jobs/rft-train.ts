import type { Conversation } from '../../../dataset/conversation.ts';
import type { ModelArtifact, OnStep, TrainingEngine } from '../../engine/engine.port.ts';
import { createRng, fnv1a, mixSeed, shuffledIndices } from '../../engine/prng.ts';
import type { RftHyperParameters } from '../api/customization-config.ts';
import { type GraderRef, type GraderSample, grade, loadGrader } from './grader-runtime.ts';
import type { RftRecord } from './rft-records.ts';

/**
 * Reinforcement fine-tuning on the local engine. Each step takes a batch of prompts, samples
 * `trainingSamplePerPrompt` answers per prompt from the current model, has the grader score every answer,
 * and moves the model towards the answers that scored above their prompt's mean (a positive group-relative
 * advantage, as GRPO uses; the update itself is a fine-tuning step on those answers — reward-ranked
 * fine-tuning, since the local engine learns by fine-tuning). The next step samples from the updated model,
 * so the reward of what it produces rises as it learns. Each step's reward (mean, min, max over the sampled
 * answers) goes to the metrics file.
 */

/** Local defaults where the request leaves a hyperparameter out (Bedrock's own defaults are UNCONFIRMED). */
const RFT_LOCAL_DEFAULTS = {
  epochCount: 2,
  batchSize: 16,
  trainingSamplePerPrompt: 4,
  inferenceMaxTokens: 1024,
  evalInterval: 5,
} as const;

/**
 * Sampling temperature of the rollouts. The local base model's scores are sharp (divided by 0.05 before
 * the softmax), so at 1 nearly every sample is the same answer and there is little to compare; 2 gives the
 * spread of answers RL needs. Bedrock's rollout temperature is not published (UNCONFIRMED).
 */
const ROLLOUT_TEMPERATURE = 2;

export interface RftStep {
  step: number;
  epoch: number;
  /** loss of the fine-tuning update at this step (0 when no answer had a positive advantage: no update) */
  loss: number;
  rewardMean: number;
  rewardMin: number;
  rewardMax: number;
}

/** The validation reward: greedy answers to the validation prompts, scored by the grader. */
export interface RftValidation {
  step: number;
  epoch: number;
  rewardMean: number;
}

export interface RftOutput {
  artifact: ModelArtifact;
  steps: RftStep[];
  validation: RftValidation[];
  trainedTokens: number;
}

export class RftFailure extends Error {}

export async function trainRft(
  engine: TrainingEngine,
  input: {
    family: ModelArtifact['family'];
    records: RftRecord[];
    /** validation prompts: scored before training, every evalInterval steps and at the end */
    validation?: RftRecord[];
    grader: GraderRef;
    hyperParameters: RftHyperParameters;
    seed: number;
  },
  onStep: OnStep,
  signal: AbortSignal,
): Promise<RftOutput> {
  const hp = { ...RFT_LOCAL_DEFAULTS, ...input.hyperParameters };
  const handler = await loadGrader(input.grader);
  const { records } = input;
  const batchSize = Math.min(hp.batchSize, records.length);
  const stepsPerEpoch = Math.ceil(records.length / batchSize);
  const plan = { totalSteps: stepsPerEpoch * hp.epochCount, stepsPerEpoch, epochs: hp.epochCount };
  // The RFT learning rate scales the update the way fine-tuning's does (relative to the family default).
  const trainHyperparameters: Record<string, string> = { epochCount: '1' };
  if (input.hyperParameters.learningRate !== undefined)
    trainHyperparameters.learningRate = String(input.hyperParameters.learningRate);
  const rng = createRng(input.seed);
  let artifact: ModelArtifact | undefined;
  let trainedTokens = 0;
  const steps: RftStep[] = [];
  const validation: RftValidation[] = [];
  const validate = async (epoch: number) => {
    const prompts = input.validation ?? [];
    if (prompts.length === 0 || validation.at(-1)?.step === steps.length) return;
    const samples: GraderSample[] = prompts.map((record) => ({
      id: `${record.id}_validation`,
      messages: [
        ...record.messages,
        {
          role: 'assistant',
          content: engine.generate({
            artifact,
            family: input.family,
            system: record.prompt.system,
            messages: record.prompt.turns,
            maxTokens: hp.inferenceMaxTokens,
            temperature: 0,
            topP: 1,
            stopSequences: [],
          }).text,
        },
      ],
      metadata: record.metadata,
    }));
    const scores = (await grade(input.grader, handler, samples)).map((x) => x.aggregate_reward_score);
    validation.push({
      step: steps.length,
      epoch,
      rewardMean: scores.reduce((a, c) => a + c, 0) / scores.length,
    });
  };
  await validate(0);
  const preferred = new Map<string, { reward: number; conversation: Conversation }>();
  for (let epoch = 1; epoch <= hp.epochCount; epoch++) {
    const order = shuffledIndices(records.length, rng);
    for (let start = 0; start < order.length; start += batchSize) {
      if (signal.aborted) break;
      const batch = order.slice(start, start + batchSize).map((i) => records[i]!);
      const samples: GraderSample[] = [];
      const answers: string[][] = [];
      for (const record of batch) {
        const group: string[] = [];
        for (let k = 0; k < hp.trainingSamplePerPrompt; k++) {
          const out = engine.generate({
            artifact,
            family: input.family,
            system: record.prompt.system,
            messages: record.prompt.turns,
            maxTokens: hp.inferenceMaxTokens,
            temperature: ROLLOUT_TEMPERATURE,
            topP: 1,
            stopSequences: [],
            seed: mixSeed(input.seed, fnv1a(record.id), steps.length, k),
          });
          group.push(out.text);
          samples.push({
            id: `${record.id}_${k}`,
            messages: [...record.messages, { role: 'assistant', content: out.text }],
            metadata: record.metadata,
          });
        }
        answers.push(group);
      }
      const scores = (await grade(input.grader, handler, samples)).map((s) => s.aggregate_reward_score);
      // Keep, per prompt, the best answer that beat its group's mean so far: every update trains on all
      // of them, so what earlier steps learned is not forgotten while new prompts are learned.
      batch.forEach((record, b) => {
        const group = scores.slice(b * hp.trainingSamplePerPrompt, (b + 1) * hp.trainingSamplePerPrompt);
        const mean = group.reduce((a, c) => a + c, 0) / group.length;
        const best = group.indexOf(Math.max(...group));
        const kept = preferred.get(record.id);
        if (group[best]! > mean && (!kept || group[best]! >= kept.reward))
          preferred.set(record.id, {
            reward: group[best]!,
            conversation: {
              ...record.prompt,
              turns: [...record.prompt.turns, { role: 'assistant', text: answers[b]![best]! }],
            },
          });
      });
      const chosen = [...preferred.values()].map((p) => p.conversation);
      let loss = 0;
      if (chosen.length > 0) {
        const out = await engine.train(
          {
            family: input.family,
            hyperparameters: trainHyperparameters,
            training: chosen,
            validation: [],
            seed: mixSeed(input.seed, steps.length),
            base: artifact,
          },
          undefined,
          signal,
        );
        artifact = out.artifact;
        loss = out.finalTrainingLoss;
        trainedTokens += out.trainedTokens;
      }
      const step: RftStep = {
        step: steps.length + 1,
        epoch,
        loss,
        rewardMean: scores.reduce((a, c) => a + c, 0) / scores.length,
        rewardMin: Math.min(...scores),
        rewardMax: Math.max(...scores),
      };
      steps.push(step);
      onStep({ step: step.step, epoch, loss, perplexity: Math.exp(loss), reward: step.rewardMean }, plan);
      if (step.step % hp.evalInterval === 0) await validate(epoch);
    }
  }
  await validate(hp.epochCount);
  if (!artifact)
    throw new RftFailure(
      `The grader "${input.grader.name}" gave every sampled answer of every prompt the same reward, so there was nothing to learn. ` +
        'Check that it scores better answers higher (run its test: node --test graders/), or raise trainingSamplePerPrompt.',
    );
  return { artifact, steps, validation, trainedTokens };
}

/** step_wise_training_metrics.csv for an RFT job: the fine-tuning columns plus the reward per step (UNCONFIRMED columns). */
export function rftMetricsCsv(steps: RftStep[]): string {
  const rows = steps.map(
    (s) => `${s.step},${s.epoch},${s.loss},${Math.exp(s.loss)},${s.rewardMean},${s.rewardMin},${s.rewardMax}`,
  );
  return `step_number,epoch_number,training_loss,perplexity,reward_mean,reward_min,reward_max\n${rows.join('\n')}${rows.length ? '\n' : ''}`;
}

/** validation_metrics.csv of an RFT job: the validation reward at step 0 and every evalInterval steps (UNCONFIRMED columns). */
export function rftValidationCsv(points: RftValidation[]): string {
  const rows = points.map((p) => `${p.step},${p.epoch},${p.rewardMean}`);
  return `step_number,epoch_number,reward_mean\n${rows.join('\n')}${rows.length ? '\n' : ''}`;
}
