import type { ModelRef } from '../../evaluation/index.ts';
import { getModel } from '../../models/catalog.ts';
import { readSuite } from '../suite-source.ts';
import type { TaskContext } from './context.ts';
import type { EvaluationDeployments } from './deploy-for-evaluation.ts';

/**
 * PlanEvaluation: loads the suite and decides who answers it — the base model (baseline), the candidate
 * and, when DeployForEvaluation deployed the `production` version next to it, production.
 * The Map state then fans the cases out with the configured concurrency.
 */

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
