import { isAbsolute, resolve } from 'node:path';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { type EvalSuite, loadSuite, type ModelRef, parseSuite } from '../../evaluation/index.ts';
import { getModel } from '../../models/catalog.ts';
import { EVALUATIONS_PREFIX } from '../definition.ts';
import { parseS3Uri, type TaskContext } from './context.ts';
import type { EvaluationDeployments } from './deploy-for-evaluation.ts';

/**
 * PlanEvaluation: loads the suite and decides who answers it — the base model (baseline), the candidate
 * and, when DeployForEvaluation deployed the `production` version next to it, production.
 * The cases go to S3 (`evaluations/<execution>/items.json`, one Map item per case, and the suite itself
 * for ScoreEvaluation), never into the state: the Evaluate Distributed Map reads them from there, so the
 * state carries keys and counts only, whatever the suite's size (Step Functions' 256 KiB limit).
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

export interface EvaluationPlan {
  bucket: string;
  /** JSON array of Map items: `{case, system, suiteName, models}`. */
  itemsKey: string;
  /** The suite as loaded, for ScoreEvaluation's report. */
  suiteKey: string;
  suiteName: string;
  caseCount: number;
  models: ModelRef[];
  productionNote: string;
  concurrency: number;
}

export async function planEvaluation(
  input: { deployment: EvaluationDeployments; executionName: string },
  ctx: TaskContext,
): Promise<EvaluationPlan> {
  const suite = await readSuite(ctx);
  const production = input.deployment.production;
  const models: ModelRef[] = [
    { label: 'baseline', modelId: getModel(ctx.config.baseModel).invokeId },
    { label: 'candidate', modelId: input.deployment.arn },
    ...(production ? [{ label: 'production', modelId: production.arn }] : []),
  ];
  const bucket = ctx.config.bucket;
  const prefix = `${EVALUATIONS_PREFIX}${input.executionName}/`;
  const put = (key: string, value: unknown) =>
    ctx.clients.s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: JSON.stringify(value),
        ContentType: 'application/json',
      }),
    );
  const items = suite.cases.map((c) => ({
    case: c,
    system: suite.system ?? null,
    suiteName: suite.name,
    models,
  }));
  await put(`${prefix}items.json`, items);
  await put(`${prefix}suite.json`, suite);
  return {
    bucket,
    itemsKey: `${prefix}items.json`,
    suiteKey: `${prefix}suite.json`,
    suiteName: suite.name,
    caseCount: suite.cases.length,
    models,
    productionNote: input.deployment.productionNote ?? 'production was not deployed for this evaluation',
    concurrency: ctx.config.evaluation.concurrency,
  };
}
