import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { type ArnScope, executionArn, isValidName, stateMachineArn } from './arns.ts';
import type { MapRunRecord } from './distributed-map.ts';
import { type ExecutionRecord, ExecutionStore, type StateMachineRecord } from './execution-store.ts';
import { toHistoryEvent } from './history.ts';
import { PAYLOAD_LIMIT_BYTES } from './payload-limits.ts';
import {
  distributedMapStates,
  type RunHandle,
  type RunnerOptions,
  runExecution,
  taskResources,
} from './runner.ts';
import { TaskRegistry } from './task-registry.ts';

/**
 * The local Step Functions: state machines, executions (run in-process by aws-local-stepfunctions),
 * their history on disk, and the operations the Step Functions API exposes (see api.ts for the wire).
 * Errors carry Step Functions' exception names so the API layer can return them as AWS does.
 */

export class SfnError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = type;
  }
}

export interface StepFunctionsOptions extends RunnerOptions {
  dataDir: string;
  region?: string;
  account?: string;
  log?: (line: string) => void;
}

export type ExecutionListener = (record: ExecutionRecord, latest: ExecutionRecord['events'][number]) => void;

export class StepFunctionsService {
  readonly tasks = new TaskRegistry();
  readonly scope: ArnScope;
  private readonly store: ExecutionStore;
  private readonly running = new Map<string, { handle: RunHandle; done: Promise<ExecutionRecord> }>();
  private readonly listeners = new Set<ExecutionListener>();
  /** Executions found RUNNING at start-up and closed as FAILED: their owners may need to clean up. */
  readonly interrupted: ExecutionRecord[] = [];

  constructor(private readonly options: StepFunctionsOptions) {
    this.scope = { region: options.region ?? 'us-east-1', account: options.account ?? '000000000000' };
    this.store = new ExecutionStore(join(options.dataDir, 'stepfunctions'), 200, (file, error) =>
      options.log?.(`stepfunctions: skipped unreadable ${file}: ${(error as Error).message}`),
    );
    this.recoverInterrupted();
  }

  /**
   * A stack that stopped (or was killed) mid-run cannot resume an in-process execution, so nothing may
   * be left RUNNING forever: each is closed as FAILED with a cause that says what happened and what to do.
   */
  private recoverInterrupted(): void {
    for (const record of this.store.list()) {
      if (record.status !== 'RUNNING') continue;
      const cause =
        'The local stack stopped while this execution was running, so it cannot continue. ' +
        'Nothing was promoted by it; start it again (e.g. `tunekit run <s3-uri>`).';
      this.finish(record, { status: 'FAILED', error: 'Tunekit.StackRestarted', cause });
      this.interrupted.push(record);
      this.options.log?.(`stepfunctions: marked interrupted execution ${record.name} FAILED`);
    }
  }

  /** Creates or updates a state machine (the local stack has no IAM: roleArn is recorded only). */
  putStateMachine(
    name: string,
    definition: object | string,
    roleArn = 'arn:aws:iam::000000000000:role/tunekit-local',
  ): string {
    if (!isValidName(name)) throw new SfnError('InvalidName', `Invalid State Machine Name: '${name}'`);
    const text = typeof definition === 'string' ? definition : JSON.stringify(definition);
    try {
      taskResources(text); // compiles and validates now, not at the first execution
    } catch (error) {
      throw new SfnError(
        'InvalidDefinition',
        `Invalid State Machine Definition: ${(error as Error).message}`,
      );
    }
    const arn = stateMachineArn(this.scope, name);
    const previous = this.store.machine(arn);
    const now = Date.now();
    const record: StateMachineRecord = {
      stateMachineArn: arn,
      name,
      definition: text,
      roleArn,
      type: 'STANDARD',
      creationDate: previous?.creationDate ?? now,
      updateDate: now,
    };
    this.store.putMachine(record);
    return arn;
  }

  listStateMachines(): StateMachineRecord[] {
    return this.store.listMachines();
  }

  describeStateMachine(arn: string): StateMachineRecord {
    const machine = this.store.machine(arn);
    if (!machine) throw new SfnError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    return machine;
  }

  onEvent(listener: ExecutionListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * StartExecution semantics: a name already used with the same input by a running execution returns
   * that execution (idempotent retry); any other reuse of a name is ExecutionAlreadyExists.
   */
  startExecution(params: { stateMachineArn: string; name?: string; input?: string }): {
    executionArn: string;
    startDate: number;
    started: boolean;
  } {
    const machine = this.describeStateMachine(params.stateMachineArn);
    const name = params.name ?? randomUUID();
    if (!isValidName(name)) throw new SfnError('InvalidName', `Invalid Execution Name: '${name}'`);
    const inputText = params.input ?? '{}';
    if (Buffer.byteLength(inputText) > PAYLOAD_LIMIT_BYTES) {
      throw new SfnError('InvalidExecutionInput', 'Execution input is larger than 262144 bytes');
    }
    let input: unknown;
    try {
      input = JSON.parse(inputText);
    } catch (error) {
      throw new SfnError('InvalidExecutionInput', `Invalid execution input: ${(error as Error).message}`);
    }
    const arn = executionArn(this.scope, machine.name, name);
    const existing = this.store.get(arn);
    if (existing) {
      if (existing.status === 'RUNNING' && existing.input === inputText) {
        return { executionArn: arn, startDate: existing.startDate, started: false };
      }
      throw new SfnError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
    }
    const startDate = Date.now();
    const record: ExecutionRecord = {
      executionArn: arn,
      stateMachineArn: machine.stateMachineArn,
      stateMachineName: machine.name,
      name,
      status: 'RUNNING',
      startDate,
      input: inputText,
      events: [],
      definition: machine.definition,
      definitionDate: machine.updateDate ?? machine.creationDate,
    };
    this.store.save(record);
    const resources = taskResources(machine.definition);
    const distributedMaps = distributedMapStates(machine.definition);
    const handle = runExecution(
      machine.definition,
      input,
      {
        executionArn: arn,
        name,
        stateMachineArn: machine.stateMachineArn,
        startTime: new Date(startDate).toISOString(),
      },
      this.tasks,
      (event) => {
        if (event.type === 'MapRunProgress' && event.mapRun) {
          record.mapRuns = { ...record.mapRuns, [event.mapRun.mapRunArn]: event.mapRun };
          this.store.saveSoon(record);
          return;
        }
        const draft = toHistoryEvent(event, resources, distributedMaps);
        if (draft) this.append(record, event.timestamp, draft);
      },
      this.options,
    );
    const done = handle.result.then((outcome) => {
      this.running.delete(arn);
      if (record.status !== 'RUNNING') return record;
      if (outcome.status === 'SUCCEEDED') {
        this.finish(record, { status: 'SUCCEEDED', output: JSON.stringify(outcome.output ?? null) });
      } else {
        this.finish(record, outcome);
      }
      return record;
    });
    this.running.set(arn, { handle, done });
    return { executionArn: arn, startDate, started: true };
  }

  private append(
    record: ExecutionRecord,
    timestamp: number,
    draft: { type: string } & Record<string, unknown>,
  ) {
    const id = record.events.length + 1;
    const event = { ...draft, id, previousEventId: id - 1, timestamp };
    record.events.push(event);
    this.store.saveSoon(record);
    for (const listener of this.listeners) listener(record, event);
  }

  private finish(
    record: ExecutionRecord,
    outcome: { status: ExecutionRecord['status']; output?: string; error?: string; cause?: string },
  ) {
    record.status = outcome.status;
    record.stopDate = Date.now();
    if (outcome.output !== undefined) record.output = outcome.output;
    if (outcome.error !== undefined) record.error = outcome.error;
    if (outcome.cause !== undefined) record.cause = outcome.cause;
    // The library logs ExecutionSucceeded/Failed itself; aborts and restarts need their event added here.
    const last = record.events.at(-1)?.type;
    if (outcome.status === 'ABORTED' && last !== 'ExecutionAborted') {
      this.append(record, record.stopDate, {
        type: 'ExecutionAborted',
        executionAbortedEventDetails: { error: outcome.error, cause: outcome.cause },
      });
    } else if (outcome.status === 'TIMED_OUT') {
      this.append(record, record.stopDate, {
        type: 'ExecutionTimedOut',
        executionTimedOutEventDetails: { error: outcome.error, cause: outcome.cause },
      });
    } else if (outcome.status === 'FAILED' && last !== 'ExecutionFailed') {
      this.append(record, record.stopDate, {
        type: 'ExecutionFailed',
        executionFailedEventDetails: { error: outcome.error, cause: outcome.cause },
      });
    }
    this.store.save(record);
  }

  describeExecution(arn: string): ExecutionRecord {
    const record = this.store.get(arn);
    if (!record) throw new SfnError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return record;
  }

  /** DescribeMapRun: a Distributed Map run, found with the execution that started it. */
  describeMapRun(mapRunArn: string): MapRunRecord {
    for (const record of this.store.list()) {
      const run = record.mapRuns?.[mapRunArn];
      if (run) return run;
    }
    throw new SfnError('ResourceNotFound', `Resource not found: '${mapRunArn}'`);
  }

  /**
   * DescribeStateMachineForExecution: "the state machine associated with the execution" (botocore
   * stepfunctions; stateMachineArn, name, definition, roleArn, updateDate required; updateDate is "the date
   * and time the state machine associated with an execution was updated. For a newly created state machine,
   * this is the creation date"). That it is the definition the execution started with, after the machine
   * changed, is UNCONFIRMED (the output's revisionId suggests executions keep their revision); the local
   * stack keeps each execution's definition.
   */
  describeStateMachineForExecution(executionArn: string) {
    const execution = this.describeExecution(executionArn);
    const machine = this.describeStateMachine(execution.stateMachineArn);
    return {
      stateMachineArn: machine.stateMachineArn,
      name: machine.name,
      definition: execution.definition ?? machine.definition,
      roleArn: machine.roleArn,
      updateDate: execution.definitionDate ?? machine.updateDate ?? machine.creationDate,
    };
  }

  listExecutions(stateMachineArn?: string): ExecutionRecord[] {
    if (stateMachineArn) this.describeStateMachine(stateMachineArn);
    return this.store.list(stateMachineArn);
  }

  stopExecution(arn: string, error?: string, cause?: string): number {
    const record = this.describeExecution(arn);
    const run = this.running.get(arn);
    if (record.status === 'RUNNING') {
      run?.handle.abort(error, cause);
      this.finish(record, {
        status: 'ABORTED',
        error: error ?? 'Aborted',
        cause: cause ?? 'stopped by StopExecution',
      });
    }
    return record.stopDate ?? Date.now();
  }

  /** Resolves when the execution has ended (or at once if it already has). */
  async waitForExecution(arn: string): Promise<ExecutionRecord> {
    const run = this.running.get(arn);
    if (run) return run.done;
    return this.describeExecution(arn);
  }

  /** Stops every running execution (ABORTED, with a cause), writes everything to disk, returns their ARNs. */
  async close(): Promise<string[]> {
    const stopped = [...this.running.keys()];
    for (const arn of stopped) {
      this.stopExecution(arn, 'Tunekit.StackStopped', 'the local stack was stopped while this execution ran');
    }
    this.store.flush();
    return stopped;
  }
}
