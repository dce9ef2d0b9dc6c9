import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLES } from '../../src/samples.ts';
import { REPO_ROOT, runCli, tempDir } from './helpers/cli.ts';

/**
 * Issue 10, findings 1, 2 and 6, as a user meets them: `tunekit watch` in one terminal, other commands in
 * another, with nothing exported (no `eval "$(tunekit local env)"`, no AWS credentials).
 */

// Nothing from the developer's shell: no AWS endpoints, keys or profile; no ~/.aws files.
const home = tempDir();
const BARE: NodeJS.ProcessEnv = {
  HOME: home,
  AWS_ACCESS_KEY_ID: '',
  AWS_SECRET_ACCESS_KEY: '',
  AWS_SESSION_TOKEN: '',
  AWS_PROFILE: '',
  AWS_ENDPOINT_URL: '',
  AWS_ENDPOINT_URL_S3: '',
  AWS_ENDPOINT_URL_SFN: '',
  AWS_ENDPOINT_URL_BEDROCK: '',
  AWS_ENDPOINT_URL_BEDROCK_RUNTIME: '',
  AWS_EC2_METADATA_DISABLED: 'true',
  TUNEKIT_TARGET: '',
};

let project: string;
let watch: ChildProcess;
let watchLog = '';
let endpoint: string;
let busy: Server;

beforeAll(async () => {
  project = tempDir();
  // No roleArn: `tunekit setup` skips the role on the local stack (finding 6).
  writeFileSync(join(project, 'tunekit.config.json'), JSON.stringify({ project: 'discover' }));
  mkdirSync(join(project, 'data'));
  copyFileSync(SAMPLES.tutorialConversation, join(project, 'data/train.jsonl'));
  watch = spawn(process.execPath, [join(REPO_ROOT, 'bin/tunekit.mjs'), 'watch', '--port', '0'], {
    cwd: project,
    env: { ...process.env, ...BARE, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  watch.stdout!.on('data', (d) => (watchLog += d));
  watch.stderr!.on('data', (d) => (watchLog += d));
  const statePath = join(project, '.tunekit/stack.json');
  for (let i = 0; !/watching s3:/.test(watchLog); i++) {
    if (i > 600 || watch.exitCode !== null) throw new Error(`watch did not start:\n${watchLog}`);
    await sleep(100);
  }
  expect(existsSync(statePath)).toBe(true);
  endpoint = JSON.parse(readFileSync(statePath, 'utf8')).endpoint;
}, 90_000);

afterAll(async () => {
  busy?.close();
  if (watch && watch.exitCode === null) {
    watch.kill('SIGTERM');
    await new Promise((r) => watch.once('exit', r));
  }
});

const cli = (args: string[], cwd = project) => runCli(args, { cwd, env: BARE, timeoutMs: 60_000 });

describe('the CLI finds the local stack by itself', () => {
  it('`tunekit run data/train.jsonl` while `tunekit watch` runs: starts a run, saying which endpoint it used', async () => {
    const run = await cli(['run', 'data/train.jsonl', '--json']);
    expect(run.stderr).not.toContain('internal error');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe(`using the local stack at ${endpoint} (.tunekit/)\n`);
    const started = JSON.parse(run.stdout);
    expect(started.executionArn).toMatch(/^arn:aws:states:/);
    const runs = await cli(['runs', 'list', '--json']);
    expect(runs.code, runs.stderr).toBe(0);
    expect(runs.stdout).toContain(started.name);
  });

  it('`tunekit train` starts a local job without the roleArn that setup skipped', async () => {
    const train = await cli(['train', 'data/train.jsonl', '--no-wait', '--json']);
    expect(train.code, train.stderr).toBe(0);
    expect(JSON.parse(train.stdout).jobArn).toMatch(/^arn:aws:bedrock:.*:model-customization-job\//);
  });

  it('with neither a local stack nor AWS credentials: a user error naming both ways out', async () => {
    const empty = tempDir();
    writeFileSync(join(empty, 'tunekit.config.json'), JSON.stringify({ project: 'nothing' }));
    const r = await cli(['runs', 'list'], empty);
    expect(r.stderr).not.toContain('internal error');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no AWS credentials were found and no local stack is running for .tunekit/');
    expect(r.stderr).toMatch(/tunekit watch.*aws configure/);
  });
});

describe('a stack without the pipeline', () => {
  it('`tunekit run` against `local start` (no Step Functions) says to run `tunekit watch`', async () => {
    const bare = tempDir();
    writeFileSync(join(bare, 'tunekit.config.json'), JSON.stringify({ project: 'bare' }));
    const start = await cli(['local', 'start', '--detach', '--port', '0'], bare);
    expect(start.code, start.stderr).toBe(0);
    try {
      const run = await cli(['run', SAMPLES.tutorialConversation], bare);
      expect(run.stderr).not.toContain('internal error');
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('does not serve the AWS service "states"');
      expect(run.stderr).toContain('`tunekit local stop`, then `tunekit watch`');
    } finally {
      await cli(['local', 'stop'], bare);
    }
  });
});

describe('a stack that cannot start says why (finding 2)', () => {
  it('a second `tunekit watch` in the same project names the running one', async () => {
    const second = await cli(['watch', '--port', '0']);
    expect(second.stderr).not.toContain('internal error');
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(
      /a local stack is already running for .*\.tunekit \(pid \d+, http:\/\/127\.0\.0\.1:\d+\)/,
    );
  });

  it('`local start` and `watch` on a port another program holds: the port and `--port 0`', async () => {
    busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    const port = (busy.address() as { port: number }).port;
    const other = tempDir();
    const start = await cli(
      ['local', 'start', '--port', String(port), '--data-dir', join(other, 'stack')],
      other,
    );
    expect(start.stderr).not.toContain('internal error');
    expect(start.code).toBe(1);
    expect(start.stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
    expect(start.stderr).toContain('--port 0');
    const detached = await cli(
      ['local', 'start', '--detach', '--port', String(port), '--data-dir', join(other, 'stack')],
      other,
    );
    expect(detached.code).toBe(1);
    expect(detached.stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
    expect(detached.stderr).toContain('--port 0');
    writeFileSync(join(other, 'tunekit.config.json'), JSON.stringify({ project: 'other' }));
    const watchBusy = await cli(['watch', '--port', String(port)], other);
    expect(watchBusy.code).toBe(1);
    expect(watchBusy.stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
  });
});
