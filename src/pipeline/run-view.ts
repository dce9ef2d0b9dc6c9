import type { HistoryEvent, MapRunItemCounts } from '@aws-sdk/client-sfn';

/**
 * What `tunekit runs show|watch` draws: one row per top-level state in the order the run visited them,
 * with status, times, retries and errors, and the progress of the Evaluate Map. Built from
 * GetExecutionHistory events, so it reads the same from the local stack and from AWS.
 */

export interface StateRow {
  name: string;
  status: 'running' | 'succeeded' | 'failed' | 'caught';
  enteredAt: Date;
  exitedAt?: Date;
  /** Failed attempts that were retried (or caught). */
  failures: number;
  error?: string;
  cause?: string;
  /** Map states: iterations done / started. */
  iterations?: { done: number; failed: number; started: number };
}

/** DescribeMapRun's item counts by map run ARN (a Distributed Map's progress is not in the history). */
export type MapRunProgress = Record<string, MapRunItemCounts>;

const time = (e: HistoryEvent) =>
  e.timestamp instanceof Date ? e.timestamp : new Date(Number(e.timestamp) * 1000);

export function buildRunView(events: HistoryEvent[], mapRuns: MapRunProgress = {}): StateRow[] {
  const rows: StateRow[] = [];
  const open = new Map<string, StateRow>();
  // Map iterations replay the iterator's states; only the Map itself is a row. While a Map is open,
  // inner StateEntered/Exited (and their failures) belong to it.
  let currentMap: StateRow | undefined;
  let lastTaskRow: StateRow | undefined;
  for (const e of events) {
    const type = e.type ?? '';
    if (type.endsWith('StateEntered')) {
      const name = e.stateEnteredEventDetails?.name ?? '?';
      if (currentMap && name !== currentMap.name) continue;
      const row: StateRow = { name, status: 'running', enteredAt: time(e), failures: 0 };
      if (type === 'MapStateEntered') {
        currentMap = row;
        row.iterations = { done: 0, failed: 0, started: 0 };
      }
      rows.push(row);
      open.set(name, row);
      lastTaskRow = row;
    } else if (type.endsWith('StateExited')) {
      const name = e.stateExitedEventDetails?.name ?? '?';
      if (currentMap && name !== currentMap.name) continue;
      const row = open.get(name);
      if (!row) continue;
      if (type === 'MapStateExited') currentMap = undefined;
      row.exitedAt = time(e);
      // A Catch also "exits" the state: its output then carries the error at the catcher's ResultPath.
      if (row.status === 'running')
        row.status = row.error && carriesError(e, row.error) ? 'caught' : 'succeeded';
      open.delete(name);
    } else if (type === 'MapRunStarted' && currentMap?.iterations) {
      const counts = mapRuns[e.mapRunStartedEventDetails?.mapRunArn ?? ''];
      if (counts) {
        const done = counts.succeeded ?? 0;
        const failed = (counts.failed ?? 0) + (counts.timedOut ?? 0) + (counts.aborted ?? 0);
        currentMap.iterations = { done, failed, started: done + failed + (counts.running ?? 0) };
      }
    } else if (type === 'MapIterationStarted' && currentMap?.iterations) {
      currentMap.iterations.started++;
    } else if (type === 'MapIterationSucceeded' && currentMap?.iterations) {
      currentMap.iterations.done++;
    } else if (type === 'MapIterationFailed' && currentMap?.iterations) {
      currentMap.iterations.failed++;
    } else if (type === 'TaskFailed' || type === 'MapStateFailed') {
      const row = currentMap ?? lastTaskRow;
      if (!row) continue;
      const details = e.taskFailedEventDetails;
      const raw = e as unknown as { error?: string; cause?: string };
      row.failures++;
      row.error = details?.error ?? raw.error;
      row.cause = details?.cause ?? raw.cause;
      if (type === 'MapStateFailed') {
        row.status = 'failed';
        currentMap = undefined;
      }
    } else if (type === 'ExecutionFailed' || type === 'ExecutionAborted' || type === 'ExecutionTimedOut') {
      for (const row of open.values()) {
        row.status = 'failed';
        row.exitedAt = time(e);
      }
      open.clear();
    }
  }
  // A state that failed but whose run went on (a Catch moved it to Teardown) was caught.
  for (const [i, row] of rows.entries()) {
    if (row.status === 'running' && i < rows.length - 1) row.status = row.error ? 'caught' : 'succeeded';
    if (row.status === 'succeeded' && row.error && row.exitedAt === undefined) row.status = 'caught';
  }
  return rows;
}

function carriesError(e: HistoryEvent, error: string): boolean {
  try {
    const output = JSON.parse(e.stateExitedEventDetails?.output ?? 'null') as Record<
      string,
      { Error?: string }
    > | null;
    return output?.error?.Error === error || output?.teardownError?.Error === error;
  } catch {
    return false;
  }
}

/**
 * The message inside a Step Functions error cause: a Lambda error's `errorMessage` or a Bedrock job's
 * `failureMessage` when the cause is their JSON, else the cause as it is.
 */
export function causeMessage(cause: string): string {
  try {
    const parsed = JSON.parse(cause);
    const message = parsed?.errorMessage ?? parsed?.failureMessage;
    if (typeof message === 'string') return message;
  } catch {
    // not JSON: use as is
  }
  return cause;
}

/** `1m 05s`, `850ms` — for durations people read. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return m < 60
    ? `${m}m ${String(s % 60).padStart(2, '0')}s`
    : `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}
