import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BedrockClient, ListCustomModelDeploymentsCommand } from '@aws-sdk/client-bedrock';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { SAMPLES } from '../../src/samples.ts';
import { runCli, tempDir } from './helpers/cli.ts';
import { startWatch } from './helpers/local-process.ts';

/**
 * The main job and `tunekit watch` with the real local stack (real S3, Bedrock, engine), as CI and users
 * run them: `tunekit demo` twice (v1.0 then v1.1), invalid data (exit 1), and `kill -9` of a watching
 * stack in the middle of a run.
 */
const dirs: string[] = [];
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const dir = () => {
  const d = tempDir();
  dirs.push(d);
  return d;
};

describe('main job (npm start = tunekit demo)', () => {
  it('runs the pipeline, prints the summary and exits 0; each further run registers the next version', async () => {
    const dataDir = dir();
    const first = await runCli(['demo', '--data-dir', dataDir], { cwd: dir(), timeoutMs: 240_000 });
    expect(first.code, first.stderr.slice(-2000)).toBe(0);
    expect(first.stdout).toMatch(/Outcome: (promoted|registered|rejected)\s+version v1\.0/);
    expect(first.stdout).toMatch(/Training loss: \d+\.\d+/);
    expect(first.stdout).toMatch(/overall\s+\d\.\d{3}\s+\d\.\d{3}/);
    const html = /Report \(HTML\): (\S+)/.exec(first.stdout)?.[1];
    expect(html && readFileSync(html, 'utf8')).toMatch(/<html/i);
    const second = await runCli(['demo', '--data-dir', dataDir], { cwd: dir(), timeoutMs: 240_000 });
    expect(second.code, second.stderr.slice(-2000)).toBe(0);
    expect(second.stdout).toMatch(/train-more\.jsonl/);
    // The second run retrains on all data so far: the base records plus the new batch.
    expect(second.stdout).toMatch(/all data so far: train\.jsonl \+ train-more\.jsonl, 170 records/);
    const uploaded = /uploading (\S+)/.exec(second.stdout)?.[1];
    const trained = readFileSync(uploaded!, 'utf8');
    for (const line of readFileSync(SAMPLES.bankingTrain, 'utf8').trim().split('\n'))
      expect(trained).toContain(line.trim());
    expect(second.stdout).toMatch(/version v1\.1/);
    // The same bytes uploaded again start no second training (runs are named by content): the demo says
    // so and shows the run that trained them.
    const third = await runCli(['demo', '--data-dir', dataDir], { cwd: dir(), timeoutMs: 240_000 });
    expect(third.code, third.stderr.slice(-2000)).toBe(0);
    expect(third.stdout).toMatch(/identical data already trained in run data-[0-9a-f]{16}: nothing started/);
    expect(third.stdout).toMatch(/Outcome: (promoted|registered|rejected)\s+version v1\.1/);
    expect(third.stdout).not.toMatch(/ABORTED/);
  });

  it('completes with 20% of Bedrock calls throttled (TUNEKIT_FAULTS)', async () => {
    const faults = JSON.stringify({ rules: [{ api: '*', throttleRate: 0.2 }], seed: 11 });
    const r = await runCli(['demo', '--data-dir', join(dir(), 'tk')], {
      cwd: dir(),
      env: { TUNEKIT_FAULTS: faults },
      timeoutMs: 280_000,
    });
    expect(r.code, r.stdout.slice(-3000)).toBe(0);
    expect(r.stdout).toMatch(/version v1\.0/);
  });

  it('exits 1 on invalid training data, naming the lines', async () => {
    const work = dir();
    const good = readFileSync(SAMPLES.bankingTrain, 'utf8').split('\n').filter(Boolean);
    writeFileSync(join(work, 'bad.jsonl'), [good[0], '{"messages": "nope"}', ...good.slice(1)].join('\n'));
    const r = await runCli(['demo', '--data-dir', join(work, 'tk'), '--data', join(work, 'bad.jsonl')], {
      cwd: work,
      timeoutMs: 120_000,
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/TrainingDataInvalid/);
    expect(`${r.stdout}${r.stderr}`).toMatch(/bad\.jsonl:2\b/);
  });
});

describe('tunekit watch killed mid-run', () => {
  it('comes back with the run FAILED (not stuck RUNNING), the registry readable, and the data can run again', async () => {
    const cwd = dir();
    const dataDir = join(cwd, '.tunekit');
    writeFileSync(
      join(cwd, 'tunekit.config.json'),
      JSON.stringify({ evaluation: { suite: SAMPLES.bankingSuite } }),
    );
    const first = await startWatch(dataDir, cwd, children);
    const env = {
      AWS_ACCESS_KEY_ID: first.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: first.credentials.secretAccessKey,
      AWS_REGION: 'us-east-1',
    };
    const s3 = new S3Client({
      endpoint: first.endpoint,
      forcePathStyle: true,
      region: 'us-east-1',
      credentials: first.credentials,
    });
    await s3.send(
      new PutObjectCommand({
        Bucket: 'tunekit-local',
        Key: 'training-data/train.jsonl',
        Body: readFileSync(SAMPLES.bankingTrain),
      }),
    );
    for (let i = 0; i < 300 && !/▶ StartFineTuningJob/.test(first.output()); i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(first.output()).toMatch(/▶ StartFineTuningJob/);
    await new Promise((r) => setTimeout(r, 500));
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('close', r));
    s3.destroy();

    const second = await startWatch(dataDir, cwd, children);
    const cliEnv = { ...env, AWS_ENDPOINT_URL: second.endpoint };
    const localEnv = await runCli(['local', 'env', '--data-dir', dataDir], { cwd });
    expect(localEnv.stdout).toContain(`AWS_ENDPOINT_URL_SFN=${second.endpoint}`);
    const list = await runCli(['runs', 'list', '--json'], { cwd, env: cliEnv });
    const runs = JSON.parse(list.stdout) as { name: string; status: string }[];
    expect(runs).toHaveLength(1);
    expect(runs[0]!.status).toBe('FAILED');
    const show = await runCli(['runs', 'show', runs[0]!.name], { cwd, env: cliEnv });
    expect(show.stdout).toMatch(/Tunekit\.StackRestarted/);
    const registry = await runCli(['registry', 'list'], { cwd, env: cliEnv });
    expect(registry.code, registry.stderr).toBe(0);

    // The interrupted run holds the content name of train.jsonl: retraining the same bytes takes --force.
    const again = await runCli(['run', 's3://tunekit-local/training-data/train.jsonl', '--force', '--json'], {
      cwd,
      env: cliEnv,
    });
    expect(again.code, again.stderr).toBe(0);
    const { name } = JSON.parse(again.stdout) as { name: string };
    const watched = await runCli(['runs', 'watch', name, '--interval', '500'], {
      cwd,
      env: cliEnv,
      timeoutMs: 240_000,
    });
    expect(watched.code, watched.stdout.slice(-2000)).toBe(0);
    expect(watched.stdout).toMatch(/version v1\.0/);
    second.child.kill('SIGINT');
    await new Promise((r) => second.child.once('close', r));
    expect(existsSync(join(dataDir, 'stack.json'))).toBe(false);
  });
});

describe('tunekit runs stop', () => {
  it('aborts a running run and deletes its evaluation deployment (what Teardown would have done)', async () => {
    const cwd = dir();
    const dataDir = join(cwd, '.tunekit');
    writeFileSync(
      join(cwd, 'tunekit.config.json'),
      JSON.stringify({ evaluation: { suite: SAMPLES.bankingSuite } }),
    );
    // Slow readiness checks keep the run inside WaitUntilReady long enough to stop it there.
    const faults = JSON.stringify({ rules: [{ api: 'GetCustomModelDeployment', latencyMs: 4000 }] });
    const w = await startWatch(dataDir, cwd, children, { TUNEKIT_FAULTS: faults });
    const env = {
      AWS_ACCESS_KEY_ID: w.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: w.credentials.secretAccessKey,
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL: w.endpoint,
    };
    const started = await runCli(['run', SAMPLES.bankingTrain, '--json'], { cwd, env });
    expect(started.code, started.stderr).toBe(0);
    const { name } = JSON.parse(started.stdout) as { name: string };
    for (let i = 0; i < 600 && !/✓ DeployForEvaluation/.test(w.output()); i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(w.output()).toMatch(/✓ DeployForEvaluation/);
    const stop = await runCli(['runs', 'stop', name, '--cause', 'wrong file'], { cwd, env });
    expect(stop.code, stop.stderr).toBe(0);
    expect(stop.stdout).toMatch(/stopped data-[0-9a-f]{16}/);
    expect(stop.stdout).toMatch(/deleted on-demand arn:aws:bedrock:[^ ]+:custom-model-deployment\//);
    const show = await runCli(['runs', 'show', name, '--json'], { cwd, env });
    const { execution } = JSON.parse(show.stdout) as { execution: { status: string; cause: string } };
    expect(execution.status).toBe('ABORTED');
    expect(execution.cause).toBe('wrong file');
    const bedrock = new BedrockClient({
      endpoint: w.endpoint,
      region: 'us-east-1',
      credentials: w.credentials,
    });
    const left = await bedrock.send(new ListCustomModelDeploymentsCommand({}));
    bedrock.destroy();
    expect(left.modelDeploymentSummaries ?? []).toEqual([]);
    w.child.kill('SIGINT');
    await new Promise((r) => w.child.once('close', r));
  });
});
