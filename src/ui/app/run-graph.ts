import { duration } from './format.ts';
import type { PipelineGraph, StateRow } from './types.ts';

/**
 * What the run page's drawing says of each state (pipeline-graph.ts draws it): no DOM here, so
 * run-graph.test.ts checks it in Node.
 */

export type NodeStatus = 'succeeded' | 'running' | 'failed' | 'caught' | 'not reached';

export interface NodeView {
  name: string;
  type: string;
  status: NodeStatus;
  visits: number;
  tookMs?: number;
  error?: string;
  message?: string;
}

/** What each state did in this run: its last visit's status, the time of all its visits, its error. */
export function viewOf(graph: PipelineGraph, states: StateRow[]): NodeView[] {
  return graph.nodes.map(({ name, type }) => {
    const rows = states.filter((s) => s.name === name);
    const last = rows.at(-1);
    if (!last) return { name, type, status: 'not reached', visits: 0 };
    const tookMs = rows.reduce(
      (sum, s) => sum + ((s.exitedAt ? Date.parse(s.exitedAt) : Date.now()) - Date.parse(s.enteredAt)),
      0,
    );
    const failed = rows.find((s) => s.status === 'failed') ?? [...rows].reverse().find((s) => s.error);
    return {
      name,
      type,
      status: last.status,
      visits: rows.length,
      tookMs,
      ...(failed?.error && failed.status !== 'succeeded' ? { error: failed.error } : {}),
      ...(failed?.message && failed.status !== 'succeeded' ? { message: failed.message } : {}),
    };
  });
}

/** "StartFineTuningJob: succeeded, took 12s" — what a screen reader says on a focused state. */
export function nodeLabel(n: NodeView): string {
  if (n.status === 'not reached') return `${n.name}: not reached`;
  const time =
    n.tookMs === undefined
      ? ''
      : n.status === 'running'
        ? ` for ${duration(n.tookMs)}`
        : `, took ${duration(n.tookMs)}`;
  const visits = n.visits > 1 ? `, ${n.visits} visits` : '';
  const error = n.error ? `, error ${n.error}${n.message ? `: ${n.message}` : ''}` : '';
  return `${n.name}: ${n.status}${time}${visits}${error}`;
}

/** The transitions the run followed: each pair of states it visited one after the other. */
export function takenEdges(states: StateRow[]): Set<string> {
  const taken = new Set<string>();
  for (let i = 1; i < states.length; i++) taken.add(`${states[i - 1]!.name}>${states[i]!.name}`);
  return taken;
}
