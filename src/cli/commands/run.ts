import type { Command } from 'commander';
import { loadConfig } from '../../config/load.ts';
import { resolveStateMachineArn } from '../../pipeline/runs.ts';
import { startManualRun } from '../../pipeline/start-run.ts';
import { cliAwsClients } from '../aws-target.ts';
import { stdoutOutput } from '../output.ts';

/**
 * `tunekit run [s3-uri|file]`: start a pipeline run by hand — on an S3 object, on a local file (uploaded
 * first), or on the newest training file under the trigger prefix. Returns once the run has started.
 */
export function registerRun(program: Command): void {
  program
    .command('run')
    .argument(
      '[data]',
      's3://bucket/key, a local JSONL file to upload, or nothing for the newest file under data.prefix',
    )
    .description('Start a pipeline run by hand (local stack or AWS, through the Step Functions API)')
    .option('-c, --config <file>', 'config file (default: tunekit.config.json|yaml in the current directory)')
    .option('--state-machine <arn>', 'state machine ARN (default: the one named <project>-pipeline)')
    .option(
      '--force',
      'retrain even if identical data was already trained with the same settings (the run name gets a "-force-<time>" suffix)',
    )
    .option('--json', 'print {name, started, executionArn, data, reason} as JSON')
    .addHelpText(
      'after',
      '\nA local file is uploaded to s3://<bucket>/manual-uploads/ (outside the trigger prefix, so the\n' +
        'S3 trigger does not start a second run). Follow the run with `tunekit runs watch <name>`.\n' +
        "Runs are named by their content (the data's ETag and size, and the training settings): data already\n" +
        'trained with the same settings starts nothing and names the run that trained it; --force retrains.\n\n' +
        'Examples:\n  $ tunekit run ./train.jsonl\n  $ tunekit run s3://tunekit-local/training-data/train.jsonl\n  $ tunekit run            # newest file under training-data/',
    )
    .action(
      async (
        data: string | undefined,
        options: { config?: string; stateMachine?: string; json?: boolean; force?: boolean },
      ) => {
        const { config, dir } = loadConfig({ explicitPath: options.config });
        const clients = cliAwsClients(config, dir);
        const stateMachineArn = await resolveStateMachineArn(
          clients.sfn,
          config.project,
          options.stateMachine ?? process.env.TUNEKIT_STATE_MACHINE_ARN,
        );
        const run = await startManualRun(clients, config, stateMachineArn, data, {
          force: Boolean(options.force),
        });
        if (options.json) return stdoutOutput.json(run);
        stdoutOutput.line(
          run.started
            ? `started ${run.name} on ${run.data}\nfollow it: tunekit runs watch ${run.name}`
            : `${run.reason}\nsee it: tunekit runs show ${run.name}`,
        );
      },
    );
}
