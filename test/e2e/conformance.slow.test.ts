import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, tempDir } from './helpers/cli.ts';

/**
 * Conformance of the local stack to the official AWS API models: test/e2e/conformance/check_conformance.py
 * drives every S3, Bedrock, Bedrock Runtime and Step Functions operation tunekit uses with boto3 and checks
 * each raw response against botocore's service models (an independent source: not our code, not our
 * reading of the docs). The stack runs in a child process, as `tunekit watch` runs it, and records every
 * response it sends, so the pipeline's own SDK calls during its runs are checked as well.
 */

const exec = promisify(execFile);
const CHECKER = join(REPO_ROOT, 'test/e2e/conformance/check_conformance.py');

function startStack(dataDir: string): Promise<{ child: ChildProcess; info: string }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(REPO_ROOT, 'test/e2e/conformance/stack-server.ts'),
      dataDir,
      join(dataDir, 'traffic.jsonl'),
    ],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  child.stderr!.on('data', (d) => {
    log = (log + d).slice(-20_000);
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) resolve({ child, info: line });
    });
    child.on('exit', (code) => reject(new Error(`the local stack exited early (${code}):\n${log}`)));
  });
}

const python = async (...args: string[]) =>
  exec('python3', [CHECKER, ...args], { maxBuffer: 16 * 1024 * 1024, timeout: 280_000 }).then(
    (r) => ({ code: 0, out: r.stdout + r.stderr }),
    (e: { code?: number; stdout?: string; stderr?: string }) => ({
      code: e.code ?? 1,
      out: `${e.stdout ?? ''}${e.stderr ?? ''}`,
    }),
  );

describe('local stack conformance to the AWS API models (botocore)', () => {
  it('the checker flags wrong responses: missing required, unknown member, enum, pattern, length, timestamp, XML', async () => {
    const { code, out } = await python('--self-test');
    expect(out).toMatch(/\b31 passed, 0 failed/);
    expect(code, out).toBe(0);
  });

  describe('against the running stack', () => {
    let dataDir: string;
    let stack: { child: ChildProcess; info: string };
    beforeAll(async () => {
      dataDir = tempDir();
      stack = await startStack(dataDir);
    });
    afterAll(async () => {
      if (stack && stack.child.exitCode === null) {
        const exited = new Promise((r) => stack.child.once('exit', r));
        stack.child.kill('SIGTERM');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('every response of every operation tunekit uses matches its botocore output or error shape', async () => {
      const { code, out } = await python(stack.info);
      // One line per operation in the inventory; "not exercised" counts as a failure, so none can drop out.
      const summary = /(\d+) passed, (\d+) failed/.exec(out);
      expect(summary, out).not.toBeNull();
      expect(Number(summary![2]), out).toBe(0);
      expect(Number(summary![1]), out).toBeGreaterThanOrEqual(41);
      expect(out).toMatch(/ended SUCCEEDED/); // a real pipeline run (training, evaluation) was in the history
      expect(out).toMatch(/ended ABORTED/);
      // The pipeline's own SDK calls, recorded by the stack, were checked too.
      const recorded = /own SDK calls during the pipeline runs \((\d+) recorded\)/.exec(out);
      expect(Number(recorded?.[1] ?? 0), out).toBeGreaterThan(0);
      expect(code, out).toBe(0);
    });
  });
});
