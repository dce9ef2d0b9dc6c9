import type { HistoryEvent } from '../local/stepfunctions/index.ts';
import { causeMessage } from '../pipeline/run-view.ts';
import { style } from './output.ts';

/**
 * Live progress of local runs for `tunekit watch` and the main job: one plain line per state entered,
 * finished or failed (Map iterations summarised), readable in a terminal and in CI logs alike.
 */
export function progressPrinter(write: (line: string) => void) {
  const entered = new Map<string, number>();
  const mapDone = new Map<string, number>();
  return (run: { name: string; status: string }, event: HistoryEvent) => {
    const at = new Date(event.timestamp).toISOString().slice(11, 19);
    const prefix = `${style.dim(at)} ${run.name.slice(0, 40)}`;
    const entered_ = event.stateEnteredEventDetails as { name?: string } | undefined;
    const exited = event.stateExitedEventDetails as { name?: string } | undefined;
    const inMap = (name?: string) => name === 'EvaluateCase';
    if (event.type.endsWith('StateEntered') && entered_?.name && !inMap(entered_.name)) {
      entered.set(`${run.name}/${entered_.name}`, event.timestamp);
      write(`${prefix}  ${style.cyan('▶')} ${entered_.name}`);
    } else if (event.type.endsWith('StateExited') && exited?.name && !inMap(exited.name)) {
      const started = entered.get(`${run.name}/${exited.name}`) ?? event.timestamp;
      write(
        `${prefix}  ${style.green('✓')} ${exited.name} ${style.dim(`(${((event.timestamp - started) / 1000).toFixed(1)}s)`)}`,
      );
    } else if (event.type === 'MapIterationSucceeded' || event.type === 'MapIterationFailed') {
      const n = (mapDone.get(run.name) ?? 0) + 1;
      mapDone.set(run.name, n);
      if (n % 8 === 0 || event.type === 'MapIterationFailed')
        write(`${prefix}    ${n} evaluation cases done`);
    } else if (event.type === 'TaskFailed') {
      const d = event.taskFailedEventDetails as { error?: string; cause?: string } | undefined;
      write(
        `${prefix}  ${style.yellow('!')} ${String(event.stateName ?? '')} ${d?.error ?? ''} ${style.dim(shortCause(d?.cause))}`,
      );
    } else if (event.type === 'ExecutionSucceeded') {
      write(`${prefix}  ${style.green('run SUCCEEDED')}`);
    } else if (event.type === 'ExecutionFailed' || event.type === 'ExecutionAborted') {
      const d = (event.executionFailedEventDetails ?? event.executionAbortedEventDetails) as
        | { error?: string; cause?: string }
        | undefined;
      write(
        `${prefix}  ${style.red(`run ${event.type === 'ExecutionFailed' ? 'FAILED' : 'ABORTED'}`)} ${d?.error ?? ''} ${shortCause(d?.cause)}`,
      );
    }
  };
}

function shortCause(cause: string | undefined): string {
  if (!cause) return '';
  const text = causeMessage(cause);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
