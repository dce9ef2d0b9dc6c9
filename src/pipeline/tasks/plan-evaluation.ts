import { isAbsolute, resolve } from 'node:path';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { TunekitError } from '../../errors.ts';
import { type EvalSuite, EvalSuiteSchema, loadSuite, type ModelRef } from '../../evaluation/index.ts';
import { getModel } from '../../models/catalog.ts';
import { readIndex, readVersion } from '../../registry/index.ts';
import { parseS3Uri, type TaskContext } from './context.ts';
import { deploymentStatus, type EvaluationDeployment } from './deployment.ts';
import { registryContext } from './registry-context.ts';

/**
 * PlanEvaluation: loads the suite and decides who answers it — the base model (baseline), the candidate
 * (its evaluation deployment) and, when `production` names a version whose deployment is live, production.
 * The Map state then fans the cases out with the configured concurrency.
 */

async function readSuite(ctx: TaskContext): Promise<EvalSuite> {
  const where = ctx.config.evaluation.suite;
  const s3 = parseS3Uri(where);
  if (!s3) return loadSuite(isAbsolute(where) ? where : resolve(ctx.configDir, where));
  // On AWS the suite lives in the bucket (a Lambda has no project directory).
  const object = await ctx.clients.s3.send(new GetObjectCommand({ Bucket: s3.bucket, Key: s3.key }));
  const parsed = EvalSuiteSchema.safeParse(JSON.parse(await object.Body!.transformToString()));
  if (!parsed.success) {
    throw new TunekitError(
      'EVAL.SUITE_INVALID',
      `${where}: invalid evaluation suite: ${parsed.error.message}`,
      {
        hint: 'validate it locally with `tunekit eval run --suite <file>` first',
      },
    );
  }
  return parsed.data;
}

async function productionModel(ctx: TaskContext): Promise<{ model?: ModelRef; note: string }> {
  const registry = registryContext(ctx);
  const { index } = await readIndex(registry);
  const version = index.aliases.production;
  if (!version) return { note: 'no production version yet' };
  const record = await readVersion(registry, version);
  const arn = record.deploymentArn;
  if (!arn) return { note: `production ${version} has no live deployment to compare against` };
  const mode = arn.includes(':provisioned-model/') ? 'provisioned' : 'on-demand';
  const { status } = await deploymentStatus(ctx.clients.bedrock, { mode, arn }).catch(() => ({
    status: 'Failed',
  }));
  if (status !== 'Ready')
    return { note: `production ${version}'s deployment ${arn} is not serving (${status})` };
  return { model: { label: 'production', modelId: arn }, note: `production ${version} via ${arn}` };
}

export async function planEvaluation(input: { deployment: EvaluationDeployment }, ctx: TaskContext) {
  const suite = await readSuite(ctx);
  const production = await productionModel(ctx);
  const models: ModelRef[] = [
    { label: 'baseline', modelId: getModel(ctx.config.baseModel).invokeId },
    { label: 'candidate', modelId: input.deployment.arn },
    ...(production.model ? [production.model] : []),
  ];
  return {
    suite,
    models,
    productionNote: production.note,
    concurrency: ctx.config.evaluation.concurrency,
    items: suite.cases.map((c) => ({ case: c, system: suite.system ?? null, suiteName: suite.name, models })),
  };
}
