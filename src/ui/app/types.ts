/** The JSON the API sends (src/ui/server/data.ts and the library types it returns). */

export interface RunSummary {
  name: string;
  status: string;
  startedAt?: string;
  stoppedAt?: string;
  durationMs?: number;
  trigger?: string;
  data?: string;
  outcome?: string;
  version?: string;
}

export interface StateRow {
  name: string;
  status: 'running' | 'succeeded' | 'failed' | 'caught';
  enteredAt: string;
  exitedAt?: string;
  failures: number;
  error?: string;
  message?: string;
  iterations?: { done: number; failed: number; started: number };
}

export interface RunDetail extends RunSummary {
  states: StateRow[];
  error?: string;
  cause?: string;
  output?: Record<string, unknown>;
}

export interface MetricScore {
  metric: string;
  dimension: string;
  score: number;
  detail?: string;
}

export interface CaseResult {
  caseId: string;
  category: string;
  model: string;
  status: 'ok' | 'error';
  answer?: string;
  error?: { code: string; message: string };
  latencyMs: number;
  metrics: MetricScore[];
}

export interface GateCheck {
  name: string;
  description: string;
  threshold: number;
  measured: Record<string, number | null>;
  delta: number | null;
  passed: boolean;
  reason: string;
}

export interface Aggregate {
  model: string;
  modelId: string;
  total: number;
  errored: number;
  overall?: number | null;
  byDimension: Record<string, number>;
  byCategory: Record<string, number>;
}

export interface EvalReport {
  runId: string;
  createdAt: string;
  suite: {
    name: string;
    cases: { id: string; category: string; prompt: string; reference: string }[];
  };
  models: { label: string; modelId: string }[];
  judge: { status: string; model?: string; reason?: string };
  aggregates: Aggregate[];
  gate?: { passed: boolean; summary: string; labels: Record<string, string>; checks: GateCheck[] };
  trainingLoss?: { step: number; epoch: number | null; loss: number }[];
  results: CaseResult[];
}

export interface VersionRow {
  version: string;
  status: string;
  registeredAt?: string;
  baseModelId: string;
  jobArn?: string;
  gatePassed?: boolean;
  overallScore?: number;
  aliases: string[];
}

export interface Listing {
  name: string;
  revision: number;
  aliases: Record<string, string>;
  versions: VersionRow[];
}

export interface HistoryEvent {
  revision: number;
  at: string;
  actor: string;
  action: string;
  version: string;
  from?: string;
  reason?: string;
  forced?: boolean;
}
