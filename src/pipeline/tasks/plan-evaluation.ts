import { isAbsolute, resolve } from 'node:path';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { type EvalSuite, loadSuite, type ModelRef, parseSuite } from '../../evaluation/index.ts';
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
  // Same checks as a local file (syntax with its position, schema, unique ids, compilable patterns).
  const object = await ctx.clients.s3.send(new GetObjectCommand({ Bucket: s3.bucket, Key: s3.key }));
  return parseSuite(where, await object.Body!.transformToString());
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
