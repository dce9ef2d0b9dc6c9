import { GetModelCustomizationJobCommand } from '@aws-sdk/client-bedrock';
import type { DescribeExecutionCommandOutput, ExecutionListItem } from '@aws-sdk/client-sfn';
import type { Command } from 'commander';
import type { AwsClients } from '../../aws/clients.ts';
import { executionJobNames } from '../../bedrock/names.ts';
import { loadConfig } from '../../config/load.ts';
import { ExitError, UsageError } from '../../errors.ts';
import { readStepProgress, type StepProgress } from '../../ops/training-progress.ts';
import { type RunValidation, runValidation, runWarnings } from '../../pipeline/run-validation.ts';
import { buildRunView, causeMessage, formatDuration, type StateRow } from '../../pipeline/run-view.ts';
import { executionArnFor, getRun, listRuns, resolveStateMachineArn, stopRun } from '../../pipeline/runs.ts';
import { teardown } from '../../pipeline/tasks/teardown.ts';
import { cliAwsClients } from '../aws-target.ts';
import { stdoutOutput, style, table } from '../output.ts';
import { formatSteps } from '../training-steps.ts';

/**
 * `tunekit runs list|show|watch|stop`: pipeline executions through the Step Functions API, so the same
 * commands read the local stack (`AWS_ENDPOINT_URL_SFN`, see `tunekit local env`) and AWS.
 */

interface Common {
  config?: string;
  stateMachine?: string;
  json?: boolean;
}

async function context(options: Common) {
  const { config, dir } = loadConfig({ explicitPath: options.config });
  const clients = cliAwsClients(config, dir);
  const sfn = clients.sfn;
  const arn = await resolveStateMachineArn(
    sfn,
    config.project,
    options.stateMachine ?? process.env.TUNEKIT_STATE_MACHINE_ARN,
  );
  return { sfn, stateMachineArn: arn, config, dir, clients };
}

/**
 * While a run trains: its job's step, epoch, loss and ETA (the job is named from the execution, as
 * ValidateTrainingData names it). Undefined when not training or no step metrics exist yet (on AWS
 * Bedrock writes them when the job ends).
 */
async function trainingSteps(
  clients: AwsClients,
  project: string,
  executionArn: string,
  rows: StateRow[],
): Promise<StepProgress | undefined> {
  const training = rows.find((r) => r.name === 'StartFineTuningJob' && r.status === 'running');
  if (!training) return undefined;
  try {
    const { jobName } = executionJobNames(project, executionArn);
    const job = await clients.bedrock.send(new GetModelCustomizationJobCommand({ jobIdentifier: jobName }));
    return await readStepProgress(clients, job, Date.now() - training.enteredAt.getTime());
  } catch {
    return undefined; // the job is not created yet (waiting for a slot) or not readable: no step figures
  }
}

const statusColor = (status: string | undefined) =>
  status === 'SUCCEEDED'
    ? style.green(status)
    : status === 'RUNNING'
      ? style.cyan(status)
      : style.red(String(status ?? '?'));

const when = (d: Date | undefined) => (d ? d.toISOString().replace('T', ' ').slice(0, 19) : '');

function renderList(runs: ExecutionListItem[]): string {
  if (runs.length === 0) return 'No runs yet. Upload training data (or `tunekit run <file>`) to start one.';
  const rows = runs.map((r) => [
    r.name ?? '',
    statusColor(r.status),
    when(r.startDate),
    r.stopDate && r.startDate ? formatDuration(r.stopDate.getTime() - r.startDate.getTime()) : '',
  ]);
  return table([['RUN', 'STATUS', 'STARTED (UTC)', 'TOOK'].map((h) => style.bold(h)), ...rows]);
}

const mark: Record<StateRow['status'], string> = { running: '…', succeeded: '✓', failed: '✗', caught: '!' };

const causeText = (cause: string | undefined) => (cause ? causeMessage(cause) : undefined);

export function renderRun(
  execution: DescribeExecutionCommandOutput,
  rows: StateRow[],
  now = new Date(),
  validation?: RunValidation,
  warnings: readonly string[] = [],
): string {
  const lines = [
    `${style.bold(execution.name ?? '')}  ${statusColor(execution.status)}  started ${when(execution.startDate)} UTC`,
    '',
  ];
  const start = execution.startDate?.getTime() ?? now.getTime();
  const states = rows.map((r) => {
    const icon =
      r.status === 'succeeded'
        ? style.green(mark[r.status])
        : r.status === 'running'
          ? style.cyan(mark[r.status])
          : style.red(mark[r.status]);
    const took = formatDuration((r.exitedAt ?? now).getTime() - r.enteredAt.getTime());
    const extra = [
      r.iterations
        ? `${r.iterations.done}/${r.iterations.started} cases${r.iterations.failed ? `, ${r.iterations.failed} failed` : ''}`
        : '',
      r.failures ? `${r.failures} failed attempt${r.failures > 1 ? 's' : ''}` : '',
    ]
      .filter(Boolean)
      .join(', ');
    return [`${icon} ${r.name}`, `+${formatDuration(r.enteredAt.getTime() - start)}`, took, extra];
  });
  lines.push(table([['STATE', 'AT', 'TOOK', ''].map((h) => style.bold(h)), ...states]));
  for (const r of rows.filter((row) => row.error && row.status !== 'succeeded')) {
    lines.push('', `${style.red(r.name)}: ${r.error}: ${causeText(r.cause) ?? ''}`);
  }
  if (execution.status === 'FAILED' || execution.status === 'ABORTED' || execution.status === 'TIMED_OUT') {
    lines.push(
      '',
      `${style.red(execution.status)} ${execution.error ?? ''}: ${causeText(execution.cause) ?? ''}`,
    );
  }
  if (validation) {
    const shown = validation.problems.length;
    lines.push(
      '',
      `${style.red(`${validation.dataUri} failed validation`)}: ${validation.errorCount} error${validation.errorCount === 1 ? '' : 's'}${validation.errorCount > shown ? ` (first ${shown} shown; \`tunekit data validate <file>\` lists all)` : ''}`,
    );
    for (const p of validation.problems)
      lines.push(
        `  ${p.line === undefined ? '' : `line ${p.line} `}${p.path ? `${p.path}: ` : ''}${p.message} [${p.code}] -> ${p.hint}`,
      );
  }
  if (warnings.length) lines.push('', ...warnings.map((w) => style.yellow(`pre-flight warning: ${w}`)));
  if (execution.output) lines.push('', renderOutcome(JSON.parse(execution.output)));
  return lines.join('\n');
}

/** The execution output of a finished run (the Notify summary), as a few readable lines. */
export function renderOutcome(o: Record<string, unknown>): string {
  const scores = (o.scores ?? {}) as Record<string, number>;
  const base = (o.baselineScores ?? {}) as Record<string, number>;
  const lines = [`Outcome: ${style.bold(String(o.outcome))}${o.version ? `  version ${o.version}` : ''}`];
  if (typeof o.trainingLoss === 'number') lines.push(`Training loss: ${o.trainingLoss.toFixed(4)}`);
  // Present when production was deployed next to the candidate and asked the same cases.
  const prod = o.productionScores as Record<string, number> | null | undefined;
  const signed = (a: number | undefined, b: number | undefined) =>
    a === undefined || b === undefined ? '' : `${a - b >= 0 ? '+' : ''}${(a - b).toFixed(3)}`;
  const dims = Object.keys(scores);
  if (dims.length) {
    // Rows: overall, the scoring dimensions, and "category <name>" (the suite's cases the gate compares).
    const head = ['SCORE', 'BASELINE', 'CANDIDATE', 'DELTA', ...(prod ? ['PRODUCTION', 'VS PROD'] : [])];
    lines.push(
      table([
        head.map((h) => style.bold(h)),
        ...dims.map((d) => [
          d,
          base[d]?.toFixed(3) ?? '-',
          scores[d]!.toFixed(3),
          signed(scores[d], base[d]),
          ...(prod ? [prod[d]?.toFixed(3) ?? '-', signed(scores[d], prod[d])] : []),
        ]),
      ]),
    );
  }
  if (typeof o.productionNote === 'string') lines.push(`Compared with production: ${o.productionNote}`);
  // Every gate check (pass and fail) as one line naming check, category, values and threshold; runs
  // recorded before checks carried their line fall back to the failed checks' reasons.
  const checks = (o.gateChecks ?? []) as { passed: boolean; line?: string; name: string; reason: string }[];
  if (checks.length) {
    lines.push('Gate:');
    for (const c of checks) {
      const line = c.line ?? `${c.passed ? 'pass' : 'FAIL'} ${c.name} — ${c.reason}`;
      lines.push(`  ${c.passed ? line : style.red(line)}`);
    }
  } else for (const r of (o.reasons as string[]) ?? []) lines.push(`  - ${r}`);
  if (o.reportUri)
    lines.push(`Report: ${o.reportUri}${o.htmlReportUri ? ` (HTML: ${o.htmlReportUri})` : ''}`);
  return lines.join('\n');
}

function withCommon(cmd: Command): Command {
  return cmd
    .option('-c, --config <file>', 'config file (default: tunekit.config.json|yaml in the current directory)')
    .option(
      '--state-machine <arn>',
      'state machine ARN (default: the one named <project>-pipeline; env TUNEKIT_STATE_MACHINE_ARN)',
    );
}

export function registerRuns(program: Command): void {
  const runs = program
    .command('runs')
    .description('List, inspect, follow and stop pipeline runs (Step Functions executions, local or on AWS)')
    .addHelpText(
      'after',
      '\nThe commands use the Step Functions API: against the local stack, export its endpoints first\n' +
        '(eval "$(tunekit local env)"), or set AWS credentials and region for AWS.\n\n' +
        'Examples:\n  $ tunekit runs list\n  $ tunekit runs show s3-train-3f2a9c1d0b4e5f60\n  $ tunekit runs watch <run>\n  $ tunekit runs stop <run> --cause "wrong data"',
    );

  withCommon(runs.command('list'))
    .description('List recent runs, newest first')
    .option('-n, --limit <n>', 'how many runs to show', '20')
    .option('--json', 'print the runs as JSON')
    .addHelpText('after', '\nExamples:\n  $ tunekit runs list\n  $ tunekit runs list --limit 5 --json')
    .action(async (options: Common & { limit: string }) => {
      const limit = Number.parseInt(options.limit, 10);
      if (!Number.isInteger(limit) || limit < 1)
        throw new UsageError(`--limit must be a positive integer, got "${options.limit}"`);
      const { sfn, stateMachineArn } = await context(options);
      const items = await listRuns(sfn, stateMachineArn, limit);
      if (options.json) return stdoutOutput.json(items);
      stdoutOutput.line(renderList(items));
    });

  withCommon(runs.command('show'))
    .argument('<run>', 'run name (from `tunekit runs list`) or execution ARN')
    .description('Show a run: each state with its status, times, retries and errors, and the outcome')
    .option('--json', 'print the execution, its states and its history as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  $ tunekit runs show s3-train-3f2a9c1d0b4e5f60\n  $ tunekit runs show <run> --json | jq .execution.output',
    )
    .action(async (ref: string, options: Common) => {
      const { sfn, stateMachineArn } = await context(options);
      const { execution, events, mapRuns } = await getRun(sfn, executionArnFor(stateMachineArn, ref));
      const rows = buildRunView(events, mapRuns);
      const validation = runValidation(events);
      const warnings = runWarnings(events);
      if (options.json) {
        const { $metadata: _, ...rest } = execution;
        return stdoutOutput.json({
          execution: rest,
          states: rows,
          ...(validation ? { validation } : {}),
          warnings,
          events,
        });
      }
      stdoutOutput.line(renderRun(execution, rows, new Date(), validation, warnings));
    });

  withCommon(runs.command('watch'))
    .argument('<run>', 'run name or execution ARN')
    .description('Follow a run until it ends; exits 0 if it succeeded, 1 otherwise')
    .option('--interval <ms>', 'how often to poll', '1000')
    .addHelpText('after', '\nExamples:\n  $ tunekit runs watch s3-train-3f2a9c1d0b4e5f60')
    .action(async (ref: string, options: Common & { interval: string }) => {
      const interval = Number.parseInt(options.interval, 10);
      if (!Number.isInteger(interval) || interval < 100)
        throw new UsageError('--interval must be at least 100 (ms)');
      const { sfn, stateMachineArn, clients, config } = await context(options);
      const arn = executionArnFor(stateMachineArn, ref);
      let printed = 0;
      let lastStep: number | undefined;
      for (;;) {
        const { execution, events, mapRuns } = await getRun(sfn, arn);
        const rows = buildRunView(events, mapRuns);
        const steps = await trainingSteps(clients, config.project, arn, rows);
        if (stdoutOutput.isTTY) {
          process.stdout.write('\u001b[2J\u001b[H');
          stdoutOutput.line(renderRun(execution, rows));
          if (steps) stdoutOutput.line(`training: ${formatSteps(steps)}`);
        } else {
          // Plain lines for logs and CI: each state once when it starts, training progress as it changes,
          // and the end.
          for (const row of rows.slice(printed)) stdoutOutput.line(`${when(row.enteredAt)}  ${row.name}`);
          printed = rows.length;
          // A line per new step (not per poll: the ETA alone changes every time).
          if (steps && steps.step !== lastStep)
            stdoutOutput.line(`${when(new Date())}  training: ${formatSteps(steps)}`);
          lastStep = steps?.step ?? lastStep;
        }
        if (execution.status !== 'RUNNING') {
          if (!stdoutOutput.isTTY) stdoutOutput.line(renderRun(execution, rows));
          if (execution.status !== 'SUCCEEDED') throw new ExitError(1);
          return;
        }
        await new Promise((r) => setTimeout(r, interval));
      }
    });

  withCommon(runs.command('stop'))
    .argument('<run>', 'run name or execution ARN')
    .description('Stop a running run, then delete its evaluation deployment (what Teardown would have done)')
    .option('--cause <text>', 'why, recorded with the run')
    .option(
      '--no-teardown',
      'leave the evaluation deployments / Provisioned Throughput (candidate and production) in place',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  $ tunekit runs stop s3-train-3f2a9c1d0b4e5f60 --cause "uploaded the wrong file"',
    )
    .action(async (ref: string, options: Common & { cause?: string; teardown: boolean }) => {
      const { sfn, stateMachineArn, config, dir } = await context(options);
      const arn = executionArnFor(stateMachineArn, ref);
      const stopped = await stopRun(sfn, arn, options.cause);
      stdoutOutput.line(`stopped ${arn.split(':').pop()} at ${when(stopped)} UTC`);
      if (!options.teardown) return;
      // A stopped execution never reaches its Teardown state; the handler is a plain function, so run it here.
      const clients = cliAwsClients(config, dir);
      const { deleted } = await teardown({ executionArn: arn }, { config, clients, configDir: dir });
      stdoutOutput.line(
        deleted.length ? deleted.map((d) => `deleted ${d.mode} ${d.arn}`).join('\n') : 'nothing to tear down',
      );
    });
}
