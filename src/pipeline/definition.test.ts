import { StateMachine } from 'aws-local-stepfunctions';
import { describe, expect, it } from 'vitest';
import { OTHER_SUBSTITUTIONS, PIPELINE_TASKS, pipelineDefinition } from './definition.ts';
import { substitute, validateDefinition } from './validate-definition.ts';

const values = () => {
  const v: Record<string, string> = {};
  for (const t of PIPELINE_TASKS)
    if (t.substitution) v[t.substitution] = `arn:aws:lambda:us-east-1:000000000000:function:${t.handler}`;
  for (const name of OTHER_SUBSTITUTIONS) v[name] = 'arn:aws:iam::000000000000:role/x';
  return v;
};

describe('pipelineDefinition', () => {
  it('passes asl-validator and our own checks', () => {
    expect(validateDefinition(pipelineDefinition())).toEqual([]);
  });

  it('has every state the issue names, and PIPELINE_TASKS matches its Task states', () => {
    const states = pipelineDefinition().States as Record<string, { Type: string }>;
    for (const name of [
      'ValidateTrainingData',
      'CheckValidation',
      'StartFineTuningJob',
      'DeployForEvaluation',
      'WaitUntilReady',
      'Evaluate',
      'Gate',
      'RegisterModel',
      'Promote',
      'Teardown',
      'TrainingDataInvalid',
    ]) {
      expect(states[name], name).toBeDefined();
    }
    expect(states.TrainingDataInvalid!.Type).toBe('Fail');
    const taskStates = new Set(PIPELINE_TASKS.map((t) => t.state));
    for (const [name, s] of Object.entries(states))
      if (s.Type === 'Task') expect(taskStates.has(name), name).toBe(true);
  });

  it('routes every Catch to Teardown', () => {
    const states = pipelineDefinition().States as Record<string, { Catch?: { Next: string }[] }>;
    const catchers = Object.entries(states).filter(([, s]) => s.Catch);
    expect(catchers.length).toBeGreaterThan(5);
    for (const [name, s] of catchers) {
      if (name === 'Teardown') continue;
      expect(
        s.Catch!.map((c) => c.Next),
        name,
      ).toEqual(['Teardown']);
    }
  });

  it('substitutes to a definition the local interpreter accepts; an unknown placeholder is an error', () => {
    const concrete = substitute(pipelineDefinition(), values());
    expect(JSON.stringify(concrete)).not.toMatch(/\$\{/);
    expect(() => new StateMachine(concrete as never)).not.toThrow();
    const v = values();
    delete v.BedrockJobRoleArn;
    expect(() => substitute(pipelineDefinition(), v)).toThrow(/BedrockJobRoleArn/);
  });

  it('reports a JSONata state, an unknown Resource and a dangling Next', () => {
    const def = pipelineDefinition() as { States: Record<string, Record<string, unknown>> };
    def.States.Promote!.Resource = 'arn:aws:states:::sqs:sendMessage';
    def.States.Teardown!.Next = 'Nowhere';
    def.States.Gate!.QueryLanguage = 'JSONata';
    const issues = validateDefinition(def);
    const paths = issues.map((i) => i.path);
    expect(paths).toContain('States.Promote.Resource');
    expect(paths).toContain('States.Teardown.Next');
    expect(paths).toContain('States.Gate.QueryLanguage');
  });
});
