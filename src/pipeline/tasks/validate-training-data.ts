import { GetCustomModelCommand } from '@aws-sdk/client-bedrock';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { computeManifest, validateDataset } from '../../dataset/index.ts';
import { TunekitError } from '../../errors.ts';
import { configuredSuite, withoutHeldOut } from '../../evaluation/index.ts';
import { getModel } from '../../models/catalog.ts';
import { readIndex, readVersion } from '../../registry/index.ts';
import { MANUAL_UPLOAD_PREFIX } from '../start-run.ts';
import { bedrockName, executionTag, JOB_OUTPUT_PREFIX, s3UriOf, type TaskContext } from './context.ts';
import { registryContext } from './registry-context.ts';

/**
 * ValidateTrainingData: reads the uploaded file, validates it for the configured base model, and (when
 * valid) prepares everything StartFineTuningJob needs: names derived from the execution (a retried state
 * makes the same job, and clientRequestToken makes CreateModelCustomizationJob idempotent), the merged
 * hyperparameters as strings, and where Bedrock should write its outputs.
 */
export interface ValidateInput {
  bucket: string;
  key: string;
  executionName: string;
  executionArn: string;
}

const MAX_REPORTED_ISSUES = 20;

export async function validateTrainingData(input: ValidateInput, ctx: TaskContext) {
  const { config, clients } = ctx;
  const dataUri = s3UriOf(input.bucket, input.key);
  let buffer: Buffer;
  try {
    const object = await clients.s3.send(new GetObjectCommand({ Bucket: input.bucket, Key: input.key }));
    buffer = Buffer.from(await object.Body!.transformToByteArray());
  } catch (error) {
    if ((error as Error).name === 'NoSuchKey' || (error as Error).name === 'NotFound') {
      throw new TunekitError(
        'PIPELINE.DATA_MISSING',
        `${dataUri} does not exist (deleted after it was uploaded?)`,
        {
          hint: 'upload the file again to start a new run',
        },
      );
    }
    throw error;
  }
  const model = getModel(config.baseModel);
  const report = await validateDataset(
    { buffer },
    { model: model.id, role: 'training', maxIssues: MAX_REPORTED_ISSUES },
  );
  const common = {
    valid: report.valid,
    dataUri,
    format: report.format,
    records: report.records,
    errorCount: report.errorCount,
    warningCount: report.warningCount,
    errors: report.errors.map((e) => ({
      line: e.line,
      path: e.path,
      code: e.code,
      message: e.message,
      hint: e.hint,
    })),
    model: { id: model.id, family: model.family, name: model.name },
  };
  if (!report.valid) return common;
  const manifest = await computeManifest({ buffer });
  const hyperParameters: Record<string, string> = {};
  for (const spec of model.hyperparameters) hyperParameters[spec.name] = String(spec.default);
  for (const [name, value] of Object.entries(config.hyperparameters)) hyperParameters[name] = String(value);
  const tag = executionTag(input.executionArn);
  const startFrom = await productionModel(ctx);
  const trainingS3Uri = await trainingDataUri(input, buffer, ctx);
  return {
    ...common,
    manifest: { ...manifest, uri: dataUri },
    job: {
      jobName: bedrockName(config.project, 'job', tag),
      customModelName: bedrockName(config.project, tag),
      // Retraining continues from the production model (Bedrock fine-tunes a custom model further),
      // so new data adds to what v1.0 learned instead of starting over from the base model.
      baseModelIdentifier: startFrom?.customModelArn ?? model.id,
      ...(startFrom ? { continuesFrom: startFrom.version } : {}),
      clientRequestToken: `tunekit-${tag}`,
      hyperParameters,
      trainingS3Uri,
      outputS3Uri: s3UriOf(config.bucket, `${JOB_OUTPUT_PREFIX}${input.executionName}/`),
    },
  };
}

/**
 * Without an evaluation suite, PlanEvaluation asks a held-out slice of this data (projectSuite): the job
 * trains on the rest, written next to manual uploads (a prefix the Bedrock role may read and no trigger
 * watches). With a suite, the upload itself.
 */
async function trainingDataUri(input: ValidateInput, buffer: Buffer, ctx: TaskContext): Promise<string> {
  if (configuredSuite(ctx.config.evaluation.suite, ctx.configDir) !== undefined)
    return s3UriOf(input.bucket, input.key);
  const { text, heldOut } = withoutHeldOut(buffer.toString('utf8'));
  if (heldOut === 0) return s3UriOf(input.bucket, input.key);
  const key = `${MANUAL_UPLOAD_PREFIX}held-out/${input.executionName}/train.jsonl`;
  await ctx.clients.s3.send(
    new PutObjectCommand({ Bucket: input.bucket, Key: key, Body: text, ContentType: 'application/jsonl' }),
  );
  ctx.log?.(
    `no evaluation suite: ${heldOut} records held out for evaluation; training on ${s3UriOf(input.bucket, key)}`,
  );
  return s3UriOf(input.bucket, key);
}

/** The production version's custom model, if it still exists and is Active. */
async function productionModel(
  ctx: TaskContext,
): Promise<{ version: string; customModelArn: string } | undefined> {
  const registry = registryContext(ctx);
  const { index } = await readIndex(registry);
  const version = index.aliases.production;
  if (!version) return undefined;
  const record = await readVersion(registry, version);
  if (!record.customModelArn || record.baseModelId !== getModel(ctx.config.baseModel).id) return undefined;
  try {
    const model = await ctx.clients.bedrock.send(
      new GetCustomModelCommand({ modelIdentifier: record.customModelArn }),
    );
    return model.modelStatus === 'Active' ? { version, customModelArn: record.customModelArn } : undefined;
  } catch {
    ctx.log?.(`production ${version}'s model ${record.customModelArn} is gone; training from the base model`);
    return undefined;
  }
}
