import { describe, expect, it } from 'vitest';
import { runExecution } from '../local/stepfunctions/runner.ts';
import { TaskRegistry } from '../local/stepfunctions/task-registry.ts';
import { OTHER_SUBSTITUTIONS, PIPELINE_TASKS, pipelineDefinition, TRAIN_SYNC } from './definition.ts';
import { buildOutcome } from './tasks/notify-outcome.ts';
import { substitute } from './validate-definition.ts';

/**
 * The pipeline's failure paths through the real interpreter, with stand-in tasks: whichever state fails,
 * Teardown and Notify still run (every path they name exists) and receive only the fields they read.
 */

const ARN = 'arn:aws:states:us-east-1:000000000000:execution:tunekit-pipeline:run-1';
const EVENT = {
  version: '0',
  'detail-type': 'Object Created',
  source: 'aws.s3',
  time: '2026-12-04T00:00:00Z',
  resources: ['arn:aws:s3:::bucket'],
  detail: { bucket: { name: 'bucket' }, object: { key: 'training-data/train.jsonl', size: 10 } },
};

function concreteDefinition(): string {
  const v: Record<string, string> = {};
  for (const t of PIPELINE_TASKS)
    if (t.substitution) v[t.substitution] = `arn:aws:lambda:us-east-1:000000000000:function:${t.handler}`;
  for (const name of OTHER_SUBSTITUTIONS) v[name] = 'arn:aws:iam::000000000000:role/x';
  return JSON.stringify(substitute(pipelineDefinition(), v));
}

const DEPLOYMENT = {
  arn: 'arn:aws:bedrock:us-east-1:000000000000:custom-model-deployment/abc',
  mode: 'on-demand',
};

/** What ValidateTrainingData hands StartFineTuningJob (validate-training-data.ts). */
const JOB = {
  jobName: 'job',
  customModelName: 'model',
  baseModelIdentifier: 'amazon.nova-micro-v1:0',
  clientRequestToken: 'token',
  method: 'fine-tuning',
  customizationType: 'FINE_TUNING',
  hyperParameters: { epochCount: '1' },
  trainingS3Uri: 's3://bucket/training-data/train.jsonl',
  outputS3Uri: 's3://bucket/output/',
  states: { jobTags: [], customModelTags: [] },
};

/** Runs the pipeline up to the state that fails; returns what each task received, by state name. */
async function runFailingAt(failAt: string, { valid = true } = {}) {
  const received: Record<string, unknown> = {};
  const results: Record<string, unknown> = {
    validateTrainingData: { valid, dataUri: 's3://bucket/training-data/train.jsonl', errors: [], job: JOB },
    deployForEvaluation: DEPLOYMENT,
    checkDeployment: { status: 'Ready', attempts: 1 },
    teardown: { deleted: [DEPLOYMENT] },
    notify: { outcome: 'failed' },
  };
  const registry = new TaskRegistry();
  for (const t of PIPELINE_TASKS) {
    if (!t.handler) continue;
    const handler = t.handler;
    registry.registerFunction(handler, (payload, meta) => {
      received[meta.stateName] = payload;
      if (meta.stateName === failAt) throw Object.assign(new Error(`${failAt} broke`), { name: 'Boom' });
      return results[handler] ?? {};
    });
  }
  registry.registerIntegration(TRAIN_SYNC, (payload, meta) => {
    received[meta.stateName] = payload;
    if (meta.stateName === failAt) throw Object.assign(new Error('job failed'), { name: 'Boom' });
    return { JobArn: 'job', Status: 'Completed', OutputModelArn: 'model' };
  });
  const run = runExecution(
    concreteDefinition(),
    EVENT,
    { executionArn: ARN, name: 'run-1', stateMachineArn: 'sm', startTime: EVENT.time },
    registry,
    () => {},
    { waitTimeOverrides: { WaitForDeployment: 0, WaitForPromotion: 0 } },
  );
  return { result: await run.result, received };
}

const NOTIFY_FIELDS = [
  'cases',
  'deployment',
  'error',
  'evaluation',
  'plan',
  'promotion',
  'readiness',
  'registration',
  'teardown',
  'training',
  'validation',
];

describe('the pipeline definition on its failure paths', () => {
  it.each([
    ['ValidateTrainingData', 'ValidateTrainingData'],
    ['StartFineTuningJob', 'StartFineTuningJob'],
    ['DeployForEvaluation', 'DeployForEvaluation'],
    ['CheckDeployment', 'WaitUntilReady'],
    ['PlanEvaluation', 'PlanEvaluation'],
  ])('a failure in %s still tears down and notifies, naming where it stopped', async (failAt, named) => {
    const { result, received } = await runFailingAt(failAt);
    expect(result).toMatchObject({ status: 'FAILED', error: 'Boom' });
    // Teardown gets the deployment slot (null before DeployForEvaluation) and the execution, nothing else.
    expect(Object.keys(received.Teardown as object).sort()).toEqual([
      'deployment',
      'executionArn',
      'executionName',
    ]);
    const deployed = ['CheckDeployment', 'PlanEvaluation'].includes(failAt);
    expect((received.Teardown as { deployment: unknown }).deployment).toEqual(
      deployed ? { Payload: DEPLOYMENT } : null,
    );
    // Notify gets the result slots, not the triggering event.
    const notify = received.NotifyFailure as { kind: string; state: Record<string, unknown> };
    expect(notify.kind).toBe('failed');
    expect(Object.keys(notify.state).sort()).toEqual(NOTIFY_FIELDS);
    expect(JSON.stringify(notify)).not.toContain('Object Created');
    const outcome = buildOutcome('failed', notify.state as never, ARN, 'demo');
    expect(outcome).toMatchObject({ status: 'failed', failedState: named });
    expect((outcome as { cause: string }).cause).toMatch(/^Boom: /);
  });

  it('invalid data notifies with the validation result only and never reaches Teardown', async () => {
    const { result, received } = await runFailingAt('none', { valid: false });
    expect(result).toMatchObject({ status: 'FAILED', error: 'TrainingDataInvalid' });
    expect(received.NotifyValidationFailed).toMatchObject({
      kind: 'validation-failed',
      state: { validation: { Payload: { valid: false } } },
    });
    expect(Object.keys((received.NotifyValidationFailed as { state: object }).state)).toEqual(['validation']);
    expect(received.Teardown).toBeUndefined();
  });
});
