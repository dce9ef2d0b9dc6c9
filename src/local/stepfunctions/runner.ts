import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import {
  type DistributedMapPlan,
  isDistributedMap,
  planDistributedMap,
  runDistributedMap,
} from './distributed-map.ts';
import type { LibEvent } from './history.ts';
import {
  type Catcher,
  catchesDataLimit,
  checkPayload,
  enforceLimits,
  installPayloadLimits,
} from './payload-limits.ts';
import { installPromiseWithResolvers } from './polyfill.ts';
import type { TaskRegistry } from './task-registry.ts';

installPromiseWithResolvers();
installPayloadLimits();

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
  catchers?: Catcher[];
}

type States = Record<string, Record<string, unknown>>;

interface Compiled {
  machine: StateMachine;
  tasks: Map<string, TaskStateInfo>;
  distributedMaps: Map<string, DistributedMapPlan>;
}

const cache = new Map<string, Compiled>();

/**
 * Collects Task states, puts a stand-in in place of each Distributed Map (distributed-map.ts) and marks
 * every inline Map's ItemProcessor for the payload checks with the Map whose Catch sees its failures.
 */
function prepare(states: States, into: Omit<Compiled, 'machine'>) {
  for (const [name, state] of Object.entries(states)) {
    if (isDistributedMap(state)) {
      const plan = planDistributedMap(name, state);
      into.distributedMaps.set(name, plan);
      states[name] = plan.standIn;
      collectChildTasks(state, into);
      continue;
    }
    if (state.Type === 'Task') {
      into.tasks.set(name, {
        resource: String(state.Resource),
        catchers: state.Catch as Catcher[] | undefined,
      });
    }
    const processor = (state.ItemProcessor ?? state.Iterator) as { States?: States } | undefined;
    if (processor?.States) {
      enforceLimits(processor, {
        label: `an iteration of Map '${name}'`,
        parentMap: { name, catchers: state.Catch as Catcher[] | undefined },
      });
      prepare(processor.States, into);
    }
    for (const branch of (state.Branches as { States: States }[]) ?? []) prepare(branch.States, into);
  }
}

/** A Distributed Map's ItemProcessor runs as child executions; its Tasks still need handlers. */
function collectChildTasks(state: Record<string, unknown>, into: Omit<Compiled, 'machine'>) {
  const processor = state.ItemProcessor as { States: States };
  for (const [name, child] of Object.entries(processor.States)) {
    if (child.Type === 'Task') {
      into.tasks.set(name, {
        resource: String(child.Resource),
        catchers: child.Catch as Catcher[] | undefined,
      });
    }
  }
}

export function compile(definition: string): Compiled {
  let entry = cache.get(definition);
  if (!entry) {
    const parsed = JSON.parse(definition) as StateMachineDefinition;
    // The library validates what it runs: the Distributed Map stand-ins are checked by planDistributedMap.
    const parts = {
      tasks: new Map<string, TaskStateInfo>(),
      distributedMaps: new Map<string, DistributedMapPlan>(),
    };
    prepare(parsed.States as never, parts);
    enforceLimits(parsed, { label: 'the execution' });
    entry = {
      machine: new StateMachine(parsed, { validationOptions: { checkArn: true, checkPaths: true } }),
      ...parts,
    };
    cache.set(definition, entry);
  }
  return entry;
}

/** Resource of each Task state (for TaskFailed events). */
export function taskResources(definition: string): Record<string, string> {
  return Object.fromEntries([...compile(definition).tasks].map(([name, info]) => [name, info.resource]));
}

/** Names of the Distributed Map states (run by a stand-in Task; history reports them as Map states). */
export function distributedMapStates(definition: string): Set<string> {
  return new Set(compile(definition).distributedMaps.keys());
}

export function runExecution(
  definition: string,
  input: unknown,
  context: { executionArn: string; name: string; stateMachineArn: string; startTime: string },
  registry: TaskRegistry,
  onEvent: (event: LibEvent) => void,
  options: RunnerOptions = {},
): RunHandle {
  const { machine, tasks, distributedMaps } = compile(definition);
  const controller = new AbortController();
  const handlers: Record<string, (input: unknown) => Promise<never>> = {};
  for (const [stateName, info] of tasks) {
    // Inside the state, so its Catch applies: only a catcher naming States.DataLimitExceeded catches.
    const catchable = catchesDataLimit(info.catchers);
    handlers[stateName] = async (parameters: unknown) => {
      checkPayload(parameters, `The input of task '${stateName}' (after Parameters)`, catchable);
      const result = await registry.invoke(info.resource, parameters, {
        stateName,
        executionArn: context.executionArn,
        signal: controller.signal,
      });
      checkPayload(result, `The result of task '${stateName}'`, catchable);
      return result as never;
    };
  }
  const overrides = {
    taskResourceLocalHandlers: handlers as never,
    waitTimeOverrides: options.waitTimeOverrides,
    retryIntervalOverrides: options.retryIntervalOverrides,
  };
  for (const [stateName, plan] of distributedMaps) {
    handlers[stateName] = (payload: unknown) =>
      runDistributedMap(plan, payload, {
        executionArn: context.executionArn,
        stateMachineArn: context.stateMachineArn,
        registry,
        signal: controller.signal,
        runOptions: { overrides },
        emit: (event) => onEvent({ ...event, timestamp: Date.now() }),
      }) as Promise<never>;
  }
  const execution = machine.run(input as never, {
    overrides,
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
