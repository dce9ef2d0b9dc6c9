import type { BedrockContext } from '../context.ts';
import type { JobRecord } from '../records.ts';
import { lineageFoundation } from '../resolve.ts';
import { jobProgress } from './job-progress.ts';
import { joinKey, parseS3Uri } from './s3-uri.ts';
import type { DataFile, JobResult } from './train-job.ts';
import type { Trainer } from './trainer.ts';
import { trainingSeed } from './training-seed.ts';

/**
 * One customization job, as Bedrock runs it: read the data with the job's role (here: the in-process
 * ObjectStore), hand the heavy part to the trainer (validate, train; off the event loop), write the metric
 * files to outputDataConfig, keep the weights in managed storage. Data problems are results.
 */
export class JobFailure extends Error {
  override readonly name = 'JobFailure';
}

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
  const training = await readDataset(ctx, job.trainingDataConfig.s3Uri, 'training data');
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
  if (result.validationCsv !== undefined)
    await ctx.store.putObject(
      out.bucket,
      `${folder}/validation_artifacts/post_fine_tuning_validation/validation_metrics.csv`,
      result.validationCsv,
      'text/csv',
    );
  return result;
}
