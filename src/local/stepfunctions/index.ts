/**
 * The local Step Functions, as the local stack plugs it in: `registerService('states', sfn.handle)`.
 * The CLI registers Task handlers on `sfn.service.tasks` and state machines with `putStateMachine`.
 */
import { createStepFunctionsHandler } from './api.ts';
import { type StepFunctionsOptions, StepFunctionsService } from './service.ts';

export type { ExecutionRecord, ExecutionStatus, HistoryEvent } from './execution-store.ts';
export { SfnError, type StepFunctionsOptions, StepFunctionsService } from './service.ts';
export { stateError, type TaskFunction, type TaskMeta, TaskRegistry } from './task-registry.ts';

export function createStepFunctions(options: StepFunctionsOptions) {
  const service = new StepFunctionsService(options);
  return { service, handle: createStepFunctionsHandler(service) };
}
export type LocalStepFunctions = ReturnType<typeof createStepFunctions>;
