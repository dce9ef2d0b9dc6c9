import { describe, expect, it } from 'vitest';
import { nodeLabel, takenEdges, viewOf } from './run-graph.ts';
import type { PipelineGraph, StateRow } from './types.ts';

const graph: PipelineGraph = {
  startAt: 'Train',
  nodes: [
    { name: 'Train', type: 'Task' },
    { name: 'Check', type: 'Task' },
    { name: 'Teardown', type: 'Task' },
    { name: 'NotifyResult', type: 'Task' },
  ],
  edges: [
    { from: 'Train', to: 'Check', kind: 'next' },
    { from: 'Train', to: 'Teardown', kind: 'catch' },
    { from: 'Check', to: 'Teardown', kind: 'next' },
    { from: 'Teardown', to: 'NotifyResult', kind: 'next' },
  ],
};

const row = (name: string, status: StateRow['status'], from: number, to?: number, more = {}): StateRow => ({
  name,
  status,
  failures: 0,
  enteredAt: new Date(from * 1000).toISOString(),
  ...(to === undefined ? {} : { exitedAt: new Date(to * 1000).toISOString() }),
  ...more,
});

describe('the run graph', () => {
  it('says a caught state with its error and time, and a state the run did not reach', () => {
    const states = [
      row('Train', 'caught', 0, 12, { failures: 1, error: 'ValidationException', message: 'bad base model' }),
      row('Teardown', 'succeeded', 12, 13),
    ];
    const views = viewOf(graph, states);
    expect(views.map(nodeLabel)).toEqual([
      'Train: caught, took 12s, error ValidationException: bad base model',
      'Check: not reached',
      'Teardown: succeeded, took 1s',
      'NotifyResult: not reached',
    ]);
    // The catch transition is the path the run took; Train → Check is not.
    const taken = takenEdges(states);
    expect(taken.has('Train>Teardown')).toBe(true);
    expect(taken.has('Train>Check')).toBe(false);
  });

  it('adds up the visits of a polled state and says a failed one', () => {
    const states = [
      row('Check', 'succeeded', 0, 2),
      row('Check', 'succeeded', 30, 33),
      row('Check', 'failed', 60, 65, { error: 'States.Timeout' }),
    ];
    const check = viewOf(graph, states)[1]!;
    expect(check).toMatchObject({ status: 'failed', visits: 3, tookMs: 10_000, error: 'States.Timeout' });
    expect(nodeLabel(check)).toBe('Check: failed, took 10s, 3 visits, error States.Timeout');
  });

  it('says a running state as running for', () => {
    const now = Date.now() / 1000;
    const [train] = viewOf(graph, [row('Train', 'running', now - 5)]);
    expect(nodeLabel(train!)).toMatch(/^Train: running for [56]s$/);
  });
});
