import type { ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { SAMPLES } from '../../src/samples.ts';
import { runCli, tempDir } from './helpers/cli.ts';
import { startWatch } from './helpers/local-process.ts';

/** A run that failed on its data keeps its story: `runs show` lists the problems, a restart re-runs nothing. */
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
});

const until = async (check: () => boolean, ms: number) => {
  for (let waited = 0; waited < ms && !check(); waited += 100) await new Promise((r) => setTimeout(r, 100));
};

describe('runs keep their story', () => {
  it('runs show lists the validation problems of a run that failed on data; a restart does not re-run it', async () => {
    const cwd = tempDir();
    const dataDir = join(cwd, '.tunekit');
    writeFileSync(
      join(cwd, 'tunekit.config.json'),
      JSON.stringify({ evaluation: { suite: SAMPLES.bankingSuite } }),
    );
    const good = readFileSync(SAMPLES.bankingTrain, 'utf8').split('\n').filter(Boolean);
    const bad = [good[0], '{"messages": "nope"}', ...good.slice(1, 20)].join('\n');
    const first = await startWatch(dataDir, cwd, children);
    // The stack accepts only its own key pair (stack.json); the CLI below finds the stack by itself.
    const { accessKeyId, secretAccessKey } = first.state;
    const env = { AWS_REGION: 'us-east-1' };
    const s3 = new S3Client({
      endpoint: first.endpoint,
      forcePathStyle: true,
      region: 'us-east-1',
      credentials: { accessKeyId, secretAccessKey },
    });
    await s3.send(
      new PutObjectCommand({ Bucket: 'tunekit-local', Key: 'training-data/bad.jsonl', Body: bad }),
    );
    s3.destroy();
    await until(() => /TrainingDataInvalid/.test(first.output()), 60_000);
    expect(first.output()).toMatch(/TrainingDataInvalid/);

    const cliEnv = env;
    const list = await runCli(['runs', 'list', '--json'], { cwd, env: cliEnv });
    const runs = JSON.parse(list.stdout) as { name: string; status: string }[];
    expect(runs).toHaveLength(1);
    const show = await runCli(['runs', 'show', runs[0]!.name], { cwd, env: cliEnv });
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toMatch(
      /s3:\/\/tunekit-local\/training-data\/bad\.jsonl failed validation: 2 errors/,
    );
    // line, JSON path, message, code and fix, as `data validate` prints them
    expect(show.stdout).toMatch(/^ {2}line 2 .*\[[A-Z_]+\] -> \S/m);
    const json = JSON.parse(
      (await runCli(['runs', 'show', runs[0]!.name, '--json'], { cwd, env: cliEnv })).stdout,
    );
    expect(json.validation.problems[0]).toMatchObject({ line: 2 });

    // A real restart: the stack is killed and started again on the same data dir.
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('close', r));
    const second = await startWatch(dataDir, cwd, children);
    await new Promise((r) => setTimeout(r, 3000)); // time for any catch-up of missed uploads
    const after = await runCli(['runs', 'list', '--json'], {
      cwd,
      env,
    });
    expect(JSON.parse(after.stdout)).toHaveLength(1);
    expect(second.output()).not.toMatch(/started \d+ run\(s\) for uploads/);
    second.child.kill('SIGTERM');
    await new Promise((r) => second.child.once('close', r));
  }, 240_000);
});
