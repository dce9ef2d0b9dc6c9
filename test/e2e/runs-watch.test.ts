import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { SAMPLES } from '../../src/samples.ts';
import { runCli } from './helpers/cli.ts';
import { memorisingEngine } from './helpers/local-doubles.ts';
import { pipelineHarness, upload } from './pipeline-doubles.ts';

/**
 * `tunekit runs watch` while a run trains: in a log (no TTY) it prints each state once and the training's
 * step, epoch, loss and ETA each time they change, then the run's end.
 */
const { start, cleanup } = pipelineHarness();
afterEach(cleanup);

describe('tunekit runs watch', () => {
  it('follows training step by step with epoch, loss and ETA, and exits 0 when the run succeeds', async () => {
    // 40 ms per training step: the banking set trains for a few seconds, long enough to be watched.
    const { p, config } = await start({ engine: memorisingEngine({ stepDelayMs: 40 }) });
    await upload(p, config.bucket, 'training-data/train.jsonl', readFileSync(SAMPLES.bankingTrain));
    let name = '';
    await expect
      .poll(() => (name = p.sfn.service.listExecutions(p.stateMachineArn)[0]?.name ?? ''))
      .not.toBe('');
    const watched = await runCli(['runs', 'watch', name, '--interval', '200'], {
      env: { ...p.stack.env, AWS_ENDPOINT_URL_SFN: p.stack.endpoint },
      timeoutMs: 120_000,
    });
    expect(watched.code, watched.stderr).toBe(0);
    const progress = [
      ...watched.stdout.matchAll(
        /training: step (\d+) {2}epoch (\d+)\/(\d+) {2}loss (\d+\.\d{4}) {2}ETA (.+)$/gm,
      ),
    ];
    expect(progress.length, watched.stdout).toBeGreaterThanOrEqual(2);
    const steps = progress.map((m) => Number(m[1]));
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    expect(new Set(steps).size).toBe(steps.length); // a line per new step, not per poll
    expect(progress.every((m) => Number(m[2]) <= Number(m[3]))).toBe(true);
    // Before the first epoch ends there is no ETA to give; after it, a duration.
    for (const [, , epoch, , , eta] of progress)
      expect(eta).toMatch(epoch === '1' ? /^after the first epoch$/ : /^\d+(ms|s)$|^\d+m/);
    expect(progress.at(-1)![2]).toBe(progress.at(-1)![3]); // the last line is in the last epoch
    // States appear in order, once each, before the final summary.
    const states = watched.stdout.match(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d {2}(\w+)$/gm) ?? [];
    const names = states.map((l) => l.split(/\s+/).pop());
    expect(names.indexOf('StartFineTuningJob')).toBeGreaterThan(names.indexOf('ValidateTrainingData'));
    expect(names.filter((n) => n === 'StartFineTuningJob')).toHaveLength(1);
    expect(watched.stdout).toMatch(/SUCCEEDED/);
  });
});
