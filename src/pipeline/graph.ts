import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { field } from './tasks/context.ts';

/**
 * The pipeline as a graph, for the dashboard's drawing of a run: the top-level states of an ASL definition
 * and the transitions between them (Next, a Choice's Choices[].Next and Default, Catch[].Next). A Map's
 * ItemProcessor stays inside its Map: one node.
 */

export interface GraphNode {
  name: string;
  /** ASL type: Task, Choice, Pass, Wait, Map, Succeed, Fail, Parallel. */
  type: string;
}

export interface GraphEdge {
  from: string;
  to: string;
  kind: 'next' | 'choice' | 'default' | 'catch';
}

export interface PipelineGraph {
  startAt: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
}

type State = {
  Type?: string;
  Next?: string;
  Default?: string;
  Choices?: { Next?: string }[];
  Catch?: { Next?: string }[];
};

export function pipelineGraph(definition: Record<string, unknown>): PipelineGraph {
  const states = (definition.States ?? {}) as Record<string, State>;
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const seen = new Set<string>();
  const add = (from: string, to: string | undefined, kind: GraphEdge['kind']) => {
    const key = `${from}>${to}`;
    // One edge per pair of states: the first kind wins (two Choice rules to the same state draw once).
    if (!to || !(to in states) || seen.has(key)) return;
    seen.add(key);
    edges.push({ from, to, kind });
  };
  for (const [name, state] of Object.entries(states)) {
    nodes.push({ name, type: state.Type ?? 'Task' });
    add(name, state.Next, 'next');
    for (const choice of state.Choices ?? []) add(name, choice.Next, 'choice');
    add(name, state.Default, 'default');
    for (const c of state.Catch ?? []) add(name, c.Next, 'catch');
  }
  return { startAt: String(definition.StartAt ?? nodes[0]?.name ?? ''), nodes, edges };
}

/** What a run created (its evaluation deployments and custom model) and what its Teardown deleted. */
export interface RunResources {
  customModel?: { arn: string; name?: string };
  deployments: {
    role: 'candidate' | 'production';
    mode?: string;
    name?: string;
    arn: string;
    shared?: boolean;
  }[];
  /** Teardown's `deleted`; absent until Teardown has run. */
  tornDown?: { mode: string; arn: string }[];
  deletedModels?: { version: string; action: string }[];
}

/** A state's input or output JSON as an object; undefined for anything else (absent, not JSON, not an object). */
export const parseJsonObject = (text: string | undefined): Record<string, unknown> | undefined => {
  try {
    const v = JSON.parse(text ?? 'null');
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
};

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/**
 * Read from the outputs of StartFineTuningJob ($.training), DeployForEvaluation ($.deployment.Payload)
 * and Teardown ($.teardown.Payload) in the execution history, so it also shows while the run goes on and
 * for a failed run.
 */
export function runResources(events: HistoryEvent[]): RunResources {
  const out: RunResources = { deployments: [] };
  for (const e of events) {
    const exited = e.stateExitedEventDetails;
    if (!exited?.name) continue;
    const output = parseJsonObject(exited.output);
    if (exited.name === 'StartFineTuningJob') {
      const training = output?.training;
      const arn = str(field(training, 'outputModelArn'));
      const name = str(field(training, 'outputModelName'));
      if (arn) out.customModel = { arn, ...(name ? { name } : {}) };
    } else if (exited.name === 'DeployForEvaluation') {
      const payload = field(output?.deployment, 'Payload') as Record<string, unknown> | undefined;
      const one = (role: 'candidate' | 'production', d: unknown) => {
        const arn = str(field(d, 'arn'));
        if (!arn) return;
        const mode = str(field(d, 'mode'));
        const name = str(field(d, 'name'));
        out.deployments.push({
          role,
          arn,
          ...(mode ? { mode } : {}),
          ...(name ? { name } : {}),
          ...(field(d, 'shared') === true ? { shared: true } : {}),
        });
      };
      one('candidate', payload);
      one('production', payload?.production);
      if (!out.customModel) {
        const arn = str(payload?.customModelArn);
        if (arn) out.customModel = { arn };
      }
    } else if (exited.name === 'Teardown') {
      const payload = field(output?.teardown, 'Payload') as Record<string, unknown> | undefined;
      const deleted = payload?.deleted;
      if (Array.isArray(deleted))
        out.tornDown = deleted.map((d) => ({
          mode: String(field(d, 'mode') ?? ''),
          arn: String(field(d, 'arn') ?? ''),
        }));
      if (Array.isArray(payload?.deletedModels))
        out.deletedModels = (payload.deletedModels as Record<string, unknown>[]).map((m) => ({
          version: String(m.version ?? ''),
          action: String(m.action ?? ''),
        }));
    }
  }
  return out;
}
