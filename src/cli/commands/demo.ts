import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { Command } from 'commander';
import { loadConfig } from '../../config/load.ts';
import { ConfigSchema } from '../../config/schema.ts';
import { ExitError, TunekitError, UsageError } from '../../errors.ts';
import { pollWaitOverrides } from '../../pipeline/definition.ts';
import { contentRunName, trainingFingerprint } from '../../pipeline/run-name.ts';
import { parseS3Uri } from '../../pipeline/tasks/context.ts';
import { registryContext } from '../../pipeline/tasks/registry-context.ts';
import { PIPELINE_TASKS } from '../../pipeline/tasks-table.ts';
import { listVersions } from '../../registry/index.ts';
import { SAMPLES } from '../../samples.ts';
import { stdoutOutput, style } from '../output.ts';
import { progressPrinter } from '../pipeline-progress.ts';
import { startPipelineStack } from '../pipeline-stack.ts';
import { demoTrainingData } from './demo-data.ts';
import { renderOutcome } from './runs.ts';

/**
 * The main job (`npm start`): the whole loop on the local stack, in-process. Uploads the banking data
 * to the trigger prefix, lets the S3 trigger start the pipeline, shows its progress and ends with the
 * summary. The data dir persists (default .tunekit), so the next run retrains on all the data so far
 * (train.jsonl + train-more.jsonl, see demo-data.ts) and registers the next version.
 */

interface DemoOptions {
  config?: string;
  dataDir?: string;
  data?: string;
  timeout: string;
}

/** Fast, test-sized waits: the local stack answers in milliseconds, not AWS's minutes. */
const FAST = {
  waitTimeOverrides: pollWaitOverrides(500),
  retryIntervalOverrides: Object.fromEntries(PIPELINE_TASKS.map((task) => [task.state, 300])),
  trainPollMs: 500,
  provisioningDelayMs: 1500,
};

function demoConfig(explicit: string | undefined, data: string | undefined) {
  const loaded = loadConfig({ explicitPath: explicit });
  if (loaded.path) return loaded;
  // No project yet: with the user's own --data, no suite (a held-out slice of that data is evaluated);
  // with the bundled banking data, the banking suite. Console notifications, defaults elsewhere.
  if (data) return { ...loaded, config: ConfigSchema.parse({}) };
  return { ...loaded, config: ConfigSchema.parse({ evaluation: { suite: SAMPLES.bankingSuite } }) };
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('Run the whole pipeline once on the bundled banking data, locally (what `npm start` runs)')
    .option(
      '-c, --config <file>',
      'config file (default: tunekit.config.json|yaml here, else built-in defaults)',
    )
    .option(
      '-d, --data-dir <dir>',
      'local stack state; kept between runs so the next one registers the next version',
      '.tunekit',
    )
    .option(
      '--data <file>',
      'training file to upload (default: banking train.jsonl, then train.jsonl + train-more.jsonl once a version exists)',
    )
    .option('--timeout <minutes>', 'give up (exit 1) after this long', '10')
    .addHelpText(
      'after',
      '\nExits 0 when the run succeeds (promoted, registered, or rejected by the gate), 1 when it fails.\n\n' +
        'Examples:\n  $ npm start\n  $ tunekit demo --data-dir /tmp/tk --data samples/banking/train-more.jsonl',
    )
    .action(async (options: DemoOptions) => {
      const minutes = Number(options.timeout);
      if (!(minutes > 0))
        throw new UsageError(`--timeout must be a positive number of minutes, got "${options.timeout}"`);
      const { config, dir } = demoConfig(options.config, options.data);
      const dataDir = resolve(options.dataDir ?? config.local.dataDir);
      const log = (line: string) => process.stderr.write(`${style.dim(`[stack] ${line}`)}\n`);
      const started = Date.now();
      const p = await startPipelineStack({ config, configDir: dir, dataDir, port: 0, log, ...FAST });
      try {
        p.sfn.service.onEvent(progressPrinter(stdoutOutput.line));
        const { versions } = await listVersions(
          registryContext({ config, clients: p.clients, configDir: dir }),
        );
        const data = options.data ? undefined : demoTrainingData(versions.length, dataDir);
        const file = options.data ?? data!.file;
        const key = `${config.data.prefix}${basename(file)}`;
        const what =
          data && data.parts.length > 1
            ? ` (all data so far: ${data.parts.join(' + ')}, ${data.records} records)`
            : '';
        stdoutOutput.line(
          `${style.bold('tunekit demo')}: local stack on ${p.stack.endpoint}; ${versions.length} version(s) registered so far\n` +
            `uploading ${file}${what} -> s3://${config.bucket}/${key}`,
        );
        // Runs that exist already (an earlier upload of the same bytes has the same etag) are not this one.
        const earlier = new Set(p.sfn.service.listExecutions(p.stateMachineArn).map((e) => e.executionArn));
        const body = readFileSync(file);
        const put = await p.clients.s3.send(
          new PutObjectCommand({ Bucket: config.bucket, Key: key, Body: body }),
        );
        const etag = (put.ETag ?? '').replaceAll('"', '');
        // Runs are named by content: identical data already trained starts no new run (nothing is paid
        // twice); the demo then shows that run's result instead of waiting for one that never starts.
        const name = contentRunName({ etag, size: body.length }, trainingFingerprint(config));
        const trained = p.sfn.service
          .listExecutions(p.stateMachineArn)
          .find((e) => earlier.has(e.executionArn) && e.name === name);
        if (trained)
          stdoutOutput.line(
            style.dim(
              `identical data already trained in run ${name}: nothing started, showing its result (\`tunekit run --force\` retrains on purpose)`,
            ),
          );
        const arn = trained?.executionArn ?? (await waitForTriggeredRun(p, key, etag, earlier));
        const deadline = started + minutes * 60_000;
        const timer = setTimeout(
          () => p.sfn.service.stopExecution(arn, 'Tunekit.DemoTimeout', `no result after ${minutes} minutes`),
          deadline - Date.now(),
        );
        const record = await p.sfn.service.waitForExecution(arn);
        clearTimeout(timer);
        stdoutOutput.line('');
        if (record.status !== 'SUCCEEDED') {
          stdoutOutput.line(
            `${style.red(`run ${record.status}`)}: ${record.error ?? ''} ${record.cause ?? ''}`,
          );
          stdoutOutput.line(
            `inspect it: tunekit runs show ${record.name} (with the stack running: tunekit watch -d ${dataDir})`,
          );
          throw new ExitError(1);
        }
        const output = JSON.parse(record.output ?? '{}') as Record<string, unknown>;
        stdoutOutput.line(renderOutcome(output));
        const html = await downloadReport(
          p.clients.s3,
          output.htmlReportUri,
          join(dataDir, 'reports', `${record.name}.html`),
        );
        if (html) stdoutOutput.line(`Report (HTML): ${html}`);
        stdoutOutput.line(
          style.dim(
            `took ${((Date.now() - started) / 1000).toFixed(0)}s; run again to retrain on all data so far (train.jsonl + train-more.jsonl)`,
          ),
        );
      } finally {
        await p.stop();
      }
    });
}

/** The trigger starts the run asynchronously; find the new run started for the object just uploaded. */
async function waitForTriggeredRun(
  p: Awaited<ReturnType<typeof startPipelineStack>>,
  key: string,
  etag: string,
  earlier: ReadonlySet<string>,
) {
  for (let i = 0; i < 100; i++) {
    const match = p.sfn.service.listExecutions(p.stateMachineArn).find((e) => {
      if (earlier.has(e.executionArn)) return false;
      const detail = JSON.parse(e.input)?.detail;
      return detail?.object?.key === key && detail?.object?.etag === etag;
    });
    if (match) return match.executionArn;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new TunekitError('PIPELINE.NOT_TRIGGERED', `uploading ${key} started no run within 10 s`, {
    hint: 'check that the key matches data.prefix/data.suffix in the config',
  });
}

async function downloadReport(
  s3: Awaited<ReturnType<typeof startPipelineStack>>['clients']['s3'],
  uri: unknown,
  to: string,
): Promise<string | undefined> {
  const where = typeof uri === 'string' ? parseS3Uri(uri) : undefined;
  if (!where) return undefined;
  const r = await s3.send(new GetObjectCommand({ Bucket: where.bucket, Key: where.key }));
  mkdirSync(join(to, '..'), { recursive: true });
  writeFileSync(to, await r.Body!.transformToString());
  return to;
}
