import { cpSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { trainingFingerprint } from '../../src/pipeline/run-name.ts';
import { startRun } from '../../src/pipeline/start-run.ts';
import { SAMPLES } from '../../src/samples.ts';
import { memorisingEngine } from './helpers/local-doubles.ts';
import { leftovers, nextRun, pipelineHarness, upload } from './pipeline-doubles.ts';

/** Heavier reliability scenarios of the pipeline on the local stack (S3/engine doubles, see pipeline-doubles.ts). */
const { start, cleanup } = pipelineHarness();
afterEach(cleanup);

describe('pipeline reliability (slow)', () => {
  it('completes with 20% of Bedrock calls throttled', async () => {
    const { p, config } = await start({ faults: { rules: [{ api: '*', throttleRate: 0.2 }], seed: 7 } });
    await upload(p, config.bucket, 'training-data/train.jsonl', readFileSync(SAMPLES.bankingTrain));
    const run = await nextRun(p);
    expect(run.status, `${run.error} ${run.cause}`).toBe('SUCCEEDED');
    expect(JSON.parse(run.output!).version).toBe('v1.0');
    expect(await leftovers(p)).toEqual([]);
  });

  it('a stack killed mid-run: the run comes back FAILED with a cause, its deployment is freed, and it can run again', async () => {
    // A slow "training" so the run is surely mid-flight when the process dies.
    const { p, config, dataDir } = await start({ engine: memorisingEngine({ stepDelayMs: 20 }) });
    await upload(p, config.bucket, 'training-data/train.jsonl', readFileSync(SAMPLES.bankingTrain));
    for (
      let i = 0;
      i < 200 &&
      !p.sfn.service
        .listExecutions(p.stateMachineArn)[0]
        ?.events.some(
          (e) =>
            e.type === 'TaskStateEntered' &&
            (e.stateEnteredEventDetails as { name: string }).name === 'StartFineTuningJob',
        );
      i++
    ) {
      await new Promise((r) => setTimeout(r, 25));
    }
    await new Promise((r) => setTimeout(r, 400)); // let the store flush the RUNNING record
    // kill -9 leaves the files as they are now; a graceful stop would close the run itself. Keep a copy
    // of the on-disk state of the "dead" process and put it back after stopping.
    const snapshot = `${dataDir}-snapshot`;
    cpSync(join(dataDir, 'stepfunctions'), snapshot, { recursive: true });
    await cleanupOne(p);
    rmSync(join(dataDir, 'stepfunctions'), { recursive: true, force: true });
    cpSync(snapshot, join(dataDir, 'stepfunctions'), { recursive: true });
    rmSync(snapshot, { recursive: true, force: true });

    const again = await start({ dataDir });
    const [cut] = again.p.sfn.service.listExecutions(again.p.stateMachineArn);
    expect(cut?.status).toBe('FAILED');
    expect(cut?.error).toBe('Tunekit.StackRestarted');
    expect(cut?.cause).toMatch(/start it again/);
    expect(again.lines.join('\n')).toMatch(/marked interrupted execution/);
    expect(await leftovers(again.p)).toEqual([]);

    await upload(again.p, config.bucket, 'training-data/train.jsonl', readFileSync(SAMPLES.bankingTrain));
    const target = { bucket: config.bucket, key: 'training-data/train.jsonl', etag: 'x', size: 1 };
    const manual = await startRun(again.p.clients, again.p.stateMachineArn, target, {
      source: 'manual',
      fingerprint: trainingFingerprint(config),
      force: new Date(),
    });
    expect(manual.started).toBe(true);
    const rerun = await again.p.sfn.service.waitForExecution(
      again.p.sfn.service.listExecutions(again.p.stateMachineArn).find((e) => e.name === manual.name)!
        .executionArn,
    );
    expect(rerun.status, `${rerun.error} ${rerun.cause}`).toBe('SUCCEEDED');
  });
});

async function cleanupOne(p: { stop(): Promise<void> }) {
  await p.stop();
}
