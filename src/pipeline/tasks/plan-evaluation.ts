import { isAbsolute, resolve } from 'node:path';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { TunekitError } from '../../errors.ts';
import { type EvalSuite, EvalSuiteSchema, loadSuite, type ModelRef } from '../../evaluation/index.ts';
import { getModel } from '../../models/catalog.ts';
import { parseS3Uri, type TaskContext } from './context.ts';
import type { EvaluationDeployments } from './deploy-for-evaluation.ts';

/**
 * PlanEvaluation: loads the suite and decides who answers it — the base model (baseline), the candidate
 * and, when DeployForEvaluation deployed the `production` version next to it, production.
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

export async function planEvaluation(input: { deployment: EvaluationDeployments }, ctx: TaskContext) {
  const suite = await readSuite(ctx);
  const production = input.deployment.production;
  const models: ModelRef[] = [
    { label: 'baseline', modelId: getModel(ctx.config.baseModel).invokeId },
    { label: 'candidate', modelId: input.deployment.arn },
    ...(production ? [{ label: 'production', modelId: production.arn }] : []),
  ];
  return {
    suite,
    models,
    productionNote: input.deployment.productionNote ?? 'production was not deployed for this evaluation',
    concurrency: ctx.config.evaluation.concurrency,
    items: suite.cases.map((c) => ({ case: c, system: suite.system ?? null, suiteName: suite.name, models })),
  };
}
