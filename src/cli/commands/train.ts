import type { Command } from 'commander';
import { parseHpFlags } from '../../bedrock/hyperparameters.ts';
import type { InvocationLogsSource } from '../../bedrock/prepare-job.ts';
import { loadConfig } from '../../config/load.ts';
import type { Config } from '../../config/schema.ts';
import { ExitError, UsageError } from '../../errors.ts';
import { failureHint, type JobProgress, startTraining, waitForJob } from '../../ops/train.ts';
import { formatDuration } from '../../pipeline/run-view.ts';
import { cliAwsClients } from '../aws-target.ts';
import { stdoutOutput, style } from '../output.ts';
import { formatSteps } from '../training-steps.ts';
import { type InvocationLogFlags, invocationLogSelection } from './data-invocation-logs.ts';

/** `tunekit train [file|s3-uri]`: the tutorial's Lab 2 in one command, with a live view until the job ends. */

interface TrainFlags extends Omit<InvocationLogFlags, 'teacher'> {
  invocationLogs?: string | true;
  config?: string;
  hp: string[];
  wait: boolean;
  interval: string;
  slotWait: string;
  graderArn?: string;
  json?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/**
 * The invocation logs to distill from: `--invocation-logs [uri]`, or the config's
 * customization.distillation.invocationLogs when no data file is named; flags override its selection.
 */
function invocationLogsSource(
  data: string | undefined,
  flags: TrainFlags,
  config: Config,
): InvocationLogsSource | undefined {
  const configured = config.customization.distillation?.invocationLogs;
  if (flags.invocationLogs === undefined && (data !== undefined || !configured)) {
    if (flags.usePromptResponse || flags.metadataFilter !== undefined)
      throw new UsageError('--use-prompt-response and --metadata-filter apply to --invocation-logs only');
    return undefined;
  }
  if (data !== undefined)
    throw new UsageError(
      `both a data file (${data}) and --invocation-logs were given`,
      'train on one of them: the file, or the invocation logs',
    );
  const s3Uri = typeof flags.invocationLogs === 'string' ? flags.invocationLogs : configured?.s3Uri;
  if (!s3Uri)
    throw new UsageError(
      '--invocation-logs needs the S3 prefix of the logs',
      'pass --invocation-logs s3://bucket/prefix/ or set customization.distillation.invocationLogs.s3Uri',
    );
  if (!/^s3:\/\/[^/]+/.test(s3Uri))
    throw new UsageError(
      `--invocation-logs takes the S3 prefix Bedrock writes the logs to, got "${s3Uri}"`,
      'e.g. --invocation-logs s3://my-logs/AWSLogs/123456789012/BedrockModelInvocationLogs/ (validate a local copy with `tunekit data validate <folder>`)',
    );
  const { usePromptResponse, requestMetadataFilters } = invocationLogSelection(flags, config);
  return {
    s3Uri,
    usePromptResponse: usePromptResponse ?? false,
    ...(requestMetadataFilters ? { requestMetadataFilters } : {}),
  };
}

function progressLine(p: JobProgress): string {
  const loss = p.trainingLoss === undefined ? '' : `  training loss ${p.trainingLoss.toFixed(4)}`;
  const vloss = p.validationLoss === undefined ? '' : `  validation loss ${p.validationLoss.toFixed(4)}`;
  const s = p.steps;
  const live = s
    ? `  ${formatSteps(s)}`
    : p.status === 'InProgress'
      ? '  (no step metrics yet: Bedrock writes them when the job ends, so on AWS only the elapsed time shows)'
      : '';
  return `${p.status.padEnd(10)} ${formatDuration(p.elapsedMs)}${live}${loss}${vloss}`;
}

/** Plain (non-TTY) output: a line when the status changes, and a progress line at most this often. */
const PLAIN_PROGRESS_EVERY_MS = 2000;

export function registerTrain(program: Command): void {
  program
    .command('train')
    .description(
      'Upload (if local), validate and start a customization job (the configured method: fine-tuning, distillation or reinforcement), then follow it to the end',
    )
    .argument(
      '[data]',
      'a local JSONL file (uploaded to the bucket) or an s3:// URI; default: newest file under data.prefix',
    )
    .option('-c, --config <file>', 'config file (default: tunekit.config.json|yaml in the current directory)')
    .option(
      '--hp <key=value>',
      'override a hyperparameter (repeatable); checked against the model range',
      collect,
      [],
    )
    .option(
      '--grader-arn <arn>',
      'reinforcement on AWS: the Lambda function ARN of your grader (the stack deploys it); the local stack needs none',
    )
    .option(
      '--invocation-logs [s3-uri]',
      'distillation: train on model invocation logs at this S3 prefix instead of a data file (default with no data argument: customization.distillation.invocationLogs.s3Uri)',
    )
    .option(
      '--use-prompt-response',
      "invocation logs: train on the teacher's logged answers instead of having it answer the prompts again",
    )
    .option(
      '--metadata-filter <json>',
      'invocation logs: requestMetadataFilters, e.g. \'{"equals": {"use": "distill"}}\'',
    )
    .option('--no-wait', 'return as soon as the job is created')
    .option(
      '--interval <ms>',
      'how often to poll the job (also the first retry delay while waiting for a job slot)',
      '30000',
    )
    .option(
      '--slot-wait <minutes>',
      "how long to wait for a free job slot when the account is at Bedrock's limit of 2 concurrent jobs (0: fail at once)",
      '360',
    )
    .option('--json', 'print the job (and its final state) as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ tunekit train ./train.jsonl
  $ tunekit train s3://my-bucket/training-data/train.jsonl --hp epochCount=3 --hp learningRate=0.00005
  $ tunekit train ./train.jsonl --no-wait --json   # prints the job ARN and returns
  $ tunekit train --invocation-logs s3://my-logs/AWSLogs/123456789012/BedrockModelInvocationLogs/ \\
      --use-prompt-response --metadata-filter '{"equals": {"use": "distill"}}'   # method "distillation"

Ctrl-C stops watching only: the job keeps running (and billing) on Bedrock.
Exit codes: 0 job completed (or created, with --no-wait), 1 invalid data or job failed/stopped, 2 bad flags.`,
    )
    .action(async (data: string | undefined, flags: TrainFlags) => {
      const interval = Number.parseInt(flags.interval, 10);
      if (!Number.isInteger(interval) || interval < 10)
        throw new UsageError(`--interval must be at least 10 (ms), got "${flags.interval}"`);
      const slotWaitMinutes = Number(flags.slotWait);
      if (!Number.isFinite(slotWaitMinutes) || slotWaitMinutes < 0)
        throw new UsageError(`--slot-wait must be a number of minutes >= 0, got "${flags.slotWait}"`);
      const hp = parseHpFlags(flags.hp);
      const { config, dir } = loadConfig({ explicitPath: flags.config });
      const invocationLogs = invocationLogsSource(data, flags, config);
      const clients = cliAwsClients(config, dir);
      const out = stdoutOutput;
      const start = await startTraining(config, clients, {
        target: data,
        ...(invocationLogs ? { invocationLogs } : {}),
        configDir: dir,
        hyperparameters: hp,
        ...(flags.graderArn ? { graderArn: flags.graderArn } : {}),
        slotWait: { maxWaitMs: slotWaitMinutes * 60_000, firstDelayMs: interval },
        log: (line) => out.error(`… ${line}`),
      });
      const v = start.validation;
      if (!start.started) {
        if (flags.json) out.json({ started: false, validation: v });
        else {
          out.error(
            style.red(
              `✗ ${v.dataUri} is not valid training data for ${v.model.name} (${v.errorCount} errors)`,
            ),
          );
          for (const e of v.errors) {
            out.error(
              `  ${'file' in e && e.file ? `${e.file}:${e.line ?? ''}` : `line ${e.line}`}${e.path ? ` ${e.path}` : ''}: ${e.message}${e.hint ? `\n    hint: ${e.hint}` : ''}`,
            );
          }
          out.error(
            'No job was created. Fix the lines above (`tunekit data validate <file>` checks locally).',
          );
        }
        throw new ExitError(1);
      }
      const summary = {
        jobArn: start.jobArn,
        jobName: start.jobName,
        customModelName: start.customModelName,
        trainingS3Uri: start.trainingS3Uri,
        records: v.records,
        customizationType: start.customizationType,
        ...(start.customizationConfig ? { customizationConfig: start.customizationConfig } : {}),
        hyperParameters: start.hyperParameters,
      };
      if (!flags.json) {
        out.error(`✓ ${v.dataUri}: ${v.records} valid records for ${v.model.name}`);
        out.error(`✓ job ${start.jobName} created: ${start.jobArn}`);
        out.error(`  method: ${start.customizationType}`);
        if (start.customizationConfig) out.error(`  ${JSON.stringify(start.customizationConfig)}`);
        if (Object.keys(start.hyperParameters).length)
          out.error(
            `  hyperparameters: ${Object.entries(start.hyperParameters)
              .map(([k, val]) => `${k}=${val}`)
              .join(' ')}`,
          );
      }
      if (!flags.wait) {
        if (flags.json) out.json({ started: true, ...summary });
        else out.line(start.jobArn);
        return;
      }
      const tty = Boolean(process.stderr.isTTY) && !flags.json;
      let last = '';
      let lastStep: number | undefined;
      let printedAt = 0;
      const final = await waitForJob(
        clients,
        start.jobArn,
        (p) => {
          const line = progressLine(p);
          const advanced = p.steps !== undefined && p.steps.step !== lastStep;
          if (tty) process.stderr.write(`\r\u001b[2K${line}`);
          else if (
            !flags.json &&
            (p.status !== last || (advanced && Date.now() - printedAt >= PLAIN_PROGRESS_EVERY_MS))
          ) {
            out.error(line);
            printedAt = Date.now();
            lastStep = p.steps?.step;
          }
          last = p.status;
        },
        interval,
        v.records,
      );
      if (tty) process.stderr.write('\n');
      if (flags.json) out.json({ started: true, ...summary, final });
      if (final.status === 'Completed') {
        if (!flags.json) {
          out.error(style.green(`✓ Completed in ${formatDuration(final.elapsedMs)}`));
          out.line(final.outputModelArn ?? '');
        }
        return;
      }
      if (!flags.json) {
        out.error(style.red(`✗ job ${final.status}: ${final.failureMessage ?? 'no failure message'}`));
        out.error(`  hint: ${failureHint(final.failureMessage)}`);
      }
      throw new ExitError(1);
    });
}
