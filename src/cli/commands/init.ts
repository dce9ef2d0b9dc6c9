import type { Command } from 'commander';
import { initProject } from '../../config/init.ts';
import { stdoutOutput, style } from '../output.ts';

export function registerInit(program: Command): void {
  program
    .command('init')
    .description('Scaffold a tunekit project: config, a sample training file and an evaluation suite')
    .argument('[dir]', 'directory to create the project in', '.')
    .option('--force', 'overwrite files that already exist')
    .addHelpText(
      'after',
      '\nExamples:\n  $ tunekit init my-assistant\n  $ cd my-assistant && tunekit data validate data/train.jsonl',
    )
    .action((dir: string, options: { force?: boolean }) => {
      const result = initProject(dir, { force: Boolean(options.force) });
      for (const file of result.written) stdoutOutput.line(`${style.green('created')} ${file}`);
      stdoutOutput.line(`\nNext: cd ${dir} && tunekit data validate data/train.jsonl`);
    });
}
