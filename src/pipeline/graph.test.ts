import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { pipelineDefinition } from './definition.ts';
import { pipelineGraph, runResources } from './graph.ts';

describe('pipelineGraph', () => {
  const graph = pipelineGraph(pipelineDefinition());

  it('has a node per top-level state; the Evaluate map is one node', () => {
    const states = Object.keys(pipelineDefinition().States as object);
    expect(graph.nodes.map((n) => n.name)).toEqual(states);
    expect(graph.startAt).toBe('InitRun');
    expect(graph.nodes.find((n) => n.name === 'Evaluate')?.type).toBe('Map');
    expect(graph.nodes.some((n) => n.name === 'EvaluateCase')).toBe(false);
  });

  it('has the Next, Choice, Default and Catch transitions', () => {
    const has = (from: string, to: string, kind: string) =>
      graph.edges.some((e) => e.from === from && e.to === to && e.kind === kind);
    expect(has('InitRun', 'ValidateTrainingData', 'next')).toBe(true);
    expect(has('CheckValidation', 'StartFineTuningJob', 'choice')).toBe(true);
    expect(has('CheckValidation', 'NotifyValidationFailed', 'default')).toBe(true);
    expect(has('StartFineTuningJob', 'Teardown', 'catch')).toBe(true);
    expect(has('Teardown', 'RouteOutcome', 'next')).toBe(true);
    expect(has('RouteOutcome', 'NotifyFailure', 'choice')).toBe(true);
    // WaitUntilReady's two rules to DeploymentFailed draw as one edge.
    expect(
      graph.edges.filter((e) => e.from === 'WaitUntilReady' && e.to === 'DeploymentFailed'),
    ).toHaveLength(1);
    // Every edge joins two drawn states.
    const names = new Set(graph.nodes.map((n) => n.name));
    for (const e of graph.edges) expect(names.has(e.from) && names.has(e.to), `${e.from}>${e.to}`).toBe(true);
  });
});

describe('runResources', () => {
  const exited = (name: string, output: unknown): HistoryEvent => ({
    type: 'TaskStateExited',
    id: 1,
    timestamp: new Date(),
    stateExitedEventDetails: { name, output: JSON.stringify(output) },
  });

  it('reads the custom model, the evaluation deployments and what Teardown deleted', () => {
    const r = runResources([
      exited('StartFineTuningJob', { training: { OutputModelArn: 'arn:model/m1', OutputModelName: 'm1' } }),
      exited('DeployForEvaluation', {
        deployment: {
          Payload: {
            mode: 'on-demand',
            name: 'cand',
            arn: 'arn:dep/cand',
            customModelArn: 'arn:model/m1',
            production: { mode: 'on-demand', name: 'prod', arn: 'arn:dep/prod', version: 'v1.0' },
          },
        },
      }),
      exited('Teardown', {
        teardown: { Payload: { deleted: [{ mode: 'on-demand', arn: 'arn:dep/cand' }] } },
      }),
    ]);
    expect(r.customModel).toEqual({ arn: 'arn:model/m1', name: 'm1' });
    expect(r.deployments).toEqual([
      { role: 'candidate', mode: 'on-demand', name: 'cand', arn: 'arn:dep/cand' },
      { role: 'production', mode: 'on-demand', name: 'prod', arn: 'arn:dep/prod' },
    ]);
    expect(r.tornDown).toEqual([{ mode: 'on-demand', arn: 'arn:dep/cand' }]);
  });

  it('has no torn-down list before Teardown ran', () => {
    expect(runResources([]).tornDown).toBeUndefined();
    expect(runResources([]).deployments).toEqual([]);
  });
});
