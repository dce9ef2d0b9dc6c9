import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  DescribeMapRunCommand,
  type ExecutionListItem,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  type SFNClient,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { TunekitError } from '../errors.ts';
import type { MapRunProgress } from './run-view.ts';

/**
 * Reading and stopping pipeline runs through the Step Functions API — the local stack's or AWS's.
 * The state machine is found by name (`<project>-pipeline`) unless an ARN is given.
 */

export const stateMachineNameFor = (project: string) => `${project}-pipeline`;

export async function resolveStateMachineArn(
  sfn: SFNClient,
  project: string,
  explicit?: string,
): Promise<string> {
  if (explicit) return explicit;
  const wanted = stateMachineNameFor(project);
  let nextToken: string | undefined;
  const seen: string[] = [];
  do {
    const r = await sfn.send(new ListStateMachinesCommand({ nextToken }));
    for (const m of r.stateMachines ?? []) {
      if (m.name === wanted) return m.stateMachineArn!;
      seen.push(m.name!);
    }
    nextToken = r.nextToken;
  } while (nextToken);
  throw new TunekitError('PIPELINE.NO_STATE_MACHINE', `no state machine named "${wanted}" on this endpoint`, {
    hint: seen.length
      ? `found: ${seen.join(', ')}; pass --state-machine <arn>`
      : 'start the local stack with `tunekit watch` (or deploy with CDK), and check AWS_ENDPOINT_URL_SFN / region',
  });
}

export async function listRuns(
  sfn: SFNClient,
  stateMachineArn: string,
  limit = 20,
): Promise<ExecutionListItem[]> {
  const runs: ExecutionListItem[] = [];
  let nextToken: string | undefined;
  do {
    const r = await sfn.send(
      new ListExecutionsCommand({
        stateMachineArn,
        nextToken,
        maxResults: Math.min(100, limit - runs.length),
      }),
    );
    runs.push(...(r.executions ?? []));
    nextToken = r.nextToken;
  } while (nextToken && runs.length < limit);
  return runs;
}

/**
 * One page of runs, newest first, and the token of the next page (ListExecutions' own paging: a UI pages
 * through 1,000 runs without listing them all). Step Functions allows up to 1,000 per page (botocore
 * stepfunctions ListExecutionsInput: maxResults PageSize 0..1000, nextToken 1..3096 characters).
 */
export async function listRunsPage(
  sfn: SFNClient,
  stateMachineArn: string,
  page: { size: number; nextToken?: string | undefined },
): Promise<{ runs: ExecutionListItem[]; nextToken?: string }> {
  const r = await sfn.send(
    new ListExecutionsCommand({
      stateMachineArn,
      maxResults: page.size,
      ...(page.nextToken ? { nextToken: page.nextToken } : {}),
    }),
  );
  return { runs: r.executions ?? [], ...(r.nextToken ? { nextToken: r.nextToken } : {}) };
}

/** One execution's status, dates, input and output, without its history (what a run list shows). */
export async function describeRun(
  sfn: SFNClient,
  executionArn: string,
): Promise<DescribeExecutionCommandOutput> {
  return sfn.send(new DescribeExecutionCommand({ executionArn }));
}

/** An execution ARN, or a name of an execution of the pipeline's state machine. */
export function executionArnFor(stateMachineArn: string, ref: string): string {
  if (ref.startsWith('arn:')) return ref;
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${ref}`;
}

export interface RunDetails {
  execution: DescribeExecutionCommandOutput;
  events: HistoryEvent[];
  /** Item counts of each Distributed Map run (Evaluate), by map run ARN, from DescribeMapRun. */
  mapRuns: MapRunProgress;
}

/** DescribeExecution, with a missing run said as a user error (PIPELINE.NO_RUN) naming the fix. */
export async function describeExistingRun(
  sfn: SFNClient,
  executionArn: string,
): Promise<DescribeExecutionCommandOutput> {
  try {
    return await sfn.send(new DescribeExecutionCommand({ executionArn }));
  } catch (error) {
    if ((error as Error).name === 'ExecutionDoesNotExist') {
      throw new TunekitError('PIPELINE.NO_RUN', `no run ${executionArn.split(':').pop()} (${executionArn})`, {
        hint: 'list runs with `tunekit runs list`',
      });
    }
    throw error;
  }
}

export async function getRun(sfn: SFNClient, executionArn: string): Promise<RunDetails> {
  const execution = await describeExistingRun(sfn, executionArn);
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const r = await sfn.send(new GetExecutionHistoryCommand({ executionArn, nextToken, maxResults: 1000 }));
    events.push(...(r.events ?? []));
    nextToken = r.nextToken;
  } while (nextToken);
  // A Distributed Map's children are executions of their own: their progress is the map run's counts.
  const mapRuns: MapRunProgress = {};
  for (const event of events) {
    const mapRunArn = event.mapRunStartedEventDetails?.mapRunArn;
    if (!mapRunArn) continue;
    try {
      const run = await sfn.send(new DescribeMapRunCommand({ mapRunArn }));
      if (run.itemCounts) mapRuns[mapRunArn] = run.itemCounts;
    } catch {
      // Progress is a nice-to-have: a role without states:DescribeMapRun still sees the run.
    }
  }
  return { execution, events, mapRuns };
}

export async function stopRun(
  sfn: SFNClient,
  executionArn: string,
  cause?: string,
): Promise<Date | undefined> {
  const r = await sfn.send(
    new StopExecutionCommand({
      executionArn,
      error: 'StoppedByUser',
      cause: cause ?? 'stopped with `tunekit runs stop`',
    }),
  );
  return r.stopDate;
}
