import type { Command } from 'commander';

type Register = (program: Command) => void;

/**
 * Every command group, in the order `tunekit --help` lists them: the names it adds and how to load it.
 * A group is one file exporting `register<Name>(program)`; commands stay thin: parse -> call -> print.
 * Groups load on demand, so `tunekit data validate` does not pay (in start-up time and memory) for the
 * local stack, the CDK app or the AWS SDK clients that other commands need.
 */
const GROUPS: { names: string[]; load: () => Promise<Register> }[] = [
  { names: ['init'], load: async () => (await import('./init.ts')).registerInit },
  { names: ['models'], load: async () => (await import('./models.ts')).registerModels },
  { names: ['data'], load: async () => (await import('./data.ts')).registerData },
  { names: ['registry'], load: async () => (await import('./registry.ts')).registerRegistry },
  { names: ['eval'], load: async () => (await import('./eval.ts')).registerEval },
  { names: ['local'], load: async () => (await import('./local.ts')).registerLocal },
  { names: ['run'], load: async () => (await import('./run.ts')).registerRun },
  { names: ['runs'], load: async () => (await import('./runs.ts')).registerRuns },
  { names: ['ui'], load: async () => (await import('./ui.ts')).registerUi },
  { names: ['watch', 'demo'], load: async () => (await import('./watch.ts')).registerWatch },
  { names: ['doctor'], load: async () => (await import('./doctor.ts')).registerDoctor },
  { names: ['setup'], load: async () => (await import('./setup.ts')).registerSetup },
  { names: ['train'], load: async () => (await import('./train.ts')).registerTrain },
  {
    names: ['deploy-model', 'undeploy'],
    load: async () => (await import('./deploy-model.ts')).registerDeployModel,
  },
  { names: ['cleanup'], load: async () => (await import('./cleanup.ts')).registerCleanup },
  { names: ['deploy', 'destroy'], load: async () => (await import('./stack.ts')).registerStack },
];

/** Registers the group the command line names, or every group (for help and unknown commands). */
export async function registerCommands(program: Command, argv: readonly string[]): Promise<void> {
  const first = argv.find((arg) => !arg.startsWith('-'));
  const named = GROUPS.filter((group) => first !== undefined && group.names.includes(first));
  for (const group of named.length > 0 ? named : GROUPS) (await group.load())(program);
}

export const COMMAND_NAMES = GROUPS.flatMap((group) => group.names);
