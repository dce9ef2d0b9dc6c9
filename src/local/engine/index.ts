/** The local training engine: `createLocalEngine()` implements the TrainingEngine port. */

export type * from './engine.port.ts';
export { createLocalEngine } from './engine.ts';
export { planTraining, type TrainingPlan } from './hyperparameters.ts';
