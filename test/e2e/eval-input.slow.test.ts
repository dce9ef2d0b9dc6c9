import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './helpers/cli.ts';

/** Bad input to `tunekit eval` that is rejected before any model call: the message names the place and the fix. */
const dir = tempDir({
  'eval/suite.json': JSON.stringify({
    name: 's',
    cases: [{ id: 'a', category: 'in-domain', prompt: 'q', reference: 'r' }],
  }),
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const BASE = ['--model', 'baseline=amazon.nova-micro-v1:0'];
// Nothing here reaches a model; an unroutable endpoint makes sure of it.
const env = {
  AWS_ENDPOINT_URL_BEDROCK_RUNTIME: 'http://127.0.0.1:9',
  AWS_ACCESS_KEY_ID: 'x',
  AWS_SECRET_ACCESS_KEY: 'y',
};

describe('tunekit eval: bad input', () => {
  it('usage mistakes exit 2; bad files exit 1; each says where and what to do', async () => {
    const [badLabel, dupLabel, wrongGate, badConcurrency, badCsv, missingCsv, missingSuite, missingRun] =
      await Promise.all([
        runCli(['eval', 'run', '--model', '=amazon.nova-micro-v1:0'], { cwd: dir, env }),
        runCli(['eval', 'run', ...BASE, ...BASE], { cwd: dir, env }),
        runCli(['eval', 'run', ...BASE, '--candidate', 'nobody'], { cwd: dir, env }),
        runCli(['eval', 'run', ...BASE, '--concurrency', '0'], { cwd: dir, env }),
        runCli(['eval', 'run', ...BASE, '--training-metrics', 'eval/suite.json'], { cwd: dir, env }),
        runCli(['eval', 'run', ...BASE, '--training-metrics', 'nope.csv'], { cwd: dir, env }),
        runCli(['eval', 'run', ...BASE, '--suite', 'missing.json'], { cwd: dir, env }),
        runCli(['eval', 'report', 'no-such-run'], { cwd: dir, env }),
      ]);
    expect(badLabel).toMatchObject({ code: 2 });
    expect(badLabel.stderr).toContain('expected <label>=<model id or ARN>');
    expect(dupLabel).toMatchObject({ code: 2 });
    expect(dupLabel.stderr).toContain('label "baseline" is used twice');
    expect(wrongGate).toMatchObject({ code: 2 });
    expect(wrongGate.stderr).toContain('--candidate nobody: no --model has that label');
    expect(badConcurrency).toMatchObject({ code: 2 });
    expect(badConcurrency.stderr).toContain('--concurrency 0: expected a whole number >= 1');
    expect(badCsv).toMatchObject({ code: 1 });
    expect(badCsv.stderr).toContain('eval/suite.json:1: expected columns step_number');
    expect(missingCsv).toMatchObject({ code: 1 });
    expect(missingCsv.stderr).toContain('training metrics file not found: nope.csv');
    expect(missingSuite).toMatchObject({ code: 1 });
    expect(missingSuite.stderr).toMatch(/evaluation suite not found: .*missing\.json[\s\S]*tunekit init/);
    expect(missingRun).toMatchObject({ code: 1 });
    expect(missingRun.stderr).toMatch(/no evaluation report "no-such-run"/);
  }, 120_000);
});
