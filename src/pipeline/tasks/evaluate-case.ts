import { type EvalCase, type ModelRef, runEvaluation } from '../../evaluation/index.ts';
import type { TaskContext } from './context.ts';

/**
 * EvaluateCase (one Map iteration): every model answers one case, scored by the evaluation module.
 * A model error is a recorded result, not a failure of the state (the evaluation runner never throws
 * for one bad answer), so one flaky case cannot fail the whole evaluation.
 */
export async function evaluateCase(
  input: { item: { case: EvalCase; system: string | null; suiteName: string; models: ModelRef[] } },
  ctx: TaskContext,
) {
  const { item } = input;
  const run = await runEvaluation({
    suite: { name: item.suiteName, ...(item.system ? { system: item.system } : {}), cases: [item.case] },
    models: item.models,
    clients: ctx.clients,
    concurrency: item.models.length,
    maxTokens: ctx.config.evaluation.maxTokens,
    ...(ctx.config.evaluation.judgeModel ? { judgeModel: ctx.config.evaluation.judgeModel } : {}),
  });
  return {
    caseId: item.case.id,
    judge: run.judge,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    results: run.results,
  };
}
