import type { Conversation } from '../../../dataset/conversation.ts';
import type { ModelSpec } from '../../../models/schema.ts';
import type { TrainOutput } from '../../engine/engine.port.ts';
import type { BedrockContext } from '../context.ts';
import type { JobRecord } from '../records.ts';
import { lineageFoundation } from '../resolve.ts';
import { metricsCsv } from './metrics-csv.ts';
import { joinKey, parseS3Uri } from './s3-uri.ts';
import type { Trainer } from './trainer.ts';

/**
 * One customization job, as Bedrock runs it: read and validate the data with the job's role, train,
 * write the metric files to outputDataConfig, keep the weights in managed storage.
 * A problem with the user's data is an outcome (JobFailure), not a crash.
 */
export class JobFailure extends Error {
  override readonly name = 'JobFailure';
}

async function readDataset(ctx: BedrockContext, uri: string, what: string): Promise<Buffer> {
  const { bucket, key } = parseS3Uri(uri);
  if (!(await ctx.store.bucketExists(bucket)))
    throw new JobFailure(`Unable to access ${what} at ${uri}: the bucket ${bucket} does not exist.`);
  const body = key ? await ctx.store.getObject(bucket, key) : undefined;
  if (!body)
    throw new JobFailure(
      `Unable to access ${what} at ${uri}: the object does not exist. Check the S3 URI and that the file was uploaded.`,
    );
  return body;
}

async function loadConversations(
  ctx: BedrockContext,
  uri: string,
  model: ModelSpec,
  role: 'training' | 'validation',
): Promise<Conversation[]> {
  const buffer = await readDataset(ctx, uri, `${role} data`);
  const report = await ctx.dataset.validateDataset({ buffer }, { model: model.id, role, maxIssues: 5 });
  if (!report.valid) {
    const [first] = report.errors;
    const others = (report.errorCount ?? report.errors.length) - 1;
    const where = first?.line !== undefined ? `line ${first.line}` : 'file';
    const path = first?.path ? ` ${first.path}` : '';
    const more = others > 0 ? ` (and ${others} more issue${others > 1 ? 's' : ''})` : '';
    throw new JobFailure(
      `Data validation failed for ${role} data ${uri}: ${where}${path}: ${first?.message ?? 'invalid data'}${more}. ` +
        `Fix the file (try \`tunekit data validate\`) and start a new job.`,
    );
  }
  return ctx.dataset.parseConversations(buffer, model.format);
}

export async function runJob(
  ctx: BedrockContext,
  job: JobRecord,
  trainer: Trainer,
  signal: AbortSignal,
): Promise<TrainOutput> {
  const model = lineageFoundation(job);
  const training = await loadConversations(ctx, job.trainingDataConfig.s3Uri, model, 'training');
  const validation: Conversation[] = [];
  for (const validator of job.validationDataConfig.validators)
    validation.push(...(await loadConversations(ctx, validator.s3Uri, model, 'validation')));
  const base = job.baseCustomModelId ? ctx.state.loadArtifact(job.baseCustomModelId) : undefined;
  if (job.baseCustomModelId && !base)
    throw new JobFailure(`The base custom model's weights are missing from the local stack's data dir.`);
  const seed = Number.parseInt(job.id.slice(0, 8), 36) % 2_147_483_647;
  const output = await trainer.train(
    { family: model.family, hyperparameters: job.hyperParameters, training, validation, seed, base },
    () => {},
    signal,
  );
  if (signal.aborted) return output;
  const out = parseS3Uri(job.outputDataConfig.s3Uri);
  if (!(await ctx.store.bucketExists(out.bucket)))
    throw new JobFailure(
      `Unable to write output to ${job.outputDataConfig.s3Uri}: the bucket ${out.bucket} does not exist.`,
    );
  const folder = joinKey(out.key, `model-customization-job-${job.id}`);
  await ctx.store.putObject(
    out.bucket,
    `${folder}/training_artifacts/step_wise_training_metrics.csv`,
    metricsCsv(output.trainingSteps, 'training_loss'),
    'text/csv',
  );
  if (validation.length > 0)
    await ctx.store.putObject(
      out.bucket,
      `${folder}/validation_artifacts/post_fine_tuning_validation/validation_metrics.csv`,
      metricsCsv(output.validationSteps, 'validation_loss'),
      'text/csv',
    );
  return output;
}
