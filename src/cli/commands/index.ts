import type { Command } from 'commander';
import { registerCleanup } from './cleanup.ts';
import { registerData } from './data.ts';
import { registerDeployModel } from './deploy-model.ts';
import { registerDoctor } from './doctor.ts';
import { registerEval } from './eval.ts';
import { registerInit } from './init.ts';
import { registerLocal } from './local.ts';
import { registerModels } from './models.ts';
import { registerRegistry } from './registry.ts';
import { registerRun } from './run.ts';
import { registerRuns } from './runs.ts';
import { registerSetup } from './setup.ts';
import { registerStack } from './stack.ts';
import { registerTrain } from './train.ts';
import { registerWatch } from './watch.ts';

/**
 * Every command group registers itself here, in the order `tunekit --help` lists them.
 * A group is one file exporting `register<Name>(program)`; commands stay thin: parse -> call -> print.
 */
export function registerCommands(program: Command): void {
  registerInit(program);
  registerModels(program);
  registerData(program);
  registerRegistry(program);
  registerEval(program);
  registerLocal(program);
  registerRun(program);
  registerRuns(program);
  registerWatch(program);
  registerDoctor(program);
  registerSetup(program);
  registerTrain(program);
  registerDeployModel(program);
  registerCleanup(program);
  registerStack(program);
}
