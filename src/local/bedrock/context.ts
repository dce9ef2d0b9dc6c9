import type { Conversation } from '../../dataset/conversation.ts';
import type { Method } from '../../models/methods.ts';
import type { DatasetFormat } from '../../models/schema.ts';
import type { TrainingEngine } from '../engine/engine.port.ts';
import type { ObjectStore } from '../s3/object-store.port.ts';
import type { Account } from './arns.ts';
import type { JobScheduler } from './jobs/scheduler.ts';
import type { JobRecord } from './records.ts';
import type { BedrockState } from './state.ts';

/** The slice of the dataset module the job runner uses (src/dataset/index.ts). */
export interface DatasetPort {
  validateDataset(
    input: { buffer: Buffer },
    options: { model: string; role?: 'training' | 'validation'; maxIssues?: number; method?: Method },
  ): Promise<{
    valid: boolean;
    format?: DatasetFormat | string | null;
    errors: { line?: number; path?: string; message: string; hint?: string }[];
    errorCount?: number;
  }>;
  parseConversations(buffer: Buffer, format?: DatasetFormat): Conversation[];
}

export interface BedrockOptions {
  account: Account;
  /** Bedrock's account quota of concurrent customization jobs (2); creates beyond it are refused. */
  maxConcurrentJobs: number;
  /** How many jobs train at once on this machine; the others wait InProgress in a queue. */
  trainingSlots: number;
  /** Delay before a Provisioned Throughput is InService / a deployment is Active. */
  provisioningDelayMs: number;
  /** Reject end-of-life models as Bedrock does, instead of serving them with a warning. */
  strictLifecycle: boolean;
  /** Bedrock's quota of no-commitment Provisioned Throughputs per account (2). */
  maxNoCommitProvisioned: number;
  /**
   * Where the local stack finds the Lambda functions Bedrock would invoke (RFT graders): the function
   * NAME of an ARN `...:function:NAME` is the file NAME.mjs/.js/.ts here (the project's graders/ folder).
   */
  functionsDir: string;
  /** Grader function names registered to a file (see resolveGrader). */
  graders?: Readonly<Record<string, string>>;
}

export interface BedrockContext {
  options: BedrockOptions;
  state: BedrockState;
  store: ObjectStore;
  engine: TrainingEngine;
  dataset: DatasetPort;
  jobs: JobScheduler;
  log(line: string): void;
  /** Announces a job's status change (EventBridge-shaped, see events.ts). */
  emitJobState(job: JobRecord): void;
}

export const nowIso = () => new Date().toISOString();
