import type { TaskHandlerName } from '../../pipeline/definition.ts';
import { TASKS } from '../../pipeline/tasks/index.ts';
import { lambdaContext } from './task-context.ts';

/**
 * The Lambda entry of every pipeline task: the same handler the local runner calls, chosen by
 * `TUNEKIT_TASK` (one function per handler, each with its own IAM). The event is the state's Payload.
 */
export async function handler(event: unknown): Promise<unknown> {
  const name = process.env.TUNEKIT_TASK as TaskHandlerName | undefined;
  const task = name ? TASKS[name] : undefined;
  if (!task) {
    throw new Error(
      `tunekit task: TUNEKIT_TASK "${name ?? ''}" names no handler (known: ${Object.keys(TASKS).join(', ')})`,
    );
  }
  const ctx = lambdaContext();
  return task(event as never, { ...ctx, log: (line: string) => console.log(line) });
}
