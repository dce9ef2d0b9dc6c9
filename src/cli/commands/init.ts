import type { Command } from 'commander';
import { INIT_METHODS, INIT_SAMPLES, initProject } from '../../config/init.ts';
import { stdoutOutput, style } from '../output.ts';

export function registerInit(program: Command): void {
  program
    .command('init')
    .description('Scaffold a tunekit project for your own data (named after the directory), or a sample one')
    .argument('[dir]', 'directory to create the project in', '.')
    .option(
      '--sample <name>',
      `also write a sample's training data and evaluation suite (${INIT_SAMPLES.join(', ')})`,
    )
    .option(
      '--method <method>',
      `how the model will be customized (${INIT_METHODS.join(', ')}); reinforcement scaffolds a grader with its test and sample data`,
    )
    .option('--force', 'overwrite files that already exist')
    .addHelpText(
      'after',
      '\nExamples:\n  $ tunekit init my-assistant && cd my-assistant   # then put your data in data/\n  $ tunekit init bank-demo --sample banking\n  $ tunekit init my-rft --method reinforcement && cd my-rft && node --test graders/',
    )
    .action((dir: string, options: { force?: boolean; sample?: string; method?: string }) => {
      const result = initProject(dir, {
        force: Boolean(options.force),
        ...(options.sample ? { sample: options.sample } : {}),
        ...(options.method ? { method: options.method } : {}),
      });
      for (const file of result.written) stdoutOutput.line(`${style.green('created')} ${file}`);
      stdoutOutput.line(`project "${result.project}"`);
      if (options.method === 'reinforcement') {
        stdoutOutput.line(
          `\nNext: cd ${dir} && node --test graders/   # your grader's test; then edit graders/grader.mjs for your task (docs/methods.md)`,
        );
        return;
      }
      stdoutOutput.line(
        options.sample
          ? `\nNext: cd ${dir} && tunekit data validate data/train.jsonl`
          : `\nNext: put your training data in ${dir}/data/train.jsonl (see data/README.md), then\n  cd ${dir} && tunekit data validate data/train.jsonl && tunekit demo --data data/train.jsonl`,
      );
    });
}
