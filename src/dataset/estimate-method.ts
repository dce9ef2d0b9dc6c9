import { UsageError } from '../errors.ts';
import { PRICING_PAGE } from '../models/catalog-data.ts';
import type { Method } from '../models/methods.ts';
import type { Price } from '../models/schema.ts';
import { findTeacher, TEACHERS } from '../models/teachers.ts';
import {
  type CostEstimate,
  type CostItem,
  estimateCost,
  knownTotal,
  times,
  type UserPrices,
} from './estimate.ts';
import type { DatasetInput } from './schema.ts';

/**
 * Prices each customization method on a dataset, from the catalog's sourced prices only.
 *
 * Distillation = the teacher answering every prompt at its on-demand rate, plus the student's training on
 * the result. Bedrock "generates responses from the teacher model for the given prompts, and then uses
 * the responses to fine-tune the student model"
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/model-distillation.html); that the generation is
 * billed at the teacher's on-demand token prices is said by third parties
 * (https://www.cloudroutehq.com/aws-ai/amazon-bedrock-model-distillation), not on a page of AWS's we could
 * read: UNCONFIRMED. The teacher's answer length is not known before the job: tunekit assumes every answer
 * is `maxResponseLengthForInference` tokens long — an upper bound per answer, as Bedrock caps answers at
 * it — and says so. Bedrock may generate more than one answer per prompt ("data synthesis techniques"):
 * UNCONFIRMED, not priced.
 *
 * Reinforcement: every prompt is answered `trainingSamplePerPrompt` times per epoch, each answer up to
 * `inferenceMaxTokens`, and each scored by your grader (a Lambda call on your bill). Bedrock's price for
 * reinforcement training is not in the catalog: shown as unknown, never guessed.
 */

export interface MethodOptions {
  method: Method;
  /** distillation: the teacher (id or alias). */
  teacherModel?: string | undefined;
  /** distillation: the assumed answer length per prompt (maxResponseLengthForInference). */
  maxResponseTokens?: number | undefined;
  /**
   * distillation from invocation logs with usePromptResponse: the records hold the teacher's logged
   * answers, so the teacher is not called and the student trains on the records as they are.
   */
  usePromptResponse?: boolean | undefined;
  /** reinforcement: rftConfig.hyperParameters that decide the volume (Bedrock's defaults are unknown). */
  rft?: {
    epochCount?: number | undefined;
    trainingSamplePerPrompt?: number | undefined;
    inferenceMaxTokens?: number | undefined;
  };
}

export interface TeacherCost {
  model: string;
  name: string;
  prompts: number;
  input: CostItem;
  output: CostItem;
  /** How the answer tokens were counted (the stated assumption). */
  assumption: string;
}

export interface ReinforcementVolume {
  prompts: number;
  epochs: number | null;
  samplesPerPrompt: number | null;
  maxTokensPerSample: number | null;
  /** prompts x epochs x samples x max tokens: an upper bound of generated tokens, null when a factor is unknown. */
  maxGeneratedTokens: number | null;
  training: CostItem;
  note: string;
}

export type MethodCostEstimate = CostEstimate & {
  method: Method;
  teacher?: TeacherCost;
  reinforcement?: ReinforcementVolume;
};

const fmt = (n: number) => n.toLocaleString('en-US');

export async function estimateMethodCost(
  input: DatasetInput,
  options: { model: string; epochs?: number; prices?: UserPrices } & MethodOptions,
): Promise<MethodCostEstimate> {
  if (options.method === 'fine-tuning')
    return { ...(await estimateCost(input, options)), method: 'fine-tuning' };
  if (options.epochs !== undefined)
    throw new UsageError(
      `--epochs prices fine-tuning; ${options.method} has no fine-tuning epochs`,
      options.method === 'reinforcement'
        ? 'set customization.reinforcement.hyperparameters.epochCount (or --rft-epochs)'
        : 'leave out --epochs',
    );
  const base = await estimateCost(input, { model: options.model, prices: options.prices });
  if (options.method === 'distillation') return distillation(base, options);
  return reinforcement(base, options);
}

/** usePromptResponse: no teacher call; the student trains once over the logged prompts and answers. */
function loggedAnswers(
  base: CostEstimate,
  teacher: NonNullable<ReturnType<typeof findTeacher>>,
): MethodCostEstimate {
  const none = 'none: the student trains on the answers already in the invocation logs (usePromptResponse)';
  const tokens = base.datasetTokens;
  const training: CostItem = {
    usd: times(base.training.price, tokens / 1000),
    quantity: `${fmt(tokens)} tokens (logged prompts + answers, 1 pass; Bedrock does not expose distillation epochs: UNCONFIRMED)`,
    price: base.training.price,
  };
  const parts = [training.usd, base.storagePerMonth.usd];
  return {
    ...base,
    method: 'distillation',
    trainedTokens: tokens,
    training,
    teacher: {
      model: teacher.id,
      name: teacher.name,
      prompts: 0,
      input: { usd: 0, quantity: none, price: teacher.inputPer1kTokens },
      output: { usd: 0, quantity: none, price: teacher.outputPer1kTokens },
      assumption:
        'the teacher already answered when your application called it; those calls were billed then',
    },
    firstMonthKnownTotal: knownTotal(parts),
  };
}

function distillation(base: CostEstimate, options: MethodOptions): MethodCostEstimate {
  if (!options.teacherModel)
    throw new UsageError(
      'a distillation estimate needs the teacher',
      `set customization.distillation.teacherModel or pass --teacher (${TEACHERS.map((t) => t.aliases[0]).join(', ')})`,
    );
  const teacher = findTeacher(options.teacherModel);
  if (!teacher)
    throw new UsageError(
      `"${options.teacherModel}" is not a distillation teacher tunekit knows`,
      `use one of: ${TEACHERS.map((t) => t.id).join(', ')}`,
    );
  if (options.usePromptResponse) return loggedAnswers(base, teacher);
  const prompts = base.records;
  const inputTokens = base.datasetTokens;
  const answerTokens = options.maxResponseTokens === undefined ? null : prompts * options.maxResponseTokens;
  const cost: TeacherCost = {
    model: teacher.id,
    name: teacher.name,
    prompts,
    input: {
      usd: times(teacher.inputPer1kTokens, inputTokens / 1000),
      quantity: `${fmt(inputTokens)} input tokens (each record's text once, golden answers included)`,
      price: teacher.inputPer1kTokens,
    },
    output: {
      usd: answerTokens === null ? null : times(teacher.outputPer1kTokens, answerTokens / 1000),
      quantity:
        answerTokens === null
          ? 'unknown answer length'
          : `${fmt(answerTokens)} output tokens (${fmt(prompts)} answers x ${fmt(options.maxResponseTokens!)})`,
      price: teacher.outputPer1kTokens,
    },
    assumption:
      answerTokens === null
        ? 'set customization.distillation.maxResponseLengthForInference (or --max-response-tokens) to price the answers: tunekit assumes each answer is that long (an upper bound)'
        : `each answer assumed ${fmt(options.maxResponseTokens!)} tokens (maxResponseLengthForInference, the cap: an upper bound); Bedrock may generate more than one answer per prompt (UNCONFIRMED, not priced)`,
  };
  // The student trains on the prompts plus the teacher's answers; Bedrock does not expose the epochs.
  const trainedTokens = answerTokens === null ? null : inputTokens + answerTokens;
  const training: CostItem = {
    usd: trainedTokens === null ? null : times(base.training.price, trainedTokens / 1000),
    quantity:
      trainedTokens === null
        ? 'prompts plus the teacher answers (answer length unknown); epochs not exposed by Bedrock'
        : `${fmt(trainedTokens)} tokens (prompts + teacher answers, 1 pass; Bedrock does not expose distillation epochs: UNCONFIRMED)`,
    price: base.training.price,
  };
  const parts = [cost.input.usd, cost.output.usd, training.usd, base.storagePerMonth.usd];
  return {
    ...base,
    method: 'distillation',
    trainedTokens: trainedTokens ?? 0,
    training,
    teacher: cost,
    firstMonthKnownTotal: knownTotal(parts),
  };
}

function reinforcement(base: CostEstimate, options: MethodOptions): MethodCostEstimate {
  const epochs = options.rft?.epochCount ?? null;
  const samples = options.rft?.trainingSamplePerPrompt ?? null;
  const maxTokens = options.rft?.inferenceMaxTokens ?? null;
  const maxGenerated =
    epochs === null || samples === null || maxTokens === null
      ? null
      : base.records * epochs * samples * maxTokens;
  const price: Price = {
    usd: null,
    unit: 'reinforcement fine-tuning',
    source: PRICING_PAGE,
    asOf: 'checked 2026-12-04',
  };
  const training: CostItem = {
    usd: null,
    quantity:
      maxGenerated === null
        ? `${fmt(base.records)} prompts (set epochCount, trainingSamplePerPrompt and inferenceMaxTokens to count the sampled answers)`
        : `${fmt(base.records)} prompts x ${epochs} epochs x ${samples} answers x up to ${fmt(maxTokens!)} tokens = up to ${fmt(maxGenerated)} generated tokens`,
    price,
  };
  return {
    ...base,
    method: 'reinforcement',
    trainedTokens: 0,
    training,
    reinforcement: {
      prompts: base.records,
      epochs,
      samplesPerPrompt: samples,
      maxTokensPerSample: maxTokens,
      maxGeneratedTokens: maxGenerated,
      training,
      note: 'each sampled answer is also one call of your grader Lambda (billed by Lambda, not Bedrock)',
    },
    firstMonthKnownTotal: null,
  };
}
