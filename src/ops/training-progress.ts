import type { GetModelCustomizationJobCommandOutput } from '@aws-sdk/client-bedrock';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { AwsClients } from '../aws/clients.ts';

/**
 * Step, epoch, loss and an ETA of a training job, from the step-wise metrics file in the job's output
 * prefix (`model-customization-job-<id>/training_artifacts/step_wise_training_metrics.csv`, bedrock-facts
 * §4.3, source: Bedrock user guide "Analyze the results of a model customization job"). Bedrock writes
 * that file when the job ends, so on AWS a running job shows its elapsed time only; the local stack
 * rewrites it while the job trains, so the same reader shows live progress there.
 */
export interface StepProgress {
  step: number;
  epoch: number;
  /** epochCount of the job, when its hyperparameters say. */
  epochs?: number;
  loss: number;
  /** Estimated seconds to the end; absent until it can be estimated. */
  etaSeconds?: number;
}

export function metricsKey(job: Pick<GetModelCustomizationJobCommandOutput, 'jobArn' | 'outputDataConfig'>) {
  const uri = job.outputDataConfig?.s3Uri;
  const id = job.jobArn?.split('/').at(-1);
  if (!uri?.startsWith('s3://') || !id) return undefined;
  const rest = uri.slice('s3://'.length);
  const slash = rest.indexOf('/');
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  const prefix = slash < 0 ? '' : rest.slice(slash + 1);
  const folder = `${prefix}${prefix === '' || prefix.endsWith('/') ? '' : '/'}model-customization-job-${id}`;
  return { bucket, key: `${folder}/training_artifacts/step_wise_training_metrics.csv` };
}

/** Rows of a step-wise metrics CSV (step_number, epoch_number, loss, perplexity). */
export function parseStepCsv(csv: string): { step: number; epoch: number; loss: number }[] {
  return csv
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(',').map(Number))
    .filter((cells) => cells.length >= 3 && cells.slice(0, 3).every(Number.isFinite))
    .map(([step, epoch, loss]) => ({ step: step!, epoch: epoch!, loss: loss! }));
}

/**
 * Progress from the rows so far. Total steps = epochs x steps per epoch: known from `batchSize` and the
 * record count when the job has a batch size, otherwise once the first epoch is complete (Nova picks
 * its own batch size).
 */
export function stepProgress(
  rows: { step: number; epoch: number; loss: number }[],
  job: Pick<GetModelCustomizationJobCommandOutput, 'hyperParameters'>,
  elapsedMs: number,
  records?: number,
): StepProgress | undefined {
  const last = rows.at(-1);
  if (!last) return undefined;
  const epochs = Number(job.hyperParameters?.epochCount) || undefined;
  const batch = Number(job.hyperParameters?.batchSize) || undefined;
  const first = rows[0]!.step;
  let perEpoch: number | undefined;
  if (batch && records) perEpoch = Math.ceil(records / batch);
  else if (last.epoch > rows[0]!.epoch) perEpoch = rows.filter((r) => r.epoch === rows[0]!.epoch).length;
  const done = last.step - first + 1;
  const total = epochs && perEpoch ? epochs * perEpoch : undefined;
  const etaSeconds = total ? Math.max(0, (elapsedMs / 1000 / done) * (total - done)) : undefined;
  return {
    step: last.step,
    epoch: last.epoch,
    ...(epochs ? { epochs } : {}),
    loss: last.loss,
    ...(etaSeconds === undefined ? {} : { etaSeconds }),
  };
}

/** The job's step metrics so far, or undefined when the file is not there (yet). */
export async function readStepProgress(
  clients: AwsClients,
  job: GetModelCustomizationJobCommandOutput,
  elapsedMs: number,
  records?: number,
): Promise<StepProgress | undefined> {
  const where = metricsKey(job);
  if (!where) return undefined;
  try {
    const r = await clients.s3.send(new GetObjectCommand({ Bucket: where.bucket, Key: where.key }));
    return stepProgress(parseStepCsv(await r.Body!.transformToString()), job, elapsedMs, records);
  } catch {
    // Not written yet (AWS: until the job ends), or not readable with these credentials: no step figures.
    return undefined;
  }
}
