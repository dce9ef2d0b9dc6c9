import { join } from 'node:path';
import type { Command } from 'commander';
import { projectGraders } from '../../bedrock/job-request.ts';
import { loadConfig } from '../../config/load.ts';
import { UsageError } from '../../errors.ts';
import { envForStack, stackStatus, startDetached, stopStack } from '../../local/control.ts';
import {
  type FaultConfig,
  type FaultRule,
  faultsFromEnv,
  readFaultFile,
} from '../../local/faults/fault-config.ts';
import { startLocalStack } from '../../local/stack.ts';
import { readStateFile } from '../../local/state-file.ts';
import { stdoutOutput, style } from '../output.ts';

interface StartOptions {
  port?: string;
  dataDir?: string;
  region?: string;
  detach?: boolean;
  maxConcurrentJobs?: string;
  trainingSlots?: string;
  provisioningDelayMs?: string;
  strictLifecycle?: boolean;
  insecureAnyCredentials?: boolean;
  faults?: string;
  faultApi?: string;
  faultLatencyMs?: string;
  faultThrottleRate?: string;
  faultErrorRate?: string;
}

/** An integer option within [min, max], or a UsageError naming the flag; undefined when not given. */
export const intFlag = (
  name: string,
  value: string | undefined,
  min: number,
  max: number,
): number | undefined => {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`${name} must be an integer from ${min} to ${max}, got "${value}"`);
  return n;
};
const rateFlag = (name: string, value: string | undefined): number | undefined => {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1)
    throw new UsageError(`${name} must be a number from 0 to 1, got "${value}"`);
  return n;
};

/** Faults: a JSON file, then TUNEKIT_FAULTS, then the single-rule flags (added on top). */
function faultConfig(o: StartOptions): FaultConfig {
  const config: FaultConfig = o.faults ? readFaultFile(o.faults) : (faultsFromEnv() ?? { rules: [] });
  const latencyMs = intFlag('--fault-latency-ms', o.faultLatencyMs, 0, 600_000);
  const throttleRate = rateFlag('--fault-throttle-rate', o.faultThrottleRate);
  const errorRate = rateFlag('--fault-error-rate', o.faultErrorRate);
  if (latencyMs !== undefined || throttleRate !== undefined || errorRate !== undefined) {
    const rule: FaultRule = {
      api: o.faultApi ?? '*',
      latencyMs: latencyMs ?? 0,
      throttleRate: throttleRate ?? 0,
      errorRate: errorRate ?? 0,
    };
    config.rules = [...config.rules, rule];
  }
  return config;
}

function defaults(o: { port?: string; dataDir?: string; region?: string }) {
  const { config, dir } = loadConfig();
  return {
    // RFT jobs run the grader `...:function:NAME` from the project's graders/NAME.mjs (or .js/.ts).
    functionsDir: join(dir, 'graders'),
    graders: projectGraders(config, dir),
    port: intFlag('--port', o.port, 0, 65535) ?? config.local.port,
    dataDir: o.dataDir ?? config.local.dataDir,
    region: o.region ?? config.region,
    insecureAnyCredentials: config.local.insecureAnyCredentials,
  };
}

async function start(o: StartOptions): Promise<void> {
  const { port, dataDir, region, insecureAnyCredentials, functionsDir, graders } = defaults(o);
  const faults = faultConfig(o);
  const options = {
    maxConcurrentJobs: intFlag('--max-concurrent-jobs', o.maxConcurrentJobs, 1, 100),
    trainingSlots: intFlag('--training-slots', o.trainingSlots, 1, 16),
    provisioningDelayMs: intFlag('--provisioning-delay-ms', o.provisioningDelayMs, 0, 3_600_000),
  };
  const running = await stackStatus(dataDir);
  if (running.running)
    throw new UsageError(
      `a local stack is already running for ${running.dataDir} (pid ${running.pid}, ${running.endpoint})`,
      'use it (`eval "$(tunekit local env)"`), or stop it first with `tunekit local stop`',
    );
  if (o.detach) {
    const args = process.argv.slice(2).filter((a) => a !== '--detach' && a !== 'local' && a !== 'start');
    const status = await startDetached(args, dataDir);
    stdoutOutput.line(
      `${style.green('local stack running')} at ${status.endpoint} (pid ${status.pid}, data in ${status.dataDir})`,
    );
    stdoutOutput.line(
      `Point AWS SDKs, boto3 and the AWS CLI at it:  eval "$(tunekit local env --data-dir ${dataDir})"`,
    );
    return;
  }
  const stack = await startLocalStack({
    port,
    dataDir,
    region,
    functionsDir,
    graders,
    faults,
    strictLifecycle: Boolean(o.strictLifecycle),
    insecureAnyCredentials: Boolean(o.insecureAnyCredentials) || insecureAnyCredentials,
    ...options,
  });
  stdoutOutput.line(
    `${style.green('local stack running')} at ${stack.endpoint} (S3, Bedrock, Bedrock Runtime; data in ${stack.dataDir})`,
  );
  stdoutOutput.line(
    `In another shell:  eval "$(tunekit local env --data-dir ${dataDir})"    Ctrl-C stops it.`,
  );
  await new Promise<void>((resolve) => {
    const shutdown = (signal: string) => {
      stdoutOutput.error(`received ${signal}, stopping the local stack...`);
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      void stack.stop().then(resolve);
    };
    const onInt = () => shutdown('SIGINT');
    const onTerm = () => shutdown('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
  });
  stdoutOutput.error('local stack stopped');
}

const shellQuote = (v: string) => (/^[\w@%+=:,./-]+$/.test(v) ? v : `'${v.replaceAll("'", "'\\''")}'`);

export function registerLocal(program: Command): void {
  const local = program
    .command('local')
    .description(
      'Run the local stack: S3, Bedrock and Bedrock Runtime on 127.0.0.1, training a real small model',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  $ tunekit local start --detach\n  $ eval "$(tunekit local env)"\n  $ aws bedrock list-foundation-models --by-customization-type FINE_TUNING\n  $ tunekit local status --json\n  $ tunekit local stop',
    );

  local
    .command('start')
    .description(
      'Start the local stack in the foreground (Ctrl-C stops it) or in the background with --detach',
    )
    .option('-p, --port <n>', 'port on 127.0.0.1 (0 = any free port; default: config local.port or 4599)')
    .option(
      '-d, --data-dir <dir>',
      'where objects, jobs and models are kept (default: config local.dataDir or .tunekit)',
    )
    .option('--region <region>', 'region used in ARNs and printed by `local env` (default: config region)')
    .option(
      '--detach',
      'start in the background and return once the stack answers (log: <data-dir>/stack.log)',
    )
    .option(
      '--max-concurrent-jobs <n>',
      "account quota of concurrent customization jobs, as Bedrock's (default 2)",
    )
    .option(
      '--training-slots <n>',
      'jobs that train at once on this machine; others wait InProgress (default 1)',
    )
    .option(
      '--provisioning-delay-ms <ms>',
      'time until a Provisioned Throughput is InService / a deployment Active (default 3000)',
    )
    .option(
      '--strict-lifecycle',
      'refuse end-of-life models (Titan Text) as Bedrock does, instead of warning',
    )
    .option(
      '--insecure-any-credentials',
      "accept requests signed with any key pair, not only the stack's own (for clients that cannot use `tunekit local env`); warns on every start",
    )
    .option(
      '--faults <file>',
      'fault-injection rules, JSON: {"rules":[{"api":"InvokeModel","latencyMs":50,"throttleRate":0.1,"errorRate":0}]}',
    )
    .option('--fault-api <name>', 'operation the --fault-* flags apply to (default * = every Bedrock call)')
    .option('--fault-latency-ms <ms>', 'added latency per call')
    .option('--fault-throttle-rate <r>', 'share of calls answered with ThrottlingException (0..1)')
    .option('--fault-error-rate <r>', 'share of calls answered with InternalServerException (0..1)')
    .addHelpText(
      'after',
      '\nFaults can also come from TUNEKIT_FAULTS (inline JSON or a file path) and be changed while running:\n  curl -X POST http://127.0.0.1:4599/_tunekit/faults -d \'{"rules":[{"api":"*","throttleRate":0.2}]}\'\n\nExamples:\n  $ tunekit local start\n  $ tunekit local start --detach --port 4600 --data-dir /tmp/stack\n  $ tunekit local start --fault-api InvokeModel --fault-throttle-rate 0.2 --fault-latency-ms 100',
    )
    .action((options: StartOptions) => start(options));

  local
    .command('env')
    .description('Print `export` lines that point AWS SDKs, boto3 and the AWS CLI at the running stack')
    .option('-d, --data-dir <dir>', 'data dir of the stack (default: config local.dataDir or .tunekit)')
    .option('--json', 'print the variables as a JSON object')
    .addHelpText(
      'after',
      '\nExamples:\n  $ eval "$(tunekit local env)"\n  $ tunekit local env --data-dir /tmp/stack --json',
    )
    .action(async (o: { dataDir?: string; json?: boolean }) => {
      const env = await envForStack(defaults(o).dataDir);
      if (o.json) return stdoutOutput.json(env);
      for (const [name, value] of Object.entries(env))
        stdoutOutput.line(`export ${name}=${shellQuote(value)}`);
    });

  local
    .command('status')
    .description('Show whether a stack runs for the data dir, with its endpoint and pid')
    .option('-d, --data-dir <dir>', 'data dir of the stack (default: config local.dataDir or .tunekit)')
    .option('--json', 'print the status as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  $ tunekit local status\n  $ tunekit local status --json | jq .endpoint',
    )
    .action(async (o: { dataDir?: string; json?: boolean }) => {
      const status = await stackStatus(defaults(o).dataDir);
      if (o.json) stdoutOutput.json(status);
      else if (status.running)
        stdoutOutput.line(
          `${style.green('running')} at ${status.endpoint} (pid ${status.pid}, since ${status.startedAt}, data in ${status.dataDir}; serves ${status.services?.join(', ')})`,
        );
      else stdoutOutput.line(`${style.yellow('not running')}: ${status.note}`);
      if (!status.running) process.exitCode = 1;
    });

  local
    .command('stop')
    .description(
      'Stop the stack started with the same data dir (running jobs end Failed, nothing stored is lost)',
    )
    .option('-d, --data-dir <dir>', 'data dir of the stack (default: config local.dataDir or .tunekit)')
    .addHelpText('after', '\nExamples:\n  $ tunekit local stop\n  $ tunekit local stop --data-dir /tmp/stack')
    .action(async (o: { dataDir?: string }) => {
      const dataDir = defaults(o).dataDir;
      const had = readStateFile(dataDir);
      const result = await stopStack(dataDir);
      if (result.stopped)
        stdoutOutput.line(
          `${style.green('stopped')} the local stack (pid ${result.pid})${result.note ? `: ${result.note}` : ''}`,
        );
      else stdoutOutput.line(`${had ? style.yellow('not running') : 'nothing to stop'}: ${result.note}`);
    });
}
