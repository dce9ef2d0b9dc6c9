import { randomUUID } from 'node:crypto';
import { StateMachine } from 'aws-local-stepfunctions';
import { checkPayload, enforceLimits } from './payload-limits.ts';
import { stateError, type TaskRegistry } from './task-registry.ts';

/**
 * A Distributed Map (`ItemProcessor.ProcessorConfig.Mode: DISTRIBUTED`) for the local runner, which
 * aws-local-stepfunctions 3.0.0 cannot run (it knows no ItemReader/ResultWriter and runs every Map
 * inline). Semantics followed (bedrock-facts.md §11.2,
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html and
 * .../input-output-resultwriter.html):
 * - `ItemReader` with `Resource: arn:aws:states:::s3:getObject` and `ReaderConfig.InputType` JSON (an
 *   array) or JSONL reads the items from S3, so they never pass through the state; otherwise `ItemsPath`;
 * - every item runs as a child execution of the ItemProcessor (its own 256 KiB limits; its events are
 *   not in the parent's history, as on AWS), at most MaxConcurrency/MaxConcurrencyPath at a time;
 * - a failed child fails the Map state with `States.ExceedToleratedFailureThreshold` (tolerance 0, the
 *   default; ToleratedFailure* are refused at deploy time);
 * - `ResultWriter` (`arn:aws:states:::s3:putObject`, Parameters Bucket/Prefix) writes
 *   `<Prefix>/<map run id>/manifest.json` and `SUCCEEDED_0.json` / `FAILED_0.json` (entries with
 *   ExecutionArn, Input, Output, Status...; layout as observed in
 *   https://sigpwned.com/2023/04/27/aws-step-functions-distributed-map-resultwriter-example) and the
 *   state's result is `{MapRunArn, ResultWriterDetails: {Bucket, Key}}`; without it, the array of
 *   child outputs.
 * The runner hands the library a Task state in the Map's place (same I/O fields, Retry and Catch) whose
 * handler is `runDistributedMap`; history.ts reports its events as Map events.
 */

export const DISTRIBUTED_MAP_RESOURCE = 'arn:aws:states:::tunekit-local:distributed-map';
export const S3_GET_OBJECT = 'arn:aws:states:::s3:getObject';
export const S3_PUT_OBJECT = 'arn:aws:states:::s3:putObject';

type State = Record<string, unknown>;

/** The Map's own I/O and flow fields, copied unchanged onto its stand-in Task. */
const PASSED_TO_STAND_IN = [
  'InputPath',
  'ResultSelector',
  'ResultPath',
  'OutputPath',
  'Retry',
  'Catch',
  'Next',
  'End',
] as const;

const SUPPORTED = new Set<string>([
  'Type',
  'Comment',
  'ItemProcessor',
  'ItemReader',
  'ItemsPath',
  'ResultWriter',
  'MaxConcurrency',
  'MaxConcurrencyPath',
  'Label',
  ...PASSED_TO_STAND_IN,
]);

export interface DistributedMapPlan {
  name: string;
  label: string;
  processor: StateMachine;
  /** The library stand-in: a Task state with the Map's I/O fields. */
  standIn: State;
}

export const isDistributedMap = (state: State) =>
  state.Type === 'Map' &&
  (state.ItemProcessor as { ProcessorConfig?: { Mode?: string } } | undefined)?.ProcessorConfig?.Mode ===
    'DISTRIBUTED';

/** Builds the stand-in for one Distributed Map state, refusing fields the local runner cannot honour. */
export function planDistributedMap(name: string, state: State): DistributedMapPlan {
  const unsupported = Object.keys(state).filter((k) => !SUPPORTED.has(k));
  if (unsupported.length > 0) {
    throw new Error(
      `Distributed Map state '${name}': the local runner does not support ${unsupported.join(', ')} ` +
        '(supported: ItemReader (S3 JSON/JSONL), ItemsPath, ResultWriter (S3), MaxConcurrency[Path])',
    );
  }
  const reader = state.ItemReader as
    | { Resource?: string; ReaderConfig?: { InputType?: string }; Parameters?: unknown }
    | undefined;
  if (reader) {
    const type = reader.ReaderConfig?.InputType ?? 'JSON';
    if (reader.Resource !== S3_GET_OBJECT || !['JSON', 'JSONL'].includes(type)) {
      throw new Error(
        `Distributed Map state '${name}': the local runner reads items with ${S3_GET_OBJECT} and InputType JSON or JSONL only`,
      );
    }
  }
  const writer = state.ResultWriter as
    | { Resource?: string; Parameters?: unknown; WriterConfig?: unknown }
    | undefined;
  if (writer && (writer.Resource !== S3_PUT_OBJECT || writer.WriterConfig)) {
    throw new Error(
      `Distributed Map state '${name}': the local runner writes results with ResultWriter.Resource ${S3_PUT_OBJECT} and Parameters {Bucket, Prefix} only (no WriterConfig)`,
    );
  }
  const processorDefinition = structuredClone(state.ItemProcessor) as State & { ProcessorConfig?: unknown };
  delete processorDefinition.ProcessorConfig;
  enforceLimits(processorDefinition, { label: `a child execution of Distributed Map '${name}'` });
  const processor = new StateMachine(processorDefinition as never, {
    validationOptions: { noValidate: true },
  });
  const parameters: Record<string, unknown> = { 'input.$': '$' };
  if (reader)
    parameters.reader = {
      InputType: reader.ReaderConfig?.InputType ?? 'JSON',
      ...(reader.Parameters as object),
    };
  else parameters['items.$'] = state.ItemsPath ?? '$';
  if (writer) parameters.writer = writer.Parameters ?? {};
  if (state.MaxConcurrencyPath) parameters['maxConcurrency.$'] = state.MaxConcurrencyPath;
  else parameters.maxConcurrency = state.MaxConcurrency ?? 0;
  const standIn: State = { Type: 'Task', Resource: DISTRIBUTED_MAP_RESOURCE, Parameters: parameters };
  for (const key of PASSED_TO_STAND_IN) if (key in state) standIn[key] = state[key];
  // A Map run has no task timeout; the library's default would be 60 s. Node's timers hold at most
  // 2^31-1 ms (~24.8 days): a larger value would fire at once.
  standIn.TimeoutSeconds = 2_000_000;
  return { name, label: String(state.Label ?? name), processor, standIn };
}

export interface MapRunContext {
  executionArn: string;
  stateMachineArn: string;
  registry: TaskRegistry;
  signal: AbortSignal;
  runOptions: Record<string, unknown>;
  /** The parent's history: MapRunStarted / MapRunSucceeded / MapRunFailed, as AWS records a map run. */
  emit?: (event: {
    type: string;
    mapRunArn?: string;
    Error?: string;
    Cause?: string;
    mapRun?: MapRunRecord;
  }) => void;
}

/** What DescribeMapRun answers for a map run (the local service keeps it with the parent execution). */
export interface MapRunRecord {
  mapRunArn: string;
  executionArn: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';
  startDate: number;
  stopDate?: number;
  maxConcurrency: number;
  toleratedFailurePercentage: number;
  toleratedFailureCount: number;
  itemCounts: MapRunCounts;
  executionCounts: MapRunCounts;
}

export interface MapRunCounts {
  pending: number;
  running: number;
  succeeded: number;
  failed: number;
  timedOut: number;
  aborted: number;
  total: number;
  resultsWritten: number;
}

interface StandInInput {
  input: unknown;
  items?: unknown;
  reader?: { InputType: string; Bucket: string; Key: string };
  writer?: { Bucket: string; Prefix?: string };
  maxConcurrency: number;
}

async function readItems(plan: DistributedMapPlan, p: StandInInput, ctx: MapRunContext): Promise<unknown[]> {
  if (!p.reader) {
    if (!Array.isArray(p.items))
      throw stateError('States.Runtime', `Map state '${plan.name}': ItemsPath is not an array`);
    return p.items;
  }
  const { InputType, ...params } = p.reader;
  let body: string;
  try {
    const object = (await ctx.registry.invoke(S3_GET_OBJECT, params, meta(plan, ctx))) as { Body: string };
    body = object.Body;
  } catch (error) {
    throw stateError(
      'States.ItemReaderFailed',
      `reading s3://${params.Bucket}/${params.Key}: ${(error as Error).message}`,
    );
  }
  try {
    if (InputType === 'JSONL')
      return body
        .split('\n')
        .filter((l) => l.trim())
        .map((l) => JSON.parse(l));
    const items = JSON.parse(body);
    if (!Array.isArray(items)) throw new Error('the object is not a JSON array');
    return items;
  } catch (error) {
    throw stateError(
      'States.ItemReaderFailed',
      `s3://${params.Bucket}/${params.Key}: ${(error as Error).message}`,
    );
  }
}

const meta = (plan: DistributedMapPlan, ctx: MapRunContext) => ({
  stateName: plan.name,
  executionArn: ctx.executionArn,
  signal: ctx.signal,
});

interface ChildRecord {
  ExecutionArn: string;
  Input: string;
  InputDetails: { Included: true };
  Name: string;
  Output?: string;
  OutputDetails?: { Included: true };
  Error?: string;
  Cause?: string;
  RedriveCount: 0;
  RedriveStatus: 'NOT_REDRIVABLE';
  StartDate: string;
  StateMachineArn: string;
  Status: 'SUCCEEDED' | 'FAILED';
  StopDate: string;
}

/** Runs one Distributed Map state: the stand-in Task's handler. */
export async function runDistributedMap(plan: DistributedMapPlan, payload: unknown, ctx: MapRunContext) {
  const p = payload as StandInInput;
  const items = await readItems(plan, p, ctx);
  const runId = randomUUID();
  const machineName = ctx.stateMachineArn.split(':').pop();
  const [, region, account] = /^arn:aws:states:([^:]*):([^:]*):/.exec(ctx.stateMachineArn) ?? [];
  const mapRunArn = `arn:aws:states:${region}:${account}:mapRun:${machineName}/${plan.label}:${runId}`;
  // The interpreter's MapStateEntered is still in its event queue: let it through first.
  await new Promise((resolve) => setImmediate(resolve));
  ctx.emit?.({ type: 'MapRunStarted', mapRunArn });
  const counts: MapRunCounts = {
    pending: items.length,
    running: 0,
    succeeded: 0,
    failed: 0,
    timedOut: 0,
    aborted: 0,
    total: items.length,
    resultsWritten: 0,
  };
  const mapRun: MapRunRecord = {
    mapRunArn,
    executionArn: ctx.executionArn,
    status: 'RUNNING',
    startDate: Date.now(),
    maxConcurrency: p.maxConcurrency,
    toleratedFailurePercentage: 0,
    toleratedFailureCount: 0,
    itemCounts: counts,
    executionCounts: counts,
  };
  const progress = () => ctx.emit?.({ type: 'MapRunProgress', mapRun: structuredClone(mapRun) });
  progress();
  const records: ChildRecord[] = new Array(items.length);
  const aborts: (() => void)[] = [];
  let failed: ChildRecord | undefined;
  let next = 0;
  const stopAll = () => {
    for (const abort of aborts) abort();
  };
  ctx.signal.addEventListener('abort', stopAll, { once: true });
  const worker = async () => {
    while (next < items.length && !failed && !ctx.signal.aborted) {
      const index = next++;
      const item = items[index];
      const name = randomUUID();
      const childArn = `arn:aws:states:${region}:${account}:execution:${machineName}/${plan.label}:${name}`;
      const startDate = new Date().toISOString();
      counts.pending--;
      counts.running++;
      const base = {
        ExecutionArn: childArn,
        Input: JSON.stringify(item ?? null),
        InputDetails: { Included: true as const },
        Name: name,
        RedriveCount: 0 as const,
        RedriveStatus: 'NOT_REDRIVABLE' as const,
        StartDate: startDate,
        StateMachineArn: ctx.stateMachineArn,
      };
      try {
        checkPayload(item, `The input of child execution ${index} of Distributed Map '${plan.name}'`);
        const run = plan.processor.run(
          item as never,
          {
            ...ctx.runOptions,
            context: {
              Execution: { Id: childArn, Name: name, Input: item as never, StartTime: startDate },
              StateMachine: { Id: ctx.stateMachineArn, Name: machineName },
            },
          } as never,
        );
        aborts.push(run.abort);
        // Drain the child's events (they belong to the child's own history, which is not kept locally).
        void (async () => {
          for await (const _ of run.eventLogs);
        })();
        const output = await run.result;
        records[index] = {
          ...base,
          Output: JSON.stringify(output ?? null),
          OutputDetails: { Included: true },
          Status: 'SUCCEEDED',
          StopDate: new Date().toISOString(),
        };
        counts.succeeded++;
      } catch (error) {
        const e = ((error as { cause?: unknown }).cause ?? error) as Error;
        records[index] = {
          ...base,
          Error: e.name,
          Cause: e.message,
          Status: 'FAILED',
          StopDate: new Date().toISOString(),
        };
        failed ??= records[index];
        counts.failed++;
      }
      counts.running--;
      progress();
    }
  };
  const width = p.maxConcurrency > 0 ? p.maxConcurrency : items.length;
  await Promise.all(Array.from({ length: Math.max(1, Math.min(width, items.length)) }, worker));
  ctx.signal.removeEventListener('abort', stopAll);
  if (failed) stopAll();
  if (ctx.signal.aborted) throw stateError('States.Aborted', 'the execution was stopped');
  const done = records.filter(Boolean);
  let result: unknown;
  if (p.writer) {
    const prefix = p.writer.Prefix ? `${p.writer.Prefix.replace(/\/+$/, '')}/` : '';
    const put = async (key: string, body: string) => {
      try {
        await ctx.registry.invoke(
          S3_PUT_OBJECT,
          { Bucket: p.writer!.Bucket, Key: key, Body: body },
          meta(plan, ctx),
        );
      } catch (error) {
        throw stateError(
          'States.ResultWriterFailed',
          `writing s3://${p.writer!.Bucket}/${key}: ${(error as Error).message}`,
        );
      }
      return { Key: key, Size: Buffer.byteLength(body) };
    };
    const files: Record<'SUCCEEDED' | 'FAILED' | 'PENDING', { Key: string; Size: number }[]> = {
      SUCCEEDED: [],
      FAILED: [],
      PENDING: [],
    };
    for (const status of ['SUCCEEDED', 'FAILED'] as const) {
      const these = done.filter((r) => r.Status === status);
      if (these.length)
        files[status].push(await put(`${prefix}${runId}/${status}_0.json`, JSON.stringify(these)));
    }
    const manifestKey = `${prefix}${runId}/manifest.json`;
    await put(
      manifestKey,
      JSON.stringify({ DestinationBucket: p.writer.Bucket, MapRunArn: mapRunArn, ResultFiles: files }),
    );
    result = { MapRunArn: mapRunArn, ResultWriterDetails: { Bucket: p.writer.Bucket, Key: manifestKey } };
    counts.resultsWritten = done.length;
  } else {
    result = done.map((r) => JSON.parse(r.Output ?? 'null'));
  }
  mapRun.status = failed ? 'FAILED' : 'SUCCEEDED';
  mapRun.stopDate = Date.now();
  progress();
  if (failed) {
    const cause = `The specified tolerated failure threshold was exceeded: child execution ${failed.Name} failed with ${failed.Error}: ${failed.Cause}`;
    ctx.emit?.({ type: 'MapRunFailed', Error: 'States.ExceedToleratedFailureThreshold', Cause: cause });
    throw stateError('States.ExceedToleratedFailureThreshold', cause);
  }
  ctx.emit?.({ type: 'MapRunSucceeded' });
  return result;
}
