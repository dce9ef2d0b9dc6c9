import { DescribeStateMachineCommand, DescribeStateMachineForExecutionCommand } from '@aws-sdk/client-sfn';
import type { AwsClients } from '../../aws/clients.ts';
import type { Config } from '../../config/schema.ts';
import { TunekitError } from '../../errors.ts';
import type { EvalReport } from '../../evaluation/index.ts';
import { type MoneyReport, moneyNow, type ProductionCost, productionCost } from '../../ops/money.ts';
import { productionHook } from '../../ops/production-hook.ts';
import { compareRegistryVersions, type VersionComparison } from '../../pipeline/compare-versions.ts';
import { jobRequestFields, pipelineDefinition } from '../../pipeline/definition.ts';
import {
  type PipelineGraph,
  parseJsonObject,
  pipelineGraph,
  type RunResources,
  runResources,
} from '../../pipeline/graph.ts';
import { readReportAt } from '../../pipeline/report-source.ts';
import { buildRunView, causeMessage, type StateRow } from '../../pipeline/run-view.ts';
import {
  describeExistingRun,
  describeRun,
  executionArnFor,
  getRun,
  listRunsPage,
  resolveStateMachineArn,
  stopRun,
} from '../../pipeline/runs.ts';
import {
  isTrainingKey,
  listTrainingObjects,
  type ManualRunResult,
  startManualRun,
  type TrainingObject,
  trainingLocation,
} from '../../pipeline/start-run.ts';
import { teardown } from '../../pipeline/tasks/teardown.ts';
import {
  type AliasChangeResult,
  type HistoryEvent,
  listVersions,
  promote,
  type RegistryContext,
  readHistory,
  readIndex,
  registryContextFromConfig,
  resolveRef,
  rollback,
  showVersion,
  type VersionDetail,
  type VersionListing,
} from '../../registry/index.ts';

// The JSON the API sends, for the app too (src/ui/app imports these types: one home for them).
export type { HourlyCost } from '../../models/hourly-cost.ts';
export type {
  EvalReport,
  HistoryEvent,
  ManualRunResult,
  MoneyReport,
  PipelineGraph,
  ProductionCost,
  RunResources,
  VersionComparison,
  VersionDetail,
  VersionListing,
};
export type CaseResult = EvalReport['results'][number];
export type VersionRow = VersionListing['versions'][number];

/**
 * What the dashboard shows, read through the same library functions the CLI's `runs`, `registry` and
 * `eval` commands call (Step Functions for runs, the S3 registry, the pipeline's evaluation report in S3).
 * No cache and no database: every request asks the stack (or AWS) again.
 */

export interface UiData {
  project: string;
  /** One page of runs, newest first (ListExecutions paging), each described once for its outcome. */
  runs(limit: number, nextToken?: string): Promise<RunListPage>;
  run(name: string): Promise<RunDetail>;
  /** The state machine's states and transitions, for the run page's drawing: the run's own definition when named. */
  pipeline(runName?: string): Promise<PipelineGraph>;
  evaluation(runName: string): Promise<EvalReport>;
  registry(): Promise<VersionListing>;
  history(): Promise<HistoryEvent[]>;
  /** One version's lineage, scores and gate (as `tunekit registry show --json`). */
  version(ref: string): Promise<VersionDetail>;
  /** Two versions (or aliases) on their evaluations, case by case (as `tunekit registry compare`). */
  compare(a: string, b: string): Promise<VersionComparison>;
  /** What the production deployment costs per hour once it serves `to` (a version or alias), and now. */
  productionCost(to: string): Promise<ProductionCost>;
  /** Deployed and provisioned now, hourly costs, what the janitor would delete at this age. */
  money(janitorMaxAgeMinutes?: number): Promise<MoneyReport>;
  promote(version: string, reason: string, force: boolean): Promise<AliasChangeResult>;
  rollback(to: string | undefined, reason: string): Promise<AliasChangeResult>;
  /** Training files a run can start on: under the trigger prefix with its suffix, newest first. */
  trainingData(): Promise<TrainingData>;
  /** Start a run on a training file (as `tunekit run s3://… [--force]`). */
  start(key: string, force: boolean): Promise<ManualRunResult>;
  /** Stop a run, then delete its evaluation deployments (as `tunekit runs stop`). */
  stop(name: string, cause: string): Promise<StopResult>;
}

export interface TrainingData {
  bucket: string;
  prefix: string;
  suffix: string;
  objects: TrainingObject[];
}

export interface StopResult {
  stoppedAt?: string;
  deleted: { mode: string; arn: string }[];
}

export interface RunSummary {
  name: string;
  status: string;
  startedAt?: string;
  stoppedAt?: string;
  durationMs?: number;
  trigger?: string;
  data?: string;
  outcome?: string;
  version?: string;
}

export type StateView = Omit<StateRow, 'enteredAt' | 'exitedAt'> & {
  enteredAt: string;
  exitedAt?: string;
  message?: string;
};

export interface RunListPage {
  runs: RunSummary[];
  /** Pass back as `next` for the following (older) page; absent on the last page. */
  nextToken?: string;
}

export interface RunDetail extends RunSummary {
  states: StateView[];
  error?: string;
  cause?: string;
  output?: Record<string, unknown>;
  /** What the run created and what its Teardown deleted, from the execution history. */
  resources: RunResources;
}

/** The trigger and the training object, from the execution's input (an S3 "Object Created" event). */
function triggerOf(
  name: string,
  input: Record<string, unknown> | undefined,
): { trigger?: string; data?: string } {
  // Run names start with their trigger (s3-, manual-, schedule-; see triggers/s3-event.ts executionNameFor).
  const trigger = name.split('-')[0] || undefined;
  const detail = input?.detail as { bucket?: { name?: string }; object?: { key?: string } } | undefined;
  const bucket = detail?.bucket?.name;
  const key = detail?.object?.key;
  return { ...(trigger ? { trigger } : {}), ...(bucket && key ? { data: `s3://${bucket}/${key}` } : {}) };
}

/** What the run list shows of one execution, from DescribeExecution alone. */
function summaryOf(
  execution: {
    name?: string | undefined;
    status?: string | undefined;
    startDate?: Date | undefined;
    stopDate?: Date | undefined;
    input?: string | undefined;
    output?: string | undefined;
  },
  name: string,
): RunSummary {
  const output = parseJsonObject(execution.output);
  return {
    name: execution.name ?? name,
    status: execution.status ?? 'UNKNOWN',
    ...(execution.startDate ? { startedAt: execution.startDate.toISOString() } : {}),
    ...(execution.stopDate ? { stoppedAt: execution.stopDate.toISOString() } : {}),
    ...(execution.startDate && execution.stopDate
      ? { durationMs: execution.stopDate.getTime() - execution.startDate.getTime() }
      : {}),
    ...triggerOf(execution.name ?? name, parseJsonObject(execution.input)),
    ...(typeof output?.outcome === 'string' ? { outcome: output.outcome } : {}),
    ...(typeof output?.version === 'string' ? { version: output.version } : {}),
  };
}

export function createUiData(
  config: Config,
  clients: AwsClients,
  configDir: string,
  registryCtx?: RegistryContext,
): UiData {
  let arn: Promise<string> | undefined;
  const stateMachine = () => {
    arn ??= resolveStateMachineArn(clients.sfn, config.project, process.env.TUNEKIT_STATE_MACHINE_ARN);
    // A failed lookup (stack not up yet) is retried on the next request.
    arn.catch(() => {
      arn = undefined;
    });
    return arn;
  };
  const registry = registryCtx ?? registryContextFromConfig(config, clients.s3);

  const detail = async (name: string): Promise<RunDetail> => {
    const { execution, events, mapRuns } = await getRun(
      clients.sfn,
      executionArnFor(await stateMachine(), name),
    );
    const output = parseJsonObject(execution.output);
    return {
      ...summaryOf(execution, name),
      ...(execution.error ? { error: execution.error } : {}),
      ...(execution.cause ? { cause: causeMessage(execution.cause) } : {}),
      ...(output ? { output } : {}),
      resources: runResources(events),
      states: buildRunView(events, mapRuns).map(({ enteredAt, exitedAt, ...row }) => ({
        ...row,
        enteredAt: enteredAt.toISOString(),
        ...(exitedAt ? { exitedAt: exitedAt.toISOString() } : {}),
        ...(row.cause ? { message: causeMessage(row.cause) } : {}),
      })),
    };
  };

  // Promote/rollback move the production deployment first when the config asks, as the CLI does, with
  // the config's wait and Bedrock's default poll.
  const hook = () => productionHook(clients.bedrock, config, { pollMs: 15_000 });

  return {
    project: config.project,
    async runs(limit, nextToken) {
      const page = await listRunsPage(clients.sfn, await stateMachine(), { size: limit, nextToken });
      // The list API has no outcome or input: describe the runs of this page only (one call each; the
      // run page reads the full history).
      const runs = await Promise.all(
        page.runs.map(async (item): Promise<RunSummary> => {
          const fallback = { name: item.name ?? '', status: item.status ?? 'UNKNOWN' };
          if (!item.executionArn) return fallback;
          const execution = await describeRun(clients.sfn, item.executionArn).catch(() => undefined);
          return execution ? summaryOf(execution, fallback.name) : fallback;
        }),
      );
      return { runs, ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
    },
    run: detail,
    async pipeline(runName?: string) {
      // A run's own definition (DescribeStateMachineForExecution: the machine may have changed since it
      // started), else the one runs use now (DescribeStateMachine), else the project's own.
      const machine = await stateMachine();
      const described =
        (runName
          ? await clients.sfn
              .send(
                new DescribeStateMachineForExecutionCommand({
                  executionArn: executionArnFor(machine, runName),
                }),
              )
              .catch(() => undefined)
          : undefined) ??
        (await clients.sfn
          .send(new DescribeStateMachineCommand({ stateMachineArn: machine }))
          .catch(() => undefined));
      try {
        if (described?.definition) return pipelineGraph(JSON.parse(described.definition));
      } catch {
        // not JSON: fall through
      }
      return pipelineGraph(pipelineDefinition(jobRequestFields(config.training, config.customization)));
    },
    async evaluation(runName) {
      // The report's URI is in the run's output: one DescribeExecution, not the whole history.
      const execution = await describeExistingRun(
        clients.sfn,
        executionArnFor(await stateMachine(), runName),
      );
      const uri = parseJsonObject(execution.output)?.reportUri as string | undefined;
      if (!uri) {
        throw new TunekitError('UI.NO_EVALUATION', `run ${runName} has no evaluation report`, {
          hint:
            execution.status === 'RUNNING'
              ? 'the run is still going; its report appears when the Evaluate step ends'
              : 'only runs that reached the Evaluate step have one (see the run page for where it stopped)',
        });
      }
      return readReportAt(clients.s3, uri);
    },
    registry: () => listVersions(registry),
    history: () => readHistory(registry),
    version: (ref) => showVersion(registry, ref),
    compare: (a, b) => compareRegistryVersions(registry, clients.s3, a, b),
    async productionCost(to) {
      // The registry's own lookup: an alias, or a version that exists (the CLI's errors).
      const { index } = await readIndex(registry);
      const entry = (v: string | undefined) => index.versions.find((x) => x.version === v);
      const toEntry = entry(resolveRef(index, to))!;
      const from = entry(index.aliases.production);
      return productionCost(config, toEntry, from && from.version !== toEntry.version ? from : undefined);
    },
    money: (maxAge) =>
      moneyNow(clients.bedrock, config, maxAge === undefined ? {} : { janitorMaxAgeMinutes: maxAge }),
    promote(version, reason, force) {
      const onProductionChange = hook();
      return promote(registry, version, {
        reason,
        force,
        ...(onProductionChange ? { onProductionChange } : {}),
      });
    },
    async trainingData() {
      const where = trainingLocation(config);
      return { ...where, objects: await listTrainingObjects(clients.s3, where) };
    },
    async start(key, force) {
      const where = trainingLocation(config);
      // Only the files the page offers: training data under the trigger prefix, in the project's bucket.
      if (!isTrainingKey(where, key))
        throw new TunekitError(
          'UI.NOT_TRAINING_DATA',
          `${key} is not training data: a run starts on a *${where.suffix} file under s3://${where.bucket}/${where.prefix}`,
          {
            hint: `upload it there first (aws s3 cp <file> s3://${where.bucket}/${where.prefix}), or use tunekit run <file>`,
          },
        );
      return startManualRun(clients, config, await stateMachine(), `s3://${where.bucket}/${key}`, { force });
    },
    async stop(name, cause) {
      const executionArn = executionArnFor(await stateMachine(), name);
      const stopped = await stopRun(clients.sfn, executionArn, cause);
      // A stopped execution never reaches its Teardown state; run the handler here, as `tunekit runs stop` does.
      const { deleted } = await teardown({ executionArn }, { config, clients, configDir });
      return { ...(stopped ? { stoppedAt: stopped.toISOString() } : {}), deleted };
    },
    rollback(to, reason) {
      const onProductionChange = hook();
      return rollback(registry, {
        ...(to ? { to } : {}),
        reason,
        ...(onProductionChange ? { onProductionChange } : {}),
      });
    },
  };
}
