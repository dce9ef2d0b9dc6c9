import type { Conversation } from '../../../dataset/conversation.ts';
import type { DatasetFormat } from '../../../models/schema.ts';
import type { ModelArtifact, OnStep, TrainingEngine } from '../../engine/engine.port.ts';
import type { DatasetPort } from '../context.ts';
import { metricsCsv } from './metrics-csv.ts';

/**
 * The CPU-heavy part of a customization job — validate and parse the data, train, render the metric files,
 * serialise the weights — as one function with no I/O, so it runs in a worker thread (see trainer.ts)
 * and the HTTP API stays responsive. A problem with the user's data is a result, not an exception.
 */
export interface JobPayload {
  family: ModelArtifactFamily;
  /** catalog id of the foundation model (limits and format come from it) */
  modelId: string;
  format: DatasetFormat;
  hyperparameters: Record<string, string>;
  seed: number;
  training: DataFile;
  validation: DataFile[];
  baseArtifactJson?: string;
}

type ModelArtifactFamily = ModelArtifact['family'];

export interface DataFile {
  uri: string;
  buffer: Uint8Array;
}

export type JobResult =
  | {
      ok: true;
      artifactJson: string;
      trainingCsv: string;
      validationCsv?: string;
      finalTrainingLoss: number;
      finalValidationLoss?: number;
      trainedTokens: number;
      tokensPerSecond: number;
      steps: number;
    }
  | { ok: false; failure: string };

class DataFailure extends Error {}

async function load(
  dataset: DatasetPort,
  file: DataFile,
  payload: JobPayload,
  role: 'training' | 'validation',
): Promise<Conversation[]> {
  const buffer = Buffer.from(file.buffer.buffer, file.buffer.byteOffset, file.buffer.byteLength);
  const report = await dataset.validateDataset({ buffer }, { model: payload.modelId, role, maxIssues: 5 });
  if (!report.valid) {
    const [first] = report.errors;
    const others = (report.errorCount ?? report.errors.length) - 1;
    const where = first?.line !== undefined ? `line ${first.line}` : 'file';
    const path = first?.path ? ` ${first.path}` : '';
    const more = others > 0 ? ` (and ${others} more issue${others > 1 ? 's' : ''})` : '';
    throw new DataFailure(
      `Data validation failed for ${role} data ${file.uri}: ${where}${path}: ${first?.message ?? 'invalid data'}${more}. ` +
        'Fix the file (try `tunekit data validate`) and start a new job.',
    );
  }
  return dataset.parseConversations(buffer, payload.format);
}

export async function trainJob(
  engine: TrainingEngine,
  dataset: DatasetPort,
  payload: JobPayload,
  onStep: OnStep,
  signal: AbortSignal,
): Promise<JobResult> {
  let training: Conversation[];
  const validation: Conversation[] = [];
  try {
    training = await load(dataset, payload.training, payload, 'training');
    for (const file of payload.validation)
      validation.push(...(await load(dataset, file, payload, 'validation')));
  } catch (error) {
    if (error instanceof DataFailure) return { ok: false, failure: error.message };
    throw error;
  }
  const base = payload.baseArtifactJson ? (JSON.parse(payload.baseArtifactJson) as ModelArtifact) : undefined;
  const output = await engine.train(
    {
      family: payload.family,
      hyperparameters: payload.hyperparameters,
      training,
      validation,
      seed: payload.seed,
      base,
    },
    onStep,
    signal,
  );
  return {
    ok: true,
    artifactJson: JSON.stringify(output.artifact),
    trainingCsv: metricsCsv(output.trainingSteps, 'training_loss'),
    validationCsv: validation.length ? metricsCsv(output.validationSteps, 'validation_loss') : undefined,
    finalTrainingLoss: output.finalTrainingLoss,
    finalValidationLoss: output.finalValidationLoss,
    trainedTokens: output.trainedTokens,
    tokensPerSecond: output.tokensPerSecond,
    steps: output.trainingSteps.length,
  };
}
