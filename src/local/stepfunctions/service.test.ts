import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  DescribeStateMachineForExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStepFunctions, type LocalStepFunctions } from './index.ts';

const fnArn = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;
const definition = {
  StartAt: 'Double',
  States: {
    Double: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: fnArn('double'), 'Payload.$': '$' },
      ResultSelector: { 'value.$': '$.Payload.value' },
      Retry: [{ ErrorEquals: ['ThrottlingException'], IntervalSeconds: 1, MaxAttempts: 3 }],
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Broken' }],
      Next: 'Pause',
    },
    Pause: { Type: 'Wait', Seconds: 3600, Next: 'Done' },
    Done: { Type: 'Succeed' },
    Broken: { Type: 'Fail', ErrorPath: '$.error.Error', CausePath: '$.error.Cause' },
  },
};

let dir: string;
let sfn: LocalStepFunctions;
let server: Server;
let client: SFNClient;
let machineArn: string;
let throttles = 0;
let waitMs = 0;

async function start() {
  sfn = createStepFunctions({
    dataDir: dir,
    waitTimeOverrides: { Pause: waitMs },
    retryIntervalOverrides: { Double: 1 },
  });
  sfn.service.tasks.registerFunction('double', (payload) => {
    const p = payload as { value: number; fail?: boolean };
    if (throttles > 0) {
      throttles--;
      throw Object.assign(new Error('Too many requests'), { name: 'ThrottlingException' });
    }
    if (p.fail) throw Object.assign(new Error('value must not be odd'), { name: 'OddValue' });
    return { value: p.value * 2 };
  });
  machineArn = sfn.service.putStateMachine('demo', definition);
  server = createServer((req, res) => void sfn.handle(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  client = new SFNClient({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    maxAttempts: 1,
  });
}

async function stop() {
  client.destroy();
  await new Promise((r) => server.close(r));
  await sfn.service.close();
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tunekit-sfn-'));
  throttles = 0;
  waitMs = 0;
  await start();
});
afterEach(async () => {
  await stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('local Step Functions through @aws-sdk/client-sfn', () => {
  it('runs an execution to SUCCEEDED, retrying a throttled task, and serves its history', async () => {
    throttles = 2;
    const { executionArn } = await client.send(
      new StartExecutionCommand({ stateMachineArn: machineArn, name: 'run-1', input: '{"value":21}' }),
    );
    await sfn.service.waitForExecution(executionArn!);
    const described = await client.send(new DescribeExecutionCommand({ executionArn }));
    expect(described.status).toBe('SUCCEEDED');
    expect(JSON.parse(described.output!)).toEqual({ value: 42 });
    expect(described.startDate).toBeInstanceOf(Date);
    const history = await client.send(new GetExecutionHistoryCommand({ executionArn }));
    const types = history.events!.map((e) => e.type);
    expect(types[0]).toBe('ExecutionStarted');
    expect(types.filter((t) => t === 'TaskFailed')).toHaveLength(2);
    expect(types.at(-1)).toBe('ExecutionSucceeded');
    const failed = history.events!.find((e) => e.type === 'TaskFailed')!;
    expect(failed.taskFailedEventDetails?.error).toBe('ThrottlingException');
  });

  it("describes the state machine an execution ran, even after the machine's definition changed", async () => {
    const { executionArn } = await client.send(
      new StartExecutionCommand({ stateMachineArn: machineArn, name: 'before-change', input: '{"value":1}' }),
    );
    await sfn.service.waitForExecution(executionArn!);
    const changed = { StartAt: 'Done', States: { Done: { Type: 'Succeed' } } };
    sfn.service.putStateMachine('demo', changed);
    const forRun = await client.send(new DescribeStateMachineForExecutionCommand({ executionArn }));
    expect(JSON.parse(forRun.definition!)).toEqual(definition);
    expect(forRun).toMatchObject({ stateMachineArn: machineArn, name: 'demo' });
    const now = await client.send(new DescribeStateMachineCommand({ stateMachineArn: machineArn }));
    // The run's machine was last updated before the change, at its creation here.
    expect(forRun.updateDate!.getTime()).toBeLessThanOrEqual(now.creationDate!.getTime() + 1000);
    expect(forRun.roleArn).toMatch(/^arn:aws:iam::/);
    expect(JSON.parse(now.definition!)).toEqual(changed);
  });

  it('ends FAILED with the task error and cause when a task throws', async () => {
    const { executionArn } = await client.send(
      new StartExecutionCommand({
        stateMachineArn: machineArn,
        name: 'odd',
        input: '{"value":1,"fail":true}',
      }),
    );
    await sfn.service.waitForExecution(executionArn!);
    const d = await client.send(new DescribeExecutionCommand({ executionArn }));
    expect(d.status).toBe('FAILED');
    expect(d.error).toBe('OddValue');
    expect(JSON.parse(d.cause!).errorMessage).toBe('value must not be odd');
  });

  it('is idempotent on name for a running execution and refuses other reuse', async () => {
    waitMs = 60_000;
    await stop();
    await start();
    const first = await client.send(
      new StartExecutionCommand({ stateMachineArn: machineArn, name: 'same', input: '{"value":1}' }),
    );
    const again = await client.send(
      new StartExecutionCommand({ stateMachineArn: machineArn, name: 'same', input: '{"value":1}' }),
    );
    expect(again.executionArn).toBe(first.executionArn);
    await expect(
      client.send(
        new StartExecutionCommand({ stateMachineArn: machineArn, name: 'same', input: '{"value":2}' }),
      ),
    ).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });
    await client.send(
      new StopExecutionCommand({ executionArn: first.executionArn, cause: 'test says stop' }),
    );
    const d = await client.send(new DescribeExecutionCommand({ executionArn: first.executionArn }));
    expect(d.status).toBe('ABORTED');
    expect(d.cause).toBe('test says stop');
  });

  it('returns AWS error types for bad requests', async () => {
    await expect(
      client.send(
        new DescribeExecutionCommand({
          executionArn: 'arn:aws:states:us-east-1:000000000000:execution:demo:nope',
        }),
      ),
    ).rejects.toMatchObject({ name: 'ExecutionDoesNotExist' });
    await expect(
      client.send(new DescribeExecutionCommand({ executionArn: 'not-an-arn' })),
    ).rejects.toMatchObject({
      name: 'InvalidArn',
    });
    await expect(
      client.send(
        new StartExecutionCommand({
          stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:missing',
        }),
      ),
    ).rejects.toMatchObject({ name: 'StateMachineDoesNotExist' });
    await expect(
      client.send(new StartExecutionCommand({ stateMachineArn: machineArn, input: '{not json' })),
    ).rejects.toMatchObject({ name: 'InvalidExecutionInput' });
    await expect(
      client.send(new StartExecutionCommand({ stateMachineArn: machineArn, name: 'has space' })),
    ).rejects.toMatchObject({ name: 'InvalidName' });
  });

  it('lists state machines and executions with pagination', async () => {
    for (const name of ['a', 'b', 'c']) {
      const r = await client.send(
        new StartExecutionCommand({ stateMachineArn: machineArn, name, input: '{"value":1}' }),
      );
      await sfn.service.waitForExecution(r.executionArn!);
    }
    const machines = await client.send(new ListStateMachinesCommand({}));
    expect(machines.stateMachines?.map((m) => m.name)).toEqual(['demo']);
    const first = await client.send(
      new ListExecutionsCommand({ stateMachineArn: machineArn, maxResults: 2 }),
    );
    expect(first.executions).toHaveLength(2);
    const rest = await client.send(
      new ListExecutionsCommand({ stateMachineArn: machineArn, maxResults: 2, nextToken: first.nextToken }),
    );
    expect([...first.executions!, ...rest.executions!].map((e) => e.name).sort()).toEqual(['a', 'b', 'c']);
  });

  it('marks an execution that was running when the stack died FAILED on restart, keeping the others', async () => {
    waitMs = 60_000;
    await stop();
    await start();
    const r = await client.send(
      new StartExecutionCommand({ stateMachineArn: machineArn, name: 'cut', input: '{"value":1}' }),
    );
    await new Promise((res) => setTimeout(res, 300)); // let it reach the Wait state and flush
    // Simulate kill -9: copy the on-disk state while RUNNING, as a dead process would have left it.
    const execDir = join(dir, 'stepfunctions/executions');
    const files = readdirSync(execDir);
    const snapshot = files.map((f) => [f, readFileSync(join(execDir, f), 'utf8')] as const);
    await stop();
    for (const [f, text] of snapshot) writeFileSync(join(execDir, f), text);
    writeFileSync(join(execDir, 'garbage.json'), '{"half": ');
    await start();
    const d = await client.send(new DescribeExecutionCommand({ executionArn: r.executionArn }));
    expect(d.status).toBe('FAILED');
    expect(d.error).toBe('Tunekit.StackRestarted');
    expect(d.cause).toMatch(/start it again/);
  });
});
