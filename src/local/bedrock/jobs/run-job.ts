import { findModel } from '../../../models/catalog.ts';
import type { ModelSpec } from '../../../models/schema.ts';
import { baseModelIdOf } from '../../../models/teachers.ts';
import type { BedrockContext } from '../context.ts';
import type { JobRecord } from '../records.ts';
import { lineageFoundation } from '../resolve.ts';
import { resolveGrader } from './grader-runtime.ts';
import { invocationLogTrainingData } from './invocation-log-data.ts';
import { JobFailure } from './job-failure.ts';
import { jobProgress } from './job-progress.ts';
import { joinKey, parseS3Uri } from './s3-uri.ts';
import type { DataFile, JobMethod, JobResult } from './train-job.ts';
import type { Trainer } from './trainer.ts';
import { trainingSeed } from './training-seed.ts';

async function readDataset(ctx: BedrockContext, uri: string, what: string): Promise<DataFile> {
  const { bucket, key } = parseS3Uri(uri);
  if (!(await ctx.store.bucketExists(bucket)))
    throw new JobFailure(`Unable to access ${what} at ${uri}: the bucket ${bucket} does not exist.`);
  const body = key ? await ctx.store.getObject(bucket, key) : undefined;
  if (!body)
    throw new JobFailure(
      `Unable to access ${what} at ${uri}: the object does not exist. Check the S3 URI and that the file was uploaded.`,
    );
  return { uri, buffer: body };
}

/** What the trainer needs to know about the job's method: the local teacher, or the grader's file. */
function methodOf(ctx: BedrockContext, job: JobRecord, student: ModelSpec): JobMethod | undefined {
  const config = job.customizationConfig;
  if (config && 'distillationConfig' in config) {
    const { teacherModelIdentifier, maxResponseLengthForInference } =
      config.distillationConfig.teacherModelConfig;
    const teacherId = baseModelIdOf(teacherModelIdentifier);
    // The teacher answers as the local base model under its own family (Premier has no catalog row: the
    // student's family, which is the teacher's too, since teachers and students share a provider).
    const family = findModel(teacherId)?.family ?? student.family;
    return {
      type: 'DISTILLATION',
      teacher: { family, maxResponseTokens: maxResponseLengthForInference },
      // usePromptResponse: the logged answers are the training data, the teacher does not answer again.
      answered: job.trainingDataConfig.invocationLogsConfig?.usePromptResponse === true,
    };
  }
  if (config && 'rftConfig' in config)
    return {
      type: 'REINFORCEMENT_FINE_TUNING',
      grader: resolveGrader(
        config.rftConfig.graderConfig.lambdaGrader.lambdaArn,
        ctx.options.functionsDir,
        ctx.options.graders,
      ),
      hyperParameters: config.rftConfig.hyperParameters ?? {},
    };
  return undefined;
}

/** The uploaded training file, or (distillation) the training file built from the invocation logs. */
function trainingData(ctx: BedrockContext, job: JobRecord): Promise<DataFile> {
  const { s3Uri, invocationLogsConfig } = job.trainingDataConfig;
  const config = job.customizationConfig;
  if (invocationLogsConfig && config && 'distillationConfig' in config)
    return invocationLogTrainingData(
      ctx,
      invocationLogsConfig,
      config.distillationConfig.teacherModelConfig.teacherModelIdentifier,
    );
  return readDataset(ctx, s3Uri!, 'training data');
}

/**
 * One customization job, as Bedrock runs it: read the data with the job's role (here: the in-process
 * ObjectStore), hand the heavy part to the trainer (validate, train; off the event loop), write the metric
 * files to outputDataConfig, keep the weights in managed storage. Data problems are results (JobFailure).
 */
export async function runJob(
  ctx: BedrockContext,
  job: JobRecord,
  trainer: Trainer,
  signal: AbortSignal,
): Promise<Extract<JobResult, { ok: true }>> {
  const model = lineageFoundation(job);
  const out = parseS3Uri(job.outputDataConfig.s3Uri);
  // Checked before training, as Bedrock's validation phase does, so a typo doesn't cost a whole training run.
  if (!(await ctx.store.bucketExists(out.bucket)))
    throw new JobFailure(
      `Unable to write output to ${job.outputDataConfig.s3Uri}: the bucket ${out.bucket} does not exist.`,
    );
  const training = await trainingData(ctx, job);
  const validation: DataFile[] = [];
  for (const v of job.validationDataConfig.validators)
    validation.push(await readDataset(ctx, v.s3Uri, 'validation data'));
  let baseArtifactJson: string | undefined;
  if (job.baseCustomModelId) {
    baseArtifactJson = await ctx.state.readArtifactJson(job.baseCustomModelId);
    if (!baseArtifactJson)
      throw new JobFailure(`The base custom model's weights are missing from the local stack's data dir.`);
  }
  const seeded = trainingSeed(job, training, validation, baseArtifactJson);
  if ('failure' in seeded) throw new JobFailure(seeded.failure);
  const folder = joinKey(out.key, `model-customization-job-${job.id}`);
  const progress = jobProgress(job.jobName, {
    log: (line) => ctx.log(line),
    writeCsv: (csv) =>
      ctx.store
        .putObject(out.bucket, `${folder}/training_artifacts/step_wise_training_metrics.csv`, csv, 'text/csv')
        .then(() => {}),
  });
  const result = await trainer.run(
    {
      family: model.family,
      modelId: model.id,
      format: model.format,
      hyperparameters: job.hyperParameters,
      seed: seeded.seed,
      training,
      validation,
      baseArtifactJson,
      method: methodOf(ctx, job, model),
    },
    progress.onStep,
    signal,
  );
  await progress.settled();
  if (!result.ok) throw new JobFailure(result.failure);
  if (signal.aborted) return result;
  await ctx.store.putObject(
    out.bucket,
    `${folder}/training_artifacts/step_wise_training_metrics.csv`,
    result.trainingCsv,
    'text/csv',
  );
  for (const file of result.files ?? [])
    await ctx.store.putObject(out.bucket, `${folder}/${file.key}`, file.body, file.contentType);
  if (result.validationCsv !== undefined)
    await ctx.store.putObject(
      out.bucket,
      `${folder}/validation_artifacts/post_fine_tuning_validation/validation_metrics.csv`,
      result.validationCsv,
      'text/csv',
    );
  return result;
}
