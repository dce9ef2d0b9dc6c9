import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import type { LibEvent } from './history.ts';
import { installPromiseWithResolvers } from './polyfill.ts';
import type { TaskRegistry } from './task-registry.ts';

installPromiseWithResolvers();

/**
 * Runs one execution of a definition with aws-local-stepfunctions, sending every Task to the registry.
 * StateMachine instances are cached per definition: constructing one validates the definition and costs
 * 70–180 ms (platform-notes.md), which a burst of triggers should pay once.
 */

export interface RunnerOptions {
  /** Wait state name -> milliseconds (tests and the demo poll fast). */
  waitTimeOverrides?: Record<string, number>;
  /** Retryable state name -> milliseconds between retries. */
  retryIntervalOverrides?: Record<string, number | number[]>;
}

export interface RunHandle {
  result: Promise<
    | { status: 'SUCCEEDED'; output: unknown }
    | { status: 'FAILED' | 'TIMED_OUT' | 'ABORTED'; error: string; cause: string }
  >;
  abort(error?: string, cause?: string): void;
}

interface TaskStateInfo {
  resource: string;
}

const cache = new Map<string, { machine: StateMachine; tasks: Map<string, TaskStateInfo> }>();

function collectTasks(states: Record<string, Record<string, unknown>>, into: Map<string, TaskStateInfo>) {
  for (const [name, state] of Object.entries(states)) {
    if (state.Type === 'Task') into.set(name, { resource: String(state.Resource) });
    const processor = (state.ItemProcessor ?? state.Iterator) as {
      States?: Record<string, Record<string, unknown>>;
    };
    if (processor?.States) collectTasks(processor.States, into);
    for (const branch of (state.Branches as { States: Record<string, Record<string, unknown>> }[]) ?? []) {
      collectTasks(branch.States, into);
    }
  }
}

export function compile(definition: string) {
  let entry = cache.get(definition);
  if (!entry) {
    const parsed = JSON.parse(definition) as StateMachineDefinition;
    const tasks = new Map<string, TaskStateInfo>();
    collectTasks(parsed.States as never, tasks);
    entry = {
      machine: new StateMachine(parsed, { validationOptions: { checkArn: true, checkPaths: true } }),
      tasks,
    };
    cache.set(definition, entry);
  }
  return entry;
}

/** Resource of each Task state (for TaskFailed events). */
export function taskResources(definition: string): Record<string, string> {
  return Object.fromEntries([...compile(definition).tasks].map(([name, info]) => [name, info.resource]));
}

export function runExecution(
  definition: string,
  input: unknown,
  context: { executionArn: string; name: string; stateMachineArn: string; startTime: string },
  registry: TaskRegistry,
  onEvent: (event: LibEvent) => void,
  options: RunnerOptions = {},
): RunHandle {
  const { machine, tasks } = compile(definition);
  const controller = new AbortController();
  const handlers: Record<string, (input: unknown) => Promise<never>> = {};
  for (const [stateName, info] of tasks) {
    handlers[stateName] = (parameters: unknown) =>
      registry.invoke(info.resource, parameters, {
        stateName,
        executionArn: context.executionArn,
        signal: controller.signal,
      }) as Promise<never>;
  }
  const execution = machine.run(input as never, {
    overrides: {
      taskResourceLocalHandlers: handlers as never,
      waitTimeOverrides: options.waitTimeOverrides,
      retryIntervalOverrides: options.retryIntervalOverrides,
    },
    context: {
      Execution: {
        Id: context.executionArn,
        Name: context.name,
        Input: input as never,
        StartTime: context.startTime,
        RoleArn: 'arn:aws:iam::000000000000:role/tunekit-local-states',
      },
      StateMachine: { Id: context.stateMachineArn, Name: context.stateMachineArn.split(':').pop() },
    },
  });
  let failure: { error: string; cause: string } | undefined;
  const pump = (async () => {
    for await (const event of execution.eventLogs) {
      const e = event as unknown as LibEvent;
      if (e.type === 'ExecutionFailed') {
        failure = {
          error: String(e.Error),
          cause: typeof e.Cause === 'string' ? e.Cause : JSON.stringify(e.Cause),
        };
      }
      onEvent(e);
    }
  })();
  let aborted: { error: string; cause: string } | undefined;
  const result = (async () => {
    try {
      const output = await execution.result;
      await pump;
      return { status: 'SUCCEEDED' as const, output };
    } catch (error) {
      await pump.catch(() => {});
      const name = (error as Error).name;
      if (aborted || name === 'ExecutionAbortedError') {
        return {
          status: 'ABORTED' as const,
          error: aborted?.error ?? 'Aborted',
          cause: aborted?.cause ?? '',
        };
      }
      if (name === 'ExecutionTimeoutError') {
        return {
          status: 'TIMED_OUT' as const,
          error: 'States.Timeout',
          cause: 'the execution ran past TimeoutSeconds',
        };
      }
      return {
        status: 'FAILED' as const,
        error: failure?.error ?? name,
        cause: failure?.cause ?? (error as Error).message,
      };
    }
  })();
  return {
    result,
    abort(error = 'Aborted', cause = 'stopped by StopExecution') {
      aborted = { error, cause };
      controller.abort();
      execution.abort();
    },
  };
}
