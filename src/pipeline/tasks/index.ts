import type { TaskHandlerName } from '../definition.ts';
import { checkDeployment } from './check-deployment.ts';
import type { TaskContext } from './context.ts';
import { deployForEvaluation } from './deploy-for-evaluation.ts';
import { evaluateCase } from './evaluate-case.ts';
import { notifyOutcome } from './notify-outcome.ts';
import { planEvaluation } from './plan-evaluation.ts';
import { promoteModel } from './promote-model.ts';
import { registerModel } from './register-model.ts';
import { scoreEvaluation } from './score-evaluation.ts';
import { teardown } from './teardown.ts';
import { validateTrainingData } from './validate-training-data.ts';

/**
 * Every Task handler by name (the `handler` column of PIPELINE_TASKS). Each is a plain async function of
 * (payload, context): the local runner calls it in-process, a Lambda entry calls it with the event.
 */
export const TASKS: Record<TaskHandlerName, (payload: never, ctx: TaskContext) => Promise<unknown>> = {
  validateTrainingData,
  deployForEvaluation,
  checkDeployment,
  planEvaluation,
  evaluateCase,
  scoreEvaluation,
  registerModel,
  promoteModel,
  teardown,
  notify: notifyOutcome,
};

export type { TaskContext } from './context.ts';
export { createModelCustomizationJobSync } from './train-sync.ts';
