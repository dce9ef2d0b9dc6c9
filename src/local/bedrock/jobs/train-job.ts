import type { Conversation } from '../../../dataset/conversation.ts';
import { distillationJsonl } from '../../../dataset/convert.ts';
import type { Method } from '../../../models/methods.ts';
import type { DatasetFormat } from '../../../models/schema.ts';
import type { ModelArtifact, OnStep, TrainingEngine } from '../../engine/engine.port.ts';
import type { RftHyperParameters } from '../api/customization-config.ts';
import type { DatasetPort } from '../context.ts';
import { DistillationDataError, type TeacherConfig, teacherAnswers } from './distill.ts';
import { GraderFailure, type GraderRef } from './grader-runtime.ts';
import { metricsCsv } from './metrics-csv.ts';
import { parseRftRecords, RftDataError, type RftRecord } from './rft-records.ts';
import { RftFailure, rftMetricsCsv, rftValidationCsv, trainRft } from './rft-train.ts';

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
  /** How the job customizes (absent: FINE_TUNING). */
  method?: JobMethod;
}

export type JobMethod =
  | {
      type: 'DISTILLATION';
      teacher: TeacherConfig;
      /** The training records already hold the teacher's answers (invocation logs with usePromptResponse). */
      answered?: boolean;
    }
  | { type: 'REINFORCEMENT_FINE_TUNING'; grader: GraderRef; hyperParameters: RftHyperParameters };

/** A file the job leaves in its output folder besides the metric files (key relative to the folder). */
export interface OutputFile {
  key: string;
  body: string;
  contentType: string;
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
      files?: OutputFile[];
    }
  | { ok: false; failure: string };

class DataFailure extends Error {}

/**
 * The file checked as AWS checks it before training, by the dataset validator with the job's method
 * (format, rules and record bounds: the same check as `tunekit data validate --method`).
 */
async function check(
  dataset: DatasetPort,
  file: DataFile,
  payload: JobPayload,
  role: 'training' | 'validation',
  method: Method,
): Promise<Buffer> {
  const buffer = toBuffer(file);
  const report = await dataset.validateDataset(
    { buffer },
    { model: payload.modelId, role, maxIssues: 5, method },
  );
  if (!report.valid) {
    const [first] = report.errors;
    const others = (report.errorCount ?? report.errors.length) - 1;
    const where = first?.line !== undefined ? `line ${first.line}` : 'file';
    const path = first?.path ? ` ${first.path}` : '';
    const more = others > 0 ? ` (and ${others} more issue${others > 1 ? 's' : ''})` : '';
    throw new DataFailure(
      `Data validation failed for ${role} data ${file.uri}: ${where}${path}: ${first?.message ?? 'invalid data'}${more}. ` +
        `Fix the file (try \`tunekit data validate${method === 'fine-tuning' ? '' : ` --method ${method}`}\`) and start a new job.`,
    );
  }
  return buffer;
}

async function load(
  dataset: DatasetPort,
  file: DataFile,
  payload: JobPayload,
  role: 'training' | 'validation',
  method: Method = 'fine-tuning',
): Promise<Conversation[]> {
  return dataset.parseConversations(await check(dataset, file, payload, role, method), payload.format);
}

const toBuffer = (file: DataFile) =>
  Buffer.from(file.buffer.buffer, file.buffer.byteOffset, file.buffer.byteLength);

async function distillJob(
  engine: TrainingEngine,
  dataset: DatasetPort,
  payload: JobPayload,
  method: Extract<JobMethod, { type: 'DISTILLATION' }>,
  onStep: OnStep,
  signal: AbortSignal,
): Promise<JobResult> {
  const { teacher } = method;
  let training: Conversation[];
  const validation: Conversation[] = [];
  try {
    const records = await load(dataset, payload.training, payload, 'training', 'distillation');
    training = method.answered ? records : teacherAnswers(engine, teacher, records, payload.seed);
    for (const file of payload.validation)
      validation.push(
        ...teacherAnswers(
          engine,
          teacher,
          await load(dataset, file, payload, 'validation', 'distillation'),
          payload.seed,
        ),
      );
  } catch (error) {
    if (error instanceof DataFailure) return { ok: false, failure: error.message };
    if (error instanceof DistillationDataError)
      return {
        ok: false,
        failure: `Data validation failed for training data ${payload.training.uri}: ${error.message}.`,
      };
    throw error;
  }
  const result = await trainConversations(
    engine,
    { ...payload, method: undefined },
    training,
    validation,
    onStep,
    signal,
  );
  if (!result.ok) return result;
  // Bedrock leaves samples of the synthetic data in the output folder (bedrock-facts §4.3); the key is UNCONFIRMED.
  const files = [
    {
      key: 'distillation_artifacts/synthetic_data.jsonl',
      body: distillationJsonl(training),
      contentType: 'application/jsonl',
    },
  ];
  return { ...result, files };
}

async function rftJob(
  engine: TrainingEngine,
  dataset: DatasetPort,
  payload: JobPayload,
  method: Extract<JobMethod, { type: 'REINFORCEMENT_FINE_TUNING' }>,
  onStep: OnStep,
  signal: AbortSignal,
): Promise<JobResult> {
  const started = performance.now();
  try {
    const records = parseRftRecords(
      await check(dataset, payload.training, payload, 'training', 'reinforcement'),
    );
    const validation: RftRecord[] = [];
    for (const file of payload.validation) {
      try {
        validation.push(
          ...parseRftRecords(await check(dataset, file, payload, 'validation', 'reinforcement')),
        );
      } catch (error) {
        if (!(error instanceof RftDataError)) throw error;
        return {
          ok: false,
          failure: `Data validation failed for validation data ${file.uri}: ${error.message}. Fix the file and start a new job.`,
        };
      }
    }
    const out = await trainRft(
      engine,
      {
        family: payload.family,
        records,
        validation,
        grader: method.grader,
        hyperParameters: method.hyperParameters,
        seed: payload.seed,
      },
      onStep,
      signal,
    );
    const last = out.steps.at(-1)!;
    return {
      ok: true,
      artifactJson: JSON.stringify(out.artifact),
      trainingCsv: rftMetricsCsv(out.steps),
      ...(out.validation.length ? { validationCsv: rftValidationCsv(out.validation) } : {}),
      finalTrainingLoss: last.loss,
      trainedTokens: out.trainedTokens,
      tokensPerSecond: out.trainedTokens / Math.max((performance.now() - started) / 1000, 1e-6),
      steps: out.steps.length,
    };
  } catch (error) {
    if (error instanceof DataFailure) return { ok: false, failure: error.message };
    if (error instanceof RftDataError)
      return {
        ok: false,
        failure:
          `Data validation failed for training data ${payload.training.uri}: ${error.message}. ` +
          'Fix the file (try `tunekit data validate --method reinforcement`) and start a new job.',
      };
    if (error instanceof GraderFailure || error instanceof RftFailure)
      return { ok: false, failure: error.message };
    throw error;
  }
}

export async function trainJob(
  engine: TrainingEngine,
  dataset: DatasetPort,
  payload: JobPayload,
  onStep: OnStep,
  signal: AbortSignal,
): Promise<JobResult> {
  if (payload.method?.type === 'DISTILLATION')
    return distillJob(engine, dataset, payload, payload.method, onStep, signal);
  if (payload.method?.type === 'REINFORCEMENT_FINE_TUNING')
    return rftJob(engine, dataset, payload, payload.method, onStep, signal);
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
  return trainConversations(engine, payload, training, validation, onStep, signal);
}

async function trainConversations(
  engine: TrainingEngine,
  payload: JobPayload,
  training: Conversation[],
  validation: Conversation[],
  onStep: OnStep,
  signal: AbortSignal,
): Promise<JobResult> {
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
