import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../atomic-write.ts';
import type { MapRunRecord } from './distributed-map.ts';

/**
 * Executions and state machines on disk, one JSON file each, written atomically (temp file + rename),
 * so a kill -9 leaves either the previous or the next version of a record, never half of one.
 * Records are kept in memory too; the local stack is one process and holds hundreds, not millions.
 */

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/** A Step Functions HistoryEvent, with `timestamp` in epoch milliseconds (the API converts). */
export interface HistoryEvent {
  id: number;
  previousEventId: number;
  timestamp: number;
  type: string;
  [details: string]: unknown;
}

export interface ExecutionRecord {
  executionArn: string;
  stateMachineArn: string;
  stateMachineName: string;
  name: string;
  status: ExecutionStatus;
  startDate: number;
  stopDate?: number;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  events: HistoryEvent[];
  /**
   * The definition the execution runs and when the machine last changed before it started
   * (DescribeStateMachineForExecution); absent in records from before.
   */
  definition?: string;
  definitionDate?: number;
  /** Distributed Map runs of this execution, for DescribeMapRun. */
  mapRuns?: Record<string, MapRunRecord>;
}

export interface StateMachineRecord {
  stateMachineArn: string;
  name: string;
  definition: string;
  roleArn: string;
  type: 'STANDARD';
  creationDate: number;
  /** When the definition was last put (the creation date for a new machine). */
  updateDate?: number;
}

// Compact JSON (not atomic-write.ts's pretty writeJsonAtomic): a running history is rewritten every flush.
const writeRecord = (path: string, value: unknown) => writeFileAtomic(path, JSON.stringify(value));

const fileName = (name: string) => `${encodeURIComponent(name)}.json`;

export class ExecutionStore {
  private readonly executions = new Map<string, ExecutionRecord>();
  private readonly machines = new Map<string, StateMachineRecord>();
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private readonly machineDir: string;
  private readonly executionDir: string;

  /** Loads what a previous run of the stack left; unreadable files are skipped and reported. */
  constructor(
    dir: string,
    private readonly flushDelayMs = 200,
    onCorrupt: (file: string, error: unknown) => void = () => {},
  ) {
    this.machineDir = join(dir, 'state-machines');
    this.executionDir = join(dir, 'executions');
    mkdirSync(this.machineDir, { recursive: true });
    mkdirSync(this.executionDir, { recursive: true });
    for (const [dirPath, into] of [
      [this.machineDir, this.machines],
      [this.executionDir, this.executions],
    ] as const) {
      for (const file of readdirSync(dirPath)) {
        if (!file.endsWith('.json')) continue;
        try {
          const record = JSON.parse(readFileSync(join(dirPath, file), 'utf8'));
          (into as Map<string, unknown>).set(record.executionArn ?? record.stateMachineArn, record);
        } catch (error) {
          onCorrupt(join(dirPath, file), error);
        }
      }
    }
  }

  putMachine(record: StateMachineRecord): void {
    this.machines.set(record.stateMachineArn, record);
    writeRecord(join(this.machineDir, fileName(record.name)), record);
  }

  machine(arn: string): StateMachineRecord | undefined {
    return this.machines.get(arn);
  }

  listMachines(): StateMachineRecord[] {
    return [...this.machines.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  get(arn: string): ExecutionRecord | undefined {
    return this.executions.get(arn);
  }

  /** Newest first, as ListExecutions returns them. */
  list(stateMachineArn?: string): ExecutionRecord[] {
    return [...this.executions.values()]
      .filter((e) => !stateMachineArn || e.stateMachineArn === stateMachineArn)
      .sort((a, b) => b.startDate - a.startDate || b.name.localeCompare(a.name));
  }

  /** Saves now: for creation and terminal states, which must survive a crash right after. */
  save(record: ExecutionRecord): void {
    this.executions.set(record.executionArn, record);
    const timer = this.pending.get(record.executionArn);
    if (timer) clearTimeout(timer);
    this.pending.delete(record.executionArn);
    writeRecord(join(this.executionDir, fileName(`${record.stateMachineName}:${record.name}`)), record);
  }

  /** Saves soon: progress events come in bursts (a Map of 40 cases), one write covers a burst. */
  saveSoon(record: ExecutionRecord): void {
    this.executions.set(record.executionArn, record);
    if (this.pending.has(record.executionArn)) return;
    this.pending.set(
      record.executionArn,
      setTimeout(() => this.save(record), this.flushDelayMs),
    );
  }

  /** Writes everything pending (stack shutdown). */
  flush(): void {
    for (const arn of [...this.pending.keys()]) {
      const record = this.executions.get(arn);
      if (record) this.save(record);
    }
  }
}
