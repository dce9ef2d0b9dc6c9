import type { HistoryEvent } from '@aws-sdk/client-sfn';

/**
 * The data problems of a run that stopped at validation, read back from the run itself: the
 * ValidateTrainingData state's output is kept in the execution history (Step Functions keeps a closed
 * execution's history for 90 days: https://docs.aws.amazon.com/step-functions/latest/dg/limits-overview.html),
 * so `tunekit runs show` can list them long after the notification scrolled away.
 */

export interface RunValidationProblem {
  line?: number;
  path?: string;
  code: string;
  message: string;
  hint: string;
}

export interface RunValidation {
  dataUri: string;
  errorCount: number;
  problems: RunValidationProblem[];
}

/** undefined when the run has not validated its data yet, or its data was valid. */
export function runValidation(events: readonly HistoryEvent[]): RunValidation | undefined {
  for (const event of events) {
    const exited = event.stateExitedEventDetails;
    if (exited?.name !== 'ValidateTrainingData' || !exited.output) continue;
    try {
      const payload = (JSON.parse(exited.output) as { validation?: { Payload?: Record<string, unknown> } })
        .validation?.Payload;
      if (payload?.valid !== false) return undefined;
      return {
        dataUri: String(payload.dataUri ?? ''),
        errorCount: Number(payload.errorCount ?? 0),
        problems: (payload.errors as RunValidationProblem[] | undefined) ?? [],
      };
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The pre-flight's warnings of a run (e.g. a suite unlike its data), read back from its history. */
export function runWarnings(events: readonly HistoryEvent[]): string[] {
  for (const event of events) {
    const exited = event.stateExitedEventDetails;
    if (exited?.name !== 'ValidateTrainingData' || !exited.output) continue;
    try {
      const payload = (JSON.parse(exited.output) as { validation?: { Payload?: { warnings?: unknown } } })
        .validation?.Payload;
      return Array.isArray(payload?.warnings) ? payload.warnings.map(String) : [];
    } catch {
      return [];
    }
  }
  return [];
}
