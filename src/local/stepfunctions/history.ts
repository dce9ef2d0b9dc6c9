import type { MapRunRecord } from './distributed-map.ts';

/**
 * Turns aws-local-stepfunctions' event log into Step Functions HistoryEvents (the GetExecutionHistory
 * shape), so `tunekit runs show` reads the same events from the local stack and from AWS.
 */

export interface LibEvent {
  type: string;
  timestamp: number;
  state?: { name: string; type: string; input?: unknown; output?: unknown };
  parentState?: { name: string; type: string };
  index?: number;
  input?: unknown;
  output?: unknown;
  Error?: string;
  Cause?: unknown;
  retry?: { attempt: number };
  /** MapRunStarted (from the Distributed Map runner). */
  mapRunArn?: string;
  /** MapRunProgress: not a history event; the service keeps it for DescribeMapRun. */
  mapRun?: MapRunRecord;
}

export type SfnEventDraft = { type: string } & Record<string, unknown>;

const json = (value: unknown) => (value === undefined ? undefined : JSON.stringify(value));
const text = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value ?? null));

/** One library event -> zero or one HistoryEvent (without id/timestamp, which the store assigns). */
export function toHistoryEvent(
  event: LibEvent,
  resources: Record<string, string>,
  /** Distributed Map states, which the runner hands the library as a stand-in Task (distributed-map.ts). */
  distributedMaps: ReadonlySet<string> = new Set(),
): SfnEventDraft | undefined {
  const stateType = distributedMaps.has(event.state?.name ?? '') ? 'Map' : (event.state?.type ?? '');
  switch (event.type) {
    case 'ExecutionStarted':
      return { type: 'ExecutionStarted', executionStartedEventDetails: { input: json(event.input) } };
    case 'ExecutionSucceeded':
      return { type: 'ExecutionSucceeded', executionSucceededEventDetails: { output: json(event.output) } };
    case 'ExecutionFailed':
      return {
        type: 'ExecutionFailed',
        executionFailedEventDetails: { error: event.Error, cause: text(event.Cause) },
      };
    case 'StateEntered':
      return {
        type: `${stateType}StateEntered`,
        stateEnteredEventDetails: { name: event.state?.name, input: json(event.state?.input) },
      };
    case 'StateExited':
      return {
        type: `${stateType}StateExited`,
        stateExitedEventDetails: { name: event.state?.name, output: json(event.state?.output) },
      };
    case 'StateFailed': {
      const name = event.state?.name ?? '';
      if (stateType === 'Task') {
        return {
          type: 'TaskFailed',
          taskFailedEventDetails: {
            resourceType: 'lambda',
            resource: resources[name] ?? name,
            error: event.Error,
            cause: text(event.Cause),
          },
          // Not in the AWS shape; kept for the local store so `runs show` can name the failing state.
          stateName: name,
        };
      }
      return stateType === 'Map'
        ? { type: 'MapStateFailed', stateName: name, error: event.Error, cause: text(event.Cause) }
        : undefined;
    }
    case 'MapIterationStarted':
    case 'MapIterationSucceeded':
    case 'MapIterationFailed': {
      const key = `${event.type[0]!.toLowerCase()}${event.type.slice(1)}EventDetails`;
      return { type: event.type, [key]: { name: event.parentState?.name, index: event.index } };
    }
    case 'MapRunStarted':
      return { type: 'MapRunStarted', mapRunStartedEventDetails: { mapRunArn: event.mapRunArn } };
    case 'MapRunSucceeded':
      return { type: 'MapRunSucceeded' };
    case 'MapRunFailed':
      return {
        type: 'MapRunFailed',
        mapRunFailedEventDetails: { error: event.Error, cause: text(event.Cause) },
      };
    default:
      // StateRetried / StateCaught have no event of their own in Step Functions: the TaskFailed before
      // them and the next StateEntered tell the story.
      return undefined;
  }
}
