import { UsageError } from '../errors.ts';
import { getModel } from '../models/catalog.ts';
import { NOVA_CUSTOM_RATE } from '../models/catalog-data.ts';
import type { Price } from '../models/schema.ts';
import type { DatasetInput } from './schema.ts';
import { computeStats } from './stats.ts';
import { TOKEN_ESTIMATE_METHOD } from './tokens.ts';

/** One priced item; `usd` is null when no source states the price (tunekit never invents one). */
export interface CostItem {
  usd: number | null;
  quantity: string;
  price: Price;
}

export interface CostEstimate {
  model: string;
  modelName: string;
  records: number;
  datasetTokens: number;
  epochs: number;
  epochsFrom: 'option' | 'catalog default';
  trainedTokens: number;
  tokenEstimate: string;
  training: CostItem;
  storagePerMonth: CostItem;
  inference:
    | { mode: 'on-demand'; perThousandRequests: CostItem & { output: CostItem }; note: string }
    | { mode: 'provisioned-throughput'; perHour: CostItem; per30Days: number | null; note: string };
  /** Sum of the known one-off + first-month items, or null if any is unknown. */
  firstMonthKnownTotal: number | null;
  /** e.g. the base model is end-of-life. */
  warnings: string[];
}

const HOURS_PER_30_DAYS = 720;
export const round = (n: number) => Math.round(n * 10000) / 10000;
/** A price times a quantity in USD, or null when the price is unknown. */
export const times = (price: Price, qty: number): number | null =>
  price.usd === null ? null : round(price.usd * qty);
/** The sum of the parts, or null when one is unknown: a total is never shown with a price missing. */
export const knownTotal = (parts: readonly (number | null)[]): number | null =>
  parts.some((x) => x === null) ? null : round(parts.reduce<number>((s, x) => s + (x ?? 0), 0));

/** Prices the user read on the pricing page themselves, for what the catalog has no figure for. */
export interface UserPrices {
  trainingPer1kTokens?: number;
  storagePerModelMonth?: number;
}

const userPrice = (catalog: Price, usd: number | undefined, option: string): Price =>
  usd === undefined
    ? catalog
    : { usd, unit: catalog.unit, source: `your ${option}`, asOf: 'given on the command line' };

/** Prices a fine-tuning run on this data from the catalog's sourced prices (or the user's own). */
export async function estimateCost(
  input: DatasetInput,
  options: { model: string; epochs?: number; prices?: UserPrices },
): Promise<CostEstimate> {
  const model = getModel(options.model);
  const spec = model.hyperparameters.find((h) => h.name === 'epochCount');
  const epochs = options.epochs ?? spec?.default ?? 1;
  if (spec && (!Number.isInteger(epochs) || epochs < spec.min || epochs > spec.max)) {
    throw new UsageError(
      `--epochs ${epochs} is outside ${model.name}'s range ${spec.min}–${spec.max}`,
      `pass an integer from ${spec.min} to ${spec.max}`,
    );
  }
  const stats = await computeStats(input);
  const trainedTokens = stats.estimatedTokens * epochs;
  const p = {
    ...model.prices,
    trainingPer1kTokens: userPrice(
      model.prices.trainingPer1kTokens,
      options.prices?.trainingPer1kTokens,
      '--training-price',
    ),
    storagePerModelMonth: userPrice(
      model.prices.storagePerModelMonth,
      options.prices?.storagePerModelMonth,
      '--storage-price',
    ),
  };
  const training: CostItem = {
    usd: times(p.trainingPer1kTokens, trainedTokens / 1000),
    quantity: `${trainedTokens.toLocaleString('en-US')} tokens (${stats.estimatedTokens.toLocaleString('en-US')} x ${epochs} epochs)`,
    price: p.trainingPer1kTokens,
  };
  const storage: CostItem = {
    usd: p.storagePerModelMonth.usd,
    quantity: '1 custom model, 1 month',
    price: p.storagePerModelMonth,
  };
  let inference: CostEstimate['inference'];
  let inferenceMonth: number | null;
  if (model.onDemandDeployment) {
    // A request "like your records": the mean prompt and answer sizes of this dataset.
    const inTokens = stats.promptTokens.mean * 1000;
    const outTokens = stats.answerTokens.mean * 1000;
    inference = {
      mode: 'on-demand',
      perThousandRequests: {
        usd: times(p.inputPer1kTokens, inTokens / 1000),
        quantity: `${Math.round(inTokens).toLocaleString('en-US')} input tokens`,
        price: p.inputPer1kTokens,
        output: {
          usd: times(p.outputPer1kTokens, outTokens / 1000),
          quantity: `${Math.round(outTokens).toLocaleString('en-US')} output tokens`,
          price: p.outputPer1kTokens,
        },
      },
      note: `custom model deployment bills per token with no hourly charge, at the base model's on-demand rate (${NOVA_CUSTOM_RATE})`,
    };
    inferenceMonth = 0;
  } else {
    const perHour: CostItem = {
      usd: p.provisionedNoCommitPerHour.usd,
      quantity: '1 model unit, 1 hour',
      price: p.provisionedNoCommitPerHour,
    };
    inference = {
      mode: 'provisioned-throughput',
      perHour,
      per30Days: perHour.usd === null ? null : round(perHour.usd * HOURS_PER_30_DAYS),
      note: 'Provisioned Throughput bills every hour it exists, used or not: delete it when done (tunekit undeploy <arn|name>, or tunekit cleanup)',
    };
    inferenceMonth = null;
  }
  const parts = [training.usd, storage.usd];
  const firstMonthKnownTotal = knownTotal([...parts, inferenceMonth ?? 0]);
  return {
    model: model.id,
    modelName: model.name,
    records: stats.records,
    datasetTokens: stats.estimatedTokens,
    epochs,
    epochsFrom: options.epochs === undefined ? 'catalog default' : 'option',
    trainedTokens,
    tokenEstimate: TOKEN_ESTIMATE_METHOD,
    training,
    storagePerMonth: storage,
    inference,
    firstMonthKnownTotal,
    warnings:
      model.lifecycle === 'ACTIVE'
        ? []
        : [
            `${model.name} is ${model.lifecycle.toLowerCase().replaceAll('_', '-')}: ${model.lifecycleNote ?? 'new jobs may fail'}`,
          ],
  };
}
