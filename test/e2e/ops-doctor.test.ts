import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.ts';
import { type OpsStack, runInProcess, startOpsStack } from './ops-stack.ts';

let ops: OpsStack;

beforeAll(async () => {
  ops = await startOpsStack({ bucket: 'tunekit-doctor' });
});
afterAll(async () => {
  await ops?.stack.stop();
});

const doctor = (args: string[] = []) => runInProcess(['doctor', ...args], { cwd: ops.dir, env: ops.env });

describe('tunekit doctor against the local stack', () => {
  it('checks STS and IAM on the local stack as on AWS: the role must exist, `tunekit setup` makes it', async () => {
    // Through the real binary once: the in-process runner below must not hide a start-up problem.
    const r = await runCli(['doctor', '--json'], { cwd: ops.dir, env: ops.env });
    expect(r.code).toBe(1);
    const by = (out: { checks: { name: string }[] }) =>
      Object.fromEntries(out.checks.map((c) => [c.name, c]));
    const first = by(JSON.parse(r.stdout));
    expect(first.credentials).toMatchObject({
      status: 'ok',
      detail: expect.stringContaining('account 000000000000'),
    });
    expect(first['bedrock base model']).toMatchObject({ status: 'ok' });
    expect(first.bucket).toMatchObject({ status: 'ok' });
    expect(first['bedrock service role']).toMatchObject({
      status: 'fail',
      detail: 'role BedrockFineTuningRole does not exist',
      fix: 'run `tunekit setup` to create it',
    });

    expect((await runInProcess(['setup', '--json'], { cwd: ops.dir, env: ops.env })).code).toBe(0);
    const again = await doctor(['--json']);
    expect(again.code).toBe(0);
    expect(by(JSON.parse(again.stdout))['bedrock service role']).toMatchObject({
      status: 'ok',
      detail: 'BedrockFineTuningRole exists and trusts bedrock.amazonaws.com',
    });
  });

  it('fails with a fix for a missing bucket, a missing role ARN and an end-of-life base model', async () => {
    writeFileSync(
      join(ops.dir, 'bad.json'),
      JSON.stringify({ bucket: 'no-such-bucket-here', baseModel: 'amazon.titan-text-express-v1:0:8k' }),
    );
    const r = await doctor(['--config', 'bad.json']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /✗ bucket: s3:\/\/no-such-bucket-here does not exist\n\s+fix: run `tunekit setup`/,
    );
    expect(r.stdout).toMatch(/✗ bedrock service role: no "roleArn"/);
    expect(r.stdout).toMatch(/✗ bedrock base model: amazon\.titan-text-express-v1:0:8k is LEGACY/);
    expect(r.stdout).toContain('Not ready');
  });

  it('reports an unreachable Bedrock endpoint as a network problem, not as a permissions one', async () => {
    const r = await runInProcess(['doctor', '--json'], {
      cwd: ops.dir,
      env: { ...ops.env, AWS_ENDPOINT_URL_BEDROCK: 'http://127.0.0.1:9' },
    });
    expect(r.code).toBe(1);
    const model = JSON.parse(r.stdout).checks.find((c: { name: string }) => c.name === 'bedrock base model');
    expect(model.status).toBe('fail');
    expect(model.fix).toContain('cannot reach the endpoint');
  });

  it('setup creates a missing bucket and the service role on the local stack; doctor then passes', async () => {
    writeFileSync(
      join(ops.dir, 'fresh.json'),
      JSON.stringify({ bucket: 'tunekit-fresh', roleArn: 'arn:aws:iam::000000000000:role/x' }),
    );
    const r = await runInProcess(['setup', '--config', 'fresh.json', '--json'], {
      cwd: ops.dir,
      env: ops.env,
    });
    expect(r.code).toBe(0);
    const setup = JSON.parse(r.stdout);
    expect(setup.steps[0]).toEqual({ resource: 's3://tunekit-fresh', action: 'created' });
    expect(setup.steps[1]).toMatchObject({ action: 'created' });
    expect(setup.roleArn).toBe('arn:aws:iam::000000000000:role/x');
    const d = await doctor(['--config', 'fresh.json', '--json']);
    expect(d.code).toBe(0);
  });

  it('says Bedrock is throttling (ThrottlingException from the faults admin endpoint) instead of blaming setup', async () => {
    const faults = (body?: unknown) =>
      fetch(`${ops.stack.endpoint}/_tunekit/faults`, {
        method: body ? 'POST' : 'DELETE',
        ...(body ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}),
      });
    expect((await faults({ rules: [{ api: 'GetFoundationModel', throttleRate: 1 }] })).ok).toBe(true);
    try {
      const r = await doctor(['--json']);
      expect(r.code).toBe(1);
      const model = JSON.parse(r.stdout).checks.find(
        (c: { name: string }) => c.name === 'bedrock base model',
      );
      expect(model.detail).toMatch(/^ThrottlingException/);
      expect(model.fix).toContain('throttling');
    } finally {
      await faults();
    }
  });
});
