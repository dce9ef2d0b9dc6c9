import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { ModelRef } from '../../evaluation/index.ts';
import { getModel } from '../../models/catalog.ts';
import { EVALUATIONS_PREFIX } from '../definition.ts';
import { readProjectSuite } from '../suite-source.ts';
import type { TaskContext } from './context.ts';
import type { EvaluationDeployments } from './deploy-for-evaluation.ts';

/**
 * PlanEvaluation: loads the suite and decides who answers it — the base model (baseline), the candidate
 * and, when DeployForEvaluation deployed the `production` version next to it, production.
 * The cases go to S3 (`evaluations/<execution>/items.json`, one Map item per case, and the suite itself
 * for ScoreEvaluation), never into the state: the Evaluate Distributed Map reads them from there, so the
 * state carries keys and counts only, whatever the suite's size (Step Functions' 256 KiB limit).
 */

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
  input: { deployment: EvaluationDeployments; executionName: string; validation?: { dataUri?: string } },
  ctx: TaskContext,
): Promise<EvaluationPlan> {
  // On AWS the suite lives in the bucket (a Lambda has no project directory); without one, the
  // held-out slice of the uploaded data. projectSuite also warns when the suite does not fit the data.
  const dataUri = input.validation?.dataUri;
  const { suite: loaded, notes } = await readProjectSuite(ctx, dataUri);
  for (const note of notes) ctx.log?.(note);
  // The notes travel in the suite's description, which the report snapshots and shows.
  const suite = notes.length
    ? {
        ...loaded,
        description: [loaded.description, ...notes.filter((n) => n !== loaded.description)]
          .filter(Boolean)
          .join(' '),
      }
    : loaded;
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
