import type { Command } from 'commander';
import { loadConfig } from '../../config/load.ts';
import { pollWaitOverrides } from '../../pipeline/definition.ts';
import { stdoutOutput, style } from '../output.ts';
import { progressPrinter } from '../pipeline-progress.ts';
import { startPipelineStack } from '../pipeline-stack.ts';
import { registerDemo } from './demo.ts';
import { intFlag } from './local.ts';

/**
 * `tunekit watch`: the local stack with the pipeline and its triggers, in the foreground, printing each
 * run's progress. Upload to s3://<bucket>/<data.prefix>*<data.suffix> (any S3 client) to start a run.
 */

export function registerWatch(program: Command): void {
  program
    .command('watch')
    .description(
      'Run the local stack with the pipeline and its triggers in the foreground, showing live progress',
    )
    .option('-c, --config <file>', 'config file (default: tunekit.config.json|yaml in the current directory)')
    .option('-p, --port <port>', 'port on 127.0.0.1 (default: config local.port, 4599)')
    .option(
      '-d, --data-dir <dir>',
      'where the stack keeps its state (default: config local.dataDir, .tunekit)',
    )
    .option('--fast', 'poll deployments and retry every second instead of AWS-like intervals')
    .addHelpText(
      'after',
      '\nThe stack serves S3, Bedrock and Step Functions on one port; `tunekit local env` prints the\n' +
        'endpoints for SDKs, boto3 and the AWS CLI. An upload under data.prefix ending in data.suffix\n' +
        '(default training-data/*.jsonl) starts a run; the same upload delivered twice starts one.\n\n' +
        'Examples:\n  $ tunekit watch\n  $ eval "$(tunekit local env)"; aws s3 cp train.jsonl s3://tunekit-local/training-data/train.jsonl\n' +
        '  $ tunekit runs list',
    )
    .action(async (options: { config?: string; port?: string; dataDir?: string; fast?: boolean }) => {
      const { config, dir } = loadConfig({ explicitPath: options.config });
      const port = intFlag('--port', options.port, 0, 65535) ?? config.local.port;
      const log = (line: string) => process.stderr.write(`${line}\n`);
      const fast = options.fast ? pollWaitOverrides(1000) : undefined;
      const p = await startPipelineStack({
        config,
        configDir: dir,
        dataDir: options.dataDir ?? config.local.dataDir,
        port,
        jobEvents: true,
        log: (line) => log(style.dim(`[stack] ${line}`)),
        ...(fast ? { waitTimeOverrides: fast } : {}),
      });
      p.sfn.service.onEvent(progressPrinter(stdoutOutput.line));
      stdoutOutput.line(
        `tunekit stack on ${p.stack.endpoint} (S3, Bedrock, Step Functions); state machine ${p.stateMachineArn}\n` +
          `watching s3://${config.bucket}/${config.data.prefix}*${config.data.suffix} — Ctrl-C to stop`,
      );
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          stdoutOutput.line('stopping…');
          void p.stop().then(resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
  registerDemo(program);
}
