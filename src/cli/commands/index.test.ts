import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMAND_NAMES, registerCommands } from './index.ts';

const registered = async (argv: string[]) => {
  const program = new Command('tunekit');
  await registerCommands(program, argv);
  return program.commands.map((command) => command.name());
};

describe('registerCommands', () => {
  // A group that adds a command its `names` do not list would still work, but only by loading every
  // group (the fallback for unknown commands), which is the start-up cost the lazy loading avoids.
  it('registers, for help, exactly the commands the group table names, in its order', async () => {
    expect(await registered(['--help'])).toEqual(COMMAND_NAMES);
  });

  it('loads only the group of the command named on the command line', async () => {
    expect(await registered(['data', 'validate', 'x.jsonl', '--json'])).toEqual(['data']);
    expect(await registered(['--json', 'demo'])).toEqual(['watch', 'demo']);
    expect(await registered(['undeploy', 'name'])).toEqual(['deploy-model', 'undeploy']);
  });

  it('registers every group for a command it does not know, so commander can say so', async () => {
    expect(await registered(['nosuch'])).toEqual(COMMAND_NAMES);
  });
});
