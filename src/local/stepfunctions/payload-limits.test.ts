import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { S3_GET_OBJECT, S3_PUT_OBJECT } from './distributed-map.ts';
import { createStepFunctions, type LocalStepFunctions } from './index.ts';
import { PAYLOAD_LIMIT_BYTES } from './payload-limits.ts';

/**
 * Step Functions' 256 KiB payload limit on the local runner (bedrock-facts.md §11.1): what AWS fails
 * with States.DataLimitExceeded fails here too, States.ALL does not catch it, a named catcher does.
 */

const fnArn = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;
const LAMBDA = 'arn:aws:states:::lambda:invoke';

/** A Lambda task returning `bytes` characters of text, with the given Catch. */
/** The result replaces the state (an iteration's last state: ResultPath omitted means `$`). */
const whole = (state: Record<string, unknown>) => {
  const { ResultPath: _, ...rest } = state;
  return rest;
};

const bigTask = (catchers: unknown[], next: Record<string, unknown> = { Next: 'Done' }) => ({
  Type: 'Task',
  Resource: LAMBDA,
  Parameters: { FunctionName: fnArn('blob'), 'Payload.$': '$' },
  ResultSelector: { 'text.$': '$.Payload.text' },
  ResultPath: '$.result',
  Catch: catchers,
  ...next,
});

const machine = (catchers: unknown[]) => ({
  StartAt: 'Produce',
  States: {
    Produce: bigTask(catchers),
    Done: { Type: 'Succeed' },
    Caught: { Type: 'Pass', Result: 'caught', ResultPath: '$.handled', Next: 'Done' },
  },
});

let dir: string;
let sfn: LocalStepFunctions;
const objects = new Map<string, string>();

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tunekit-sfn-limits-'));
  sfn = createStepFunctions({ dataDir: dir });
  sfn.service.tasks.registerFunction('blob', (payload) => ({
    text: 'x'.repeat((payload as { bytes: number }).bytes),
  }));
  objects.clear();
  sfn.service.tasks.registerIntegration(S3_GET_OBJECT, (p) => {
    const { Bucket, Key } = p as { Bucket: string; Key: string };
    const body = objects.get(`${Bucket}/${Key}`);
    if (body === undefined) throw Object.assign(new Error('NoSuchKey'), { name: 'NoSuchKey' });
    return { Body: body };
  });
  sfn.service.tasks.registerIntegration(S3_PUT_OBJECT, (p) => {
    const { Bucket, Key, Body } = p as { Bucket: string; Key: string; Body: string };
    objects.set(`${Bucket}/${Key}`, Body);
    return { ETag: '"x"' };
  });
});

afterEach(async () => {
  await sfn.service.close();
  rmSync(dir, { recursive: true, force: true });
});

async function run(definition: object, input: unknown) {
  const arn = sfn.service.putStateMachine(`m${Math.random().toString(36).slice(2, 8)}`, definition);
  const { executionArn } = sfn.service.startExecution({ stateMachineArn: arn, input: JSON.stringify(input) });
  return sfn.service.waitForExecution(executionArn);
}

const over = PAYLOAD_LIMIT_BYTES + 1;

describe('local Step Functions payload limit (256 KiB)', () => {
  it('a task result over 262,144 bytes fails the execution; a States.ALL catcher does not catch it', async () => {
    const record = await run(
      machine([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Caught' }]),
      {
        bytes: over,
      },
    );
    expect(record.status).toBe('FAILED');
    expect(record.error).toBe('States.DataLimitExceeded');
    expect(record.cause).toMatch(/result of task 'Produce'.* 262\d{3} bytes.*262144/);
    const types = record.events.map((e) => e.type);
    expect(types).not.toContain('PassStateEntered'); // the catcher's target never ran
    const failed = record.events.find((e) => e.type === 'TaskFailed') as {
      taskFailedEventDetails?: { error?: string };
    };
    expect(failed?.taskFailedEventDetails?.error).toBe('States.DataLimitExceeded');
    expect(types.at(-1)).toBe('ExecutionFailed');
  });

  it('a catcher that names States.DataLimitExceeded catches it', async () => {
    const record = await run(
      machine([
        { ErrorEquals: ['States.DataLimitExceeded'], ResultPath: '$.error', Next: 'Caught' },
        { ErrorEquals: ['States.ALL'], ResultPath: '$.other', Next: 'Done' },
      ]),
      { bytes: over },
    );
    expect(record.status).toBe('SUCCEEDED');
    const output = JSON.parse(record.output!);
    expect(output.handled).toBe('caught');
    expect(output.error.Error).toBe('States.DataLimitExceeded');
    expect(record.events.map((e) => e.type)).toContain('TaskFailed');
  });

  it('a result just under the limit passes', async () => {
    // {"text":"xxx…"} is 11 bytes of framing; the state output adds the input too.
    const record = await run(
      machine([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Caught' }]),
      {
        bytes: 200_000,
      },
    );
    expect(record.status, record.cause).toBe('SUCCEEDED');
  });

  it("a state's output over the limit fails the run even when its task result is under it", async () => {
    // Each result is 150 KB; the second one, added next to the first by ResultPath, makes 300 KB of state.
    const definition = {
      StartAt: 'First',
      States: {
        First: { ...bigTask([], { Next: 'Second' }), ResultPath: '$.first' },
        Second: {
          ...bigTask([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Done' }]),
          Parameters: { FunctionName: fnArn('blob'), Payload: { bytes: 150_000 } },
          ResultPath: '$.second',
        },
        Done: { Type: 'Succeed' },
      },
    };
    const record = await run(definition, { bytes: 150_000 });
    expect(record.status).toBe('FAILED');
    expect(record.error).toBe('States.DataLimitExceeded');
    expect(record.cause).toMatch(/output of state 'Second'/);
  });

  it("a Map iteration's result over the limit fails the Map; only a named catcher on the Map catches it", async () => {
    const map = (catchers: unknown[]) => ({
      StartAt: 'Fan',
      States: {
        Fan: {
          Type: 'Map',
          ItemsPath: '$.items',
          ItemProcessor: {
            StartAt: 'One',
            States: { One: whole(bigTask([], { End: true })) },
          },
          ResultPath: '$.results',
          Catch: catchers,
          Next: 'Done',
        },
        Done: { Type: 'Succeed' },
        Caught: { Type: 'Pass', Result: 'caught', ResultPath: '$.handled', Next: 'Done' },
      },
    });
    const input = { items: [{ bytes: 10 }, { bytes: over }] };
    const uncaught = await run(map([{ ErrorEquals: ['States.ALL'], Next: 'Caught' }]), input);
    expect(uncaught.status).toBe('FAILED');
    expect(uncaught.error).toBe('States.DataLimitExceeded');
    const caught = await run(
      map([{ ErrorEquals: ['States.DataLimitExceeded'], ResultPath: '$.error', Next: 'Caught' }]),
      input,
    );
    expect(caught.status, caught.cause).toBe('SUCCEEDED');
    expect(JSON.parse(caught.output!).handled).toBe('caught');
  });
});

describe('Distributed Map on the local runner (ItemReader / ResultWriter on S3)', () => {
  const distributed = {
    StartAt: 'Fan',
    States: {
      Fan: {
        Type: 'Map',
        ItemReader: {
          Resource: S3_GET_OBJECT,
          ReaderConfig: { InputType: 'JSON' },
          Parameters: { 'Bucket.$': '$.bucket', 'Key.$': '$.key' },
        },
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
          StartAt: 'One',
          States: { One: whole(bigTask([], { End: true })) },
        },
        MaxConcurrency: 4,
        ResultWriter: { Resource: S3_PUT_OBJECT, Parameters: { 'Bucket.$': '$.bucket', Prefix: 'out' } },
        ResultPath: '$.results',
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Failed' }],
        Next: 'Done',
      },
      Done: { Type: 'Succeed' },
      Failed: { Type: 'Pass', Result: 'failed', ResultPath: '$.handled', Next: 'Done' },
    },
  };

  it('reads items from S3, writes every child output to S3, and keeps the state small', async () => {
    // 40 children of 100 KB each: 4 MB of results, none of it in the state.
    objects.set(
      'b/items.json',
      JSON.stringify(Array.from({ length: 40 }, (_, i) => ({ bytes: 100_000 + i }))),
    );
    const record = await run(distributed, { bucket: 'b', key: 'items.json' });
    expect(record.status, record.cause).toBe('SUCCEEDED');
    const out = JSON.parse(record.output!);
    expect(out.results.MapRunArn).toMatch(/^arn:aws:states:us-east-1:000000000000:mapRun:m\w+\/Fan:/);
    expect(out.results.ResultWriterDetails).toEqual({
      Bucket: 'b',
      Key: expect.stringMatching(/^out\/.+\/manifest\.json$/),
    });
    const manifest = JSON.parse(objects.get(`b/${out.results.ResultWriterDetails.Key}`)!);
    expect(manifest.ResultFiles.FAILED).toEqual([]);
    const entries = JSON.parse(objects.get(`b/${manifest.ResultFiles.SUCCEEDED[0].Key}`)!);
    expect(entries).toHaveLength(40);
    expect(entries.map((e: { Output: string }) => JSON.parse(e.Output).text.length).sort()).toEqual(
      Array.from({ length: 40 }, (_, i) => 100_000 + i).sort(),
    );
    expect(entries[0]).toMatchObject({
      Status: 'SUCCEEDED',
      ExecutionArn: expect.stringContaining(':execution:'),
    });
    // The history reports a Map state, and nothing in it comes near the limit.
    const types = record.events.map((e) => e.type);
    expect(types.filter((t) => t.startsWith('Map'))).toEqual([
      'MapStateEntered',
      'MapRunStarted',
      'MapRunSucceeded',
      'MapStateExited',
    ]);
    expect(Math.max(...record.events.map((e) => JSON.stringify(e).length))).toBeLessThan(10_000);
  });

  it('a child over the limit fails the Map run (States.ExceedToleratedFailureThreshold, catchable)', async () => {
    objects.set('b/items.json', JSON.stringify([{ bytes: 10 }, { bytes: over }]));
    const record = await run(distributed, { bucket: 'b', key: 'items.json' });
    expect(record.status, record.cause).toBe('SUCCEEDED');
    const out = JSON.parse(record.output!);
    expect(out.handled).toBe('failed');
    expect(out.error.Error).toBe('States.ExceedToleratedFailureThreshold');
    expect(out.error.Cause).toMatch(/States\.DataLimitExceeded/);
  });

  it('refuses Distributed Map fields it cannot run, naming them', () => {
    const bad = structuredClone(distributed) as { States: { Fan: Record<string, unknown> } };
    bad.States.Fan.ToleratedFailurePercentage = 5;
    expect(() => sfn.service.putStateMachine('bad', bad)).toThrow(
      /does not support ToleratedFailurePercentage/,
    );
  });
});
