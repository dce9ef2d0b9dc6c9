import { GetCustomModelCommand } from '@aws-sdk/client-bedrock';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { statesCustomization } from '../../bedrock/job-request.ts';
import { executionJobNames } from '../../bedrock/names.ts';
import { prepareTrainingJob } from '../../bedrock/prepare-job.ts';
import { readTrainingObject } from '../../bedrock/training-object.ts';
import { HELD_OUT_TRAINING_PREFIX } from '../../bedrock/validation-data.ts';
import { withoutHeldOut } from '../../evaluation/index.ts';
import { getModel } from '../../models/catalog.ts';
import { readIndex, readVersion } from '../../registry/index.ts';
import { preflightError, runPreflight } from '../preflight.ts';
import { suiteLocation } from '../suite-source.ts';
import type { TaskContext } from './context.ts';
import { registryContext } from './registry-context.ts';

/**
 * ValidateTrainingData: the pre-flight (suite, hyperparameters, base model in the region: a failure ends
 * the run here, before anything is paid for), then the shared job preparation (src/bedrock/prepare-job.ts)
 * with names derived from the execution — a retried state makes the same job, and clientRequestToken makes
 * CreateModelCustomizationJob idempotent. Invalid data is an outcome (`valid: false`), not an error.
 */
export interface ValidateInput {
  bucket: string;
  key: string;
  executionName: string;
  executionArn: string;
}

export async function validateTrainingData(input: ValidateInput, ctx: TaskContext) {
  // Read once here: the pre-flight compares a configured suite with it, the job preparation validates it,
  // and without a suite a slice of it is held out. A missing object fails here, with its fix.
  const object = await readTrainingObject(ctx.clients, input.bucket, input.key);
  const preflight = await runPreflight(
    ctx,
    suiteLocation(ctx) === undefined ? undefined : object.buffer.toString('utf8'),
  );
  if (!preflight.ok) throw preflightError(preflight);
  for (const w of preflight.warnings) ctx.log?.(`pre-flight warning: ${w}`);
  // Kept with the run (the state's output is in its history): `tunekit runs show` prints them.
  const warnings = preflight.warnings.length ? { warnings: preflight.warnings } : {};
  // Continued fine-tuning is opt-in (training.continueFromProduction): Bedrock does not document it for
  // every family. Then new data adds to what the production model learned instead of starting over.
  const startFrom = ctx.config.training.continueFromProduction ? await productionModel(ctx) : undefined;
  const prepared = await prepareTrainingJob(ctx.config, ctx.clients, {
    bucket: input.bucket,
    key: input.key,
    names: executionJobNames(ctx.config.project, input.executionArn),
    outputFolder: input.executionName,
    configDir: ctx.configDir,
    object,
    ...(startFrom ? { startFrom } : {}),
  });
  const suite = { ...(preflight.suite ? { suite: preflight.suite } : {}), ...warnings };
  if (!('job' in prepared)) return { ...prepared, ...suite };
  const heldOut = await heldOutTrainingUri(input, ctx, object.buffer);
  // Step Functions' Bedrock integration takes request fields in PascalCase, nested ones too (CDK's
  // BedrockCreateModelCustomizationJob renders tags as {Key, Value}); the tags are data the ASL cannot
  // re-case, so they are handed over in that form next to the SDK-shaped job.
  const states = {
    jobTags: prepared.job.jobTags.map(statesTag),
    customModelTags: prepared.job.customModelTags.map(statesTag),
    ...statesCustomization(prepared.job),
  };
  const job = { ...prepared.job, ...(heldOut ? { trainingS3Uri: heldOut } : {}), states };
  return { ...prepared, ...suite, job };
}

const statesTag = (t: { key: string; value: string }) => ({ Key: t.key, Value: t.value });

/**
 * Without an evaluation suite, PlanEvaluation asks a held-out slice of this data (projectSuite): the job
 * trains on the rest, written next to manual uploads (a prefix the Bedrock role may read and no trigger
 * watches). With a suite (or nothing to hold out): undefined, the job trains on the upload itself.
 */
async function heldOutTrainingUri(
  input: ValidateInput,
  ctx: TaskContext,
  buffer: Buffer,
): Promise<string | undefined> {
  if (suiteLocation(ctx) !== undefined) return undefined;
  const { text, heldOut } = withoutHeldOut(buffer.toString('utf8'));
  if (heldOut === 0) return undefined;
  const key = `${HELD_OUT_TRAINING_PREFIX}${input.executionName}/train.jsonl`;
  await ctx.clients.s3.send(
    new PutObjectCommand({ Bucket: input.bucket, Key: key, Body: text, ContentType: 'application/jsonl' }),
  );
  const uri = `s3://${input.bucket}/${key}`;
  ctx.log?.(`no evaluation suite: ${heldOut} records held out for evaluation; training on ${uri}`);
  return uri;
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
