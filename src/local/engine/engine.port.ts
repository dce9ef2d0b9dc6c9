import type { Conversation, Turn } from '../../dataset/conversation.ts';
import type { ModelSpec } from '../../models/schema.ts';

/**
 * The contract between the local Bedrock (control plane + runtime) and the training engine.
 * The engine is pure computation: no HTTP, no S3, no files. The control plane feeds it parsed records,
 * persists the artifact it returns, and hands the artifact back for generation.
 */

/** JSON-serialisable model state. `undefined` wherever an artifact is optional means "the base model". */
export interface ModelArtifact {
  format: 'tunekit-local-model';
  version: number;
  family: ModelSpec['family'];
  /** Engine-owned payload (parameters, vocabulary, memory); opaque to callers. */
  [key: string]: unknown;
}

export interface TrainInput {
  family: ModelSpec['family'];
  /** As sent to CreateModelCustomizationJob (string values), already range-checked by the control plane. */
  hyperparameters: Record<string, string>;
  training: Conversation[];
  validation: Conversation[];
  seed: number;
  /** Continue training from a custom model (baseModelIdentifier = custom model ARN). */
  base?: ModelArtifact;
}

/** One row of Bedrock's step_wise_training_metrics.csv / validation_metrics.csv. */
export interface StepMetric {
  step: number;
  epoch: number;
  loss: number;
  perplexity: number;
  /** reinforcement fine-tuning: the mean grader reward of the step's samples */
  reward?: number;
}

/** How many steps the run will take (for progress and an ETA); early stopping may end it sooner. */
export interface StepPlan {
  totalSteps: number;
  stepsPerEpoch: number;
  epochs: number;
}

/** Called after every training step. */
export type OnStep = (metric: StepMetric, plan?: StepPlan) => void;

export interface TrainOutput {
  artifact: ModelArtifact;
  trainingSteps: StepMetric[];
  validationSteps: StepMetric[];
  finalTrainingLoss: number;
  finalValidationLoss: number | undefined;
  trainedTokens: number;
  tokensPerSecond: number;
}

export interface GenerateInput {
  artifact?: ModelArtifact;
  family: ModelSpec['family'];
  system?: string;
  messages: Turn[];
  maxTokens: number;
  temperature: number;
  topP: number;
  stopSequences: string[];
  seed?: number;
}

export interface GenerateOutput {
  text: string;
  inputTokens: number;
  outputTokens: number;
  stopReason: 'end_turn' | 'max_tokens' | 'stop_sequence';
}

export interface TrainingEngine {
  /** Trains; reports each step; honours the abort signal (StopModelCustomizationJob) between steps. */
  train(input: TrainInput, onStep?: OnStep, signal?: AbortSignal): Promise<TrainOutput>;
  generate(input: GenerateInput): GenerateOutput;
  /** Token count as the engine's tokenizer sees it (usage figures in runtime responses). */
  countTokens(text: string): number;
}
