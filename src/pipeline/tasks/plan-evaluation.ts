import { GetObjectCommand } from '@aws-sdk/client-s3';
import { type ModelRef, projectSuite } from '../../evaluation/index.ts';
import { getModel } from '../../models/catalog.ts';
import { parseS3Uri, type TaskContext } from './context.ts';
import type { EvaluationDeployments } from './deploy-for-evaluation.ts';

/**
 * PlanEvaluation: loads the suite and decides who answers it — the base model (baseline), the candidate
 * and, when DeployForEvaluation deployed the `production` version next to it, production.
 * The Map state then fans the cases out with the configured concurrency.
 */

async function readS3Text(ctx: TaskContext, uri: string): Promise<string> {
  const s3 = parseS3Uri(uri)!;
  const object = await ctx.clients.s3.send(new GetObjectCommand({ Bucket: s3.bucket, Key: s3.key }));
  return object.Body!.transformToString();
}

export async function planEvaluation(
  input: { deployment: EvaluationDeployments; validation?: { dataUri?: string } },
  ctx: TaskContext,
) {
  // On AWS the suite lives in the bucket (a Lambda has no project directory); without one, the
  // held-out slice of the uploaded data. projectSuite also warns when the suite does not fit the data.
  const dataUri = input.validation?.dataUri;
  const { suite: loaded, notes } = await projectSuite({
    suite: ctx.config.evaluation.suite,
    configDir: ctx.configDir,
    readS3: (uri) => readS3Text(ctx, uri),
    ...(dataUri ? { trainingText: await readS3Text(ctx, dataUri), trainingName: dataUri } : {}),
  });
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
  return {
    suite,
    models,
    productionNote: input.deployment.productionNote ?? 'production was not deployed for this evaluation',
    concurrency: ctx.config.evaluation.concurrency,
    items: suite.cases.map((c) => ({ case: c, system: suite.system ?? null, suiteName: suite.name, models })),
  };
}
