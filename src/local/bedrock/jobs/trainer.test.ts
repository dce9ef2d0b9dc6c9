import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { SAMPLES } from '../../../samples.ts';
import type { StepMetric } from '../../engine/engine.port.ts';
import type { JobPayload } from './train-job.ts';
import { workerTrainer } from './trainer.ts';

const trainer = workerTrainer({
  url: new URL('./fixtures/busy-engine.ts', import.meta.url).href,
  exportName: 'createBusyEngine',
});
afterAll(() => trainer.close());

const payload = (steps: number, training = readFileSync(SAMPLES.tutorialConversation)): JobPayload => ({
  family: 'nova',
  modelId: 'amazon.nova-micro-v1:0:128k',
  format: 'bedrock-conversation-2024',
  hyperparameters: { steps: String(steps) },
  seed: 1,
  training: { uri: 's3://b/train.jsonl', buffer: training },
  validation: [],
});

describe('workerTrainer', () => {
  it('trains in a worker thread: steps stream back and the main event loop stays free', async () => {
    const steps: StepMetric[] = [];
    const ticks: number[] = [];
    const timer = setInterval(() => ticks.push(performance.now()), 10);
    const result = await trainer.run(payload(20), (m) => steps.push(m), new AbortController().signal);
    clearInterval(timer);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.trainingCsv.trim().split('\n')).toHaveLength(21);
    expect(JSON.parse(result.artifactJson).steps).toBe(20);
    expect(steps.map((s) => s.step)).toEqual([...Array(20).keys()]);
    // 20 busy steps of 25 ms: had they run on this thread, no 10 ms timer could have fired in between.
    const gaps = ticks.slice(1).map((t, i) => t - ticks[i]!);
    expect(ticks.length).toBeGreaterThan(10);
    expect(Math.max(...gaps)).toBeLessThan(200);
  });

  it('stops between steps when aborted, and the worker serves the next job', async () => {
    const controller = new AbortController();
    const steps: StepMetric[] = [];
    const run = trainer.run(
      payload(400),
      (m) => {
        steps.push(m);
        if (m.step === 3) controller.abort();
      },
      controller.signal,
    );
    await expect(run).rejects.toThrow(/stopped/);
    expect(steps.length).toBeLessThan(20);
    const next = await trainer.run(payload(2), () => {}, new AbortController().signal);
    expect(next.ok).toBe(true);
  });

  it('returns a data failure naming the line instead of training', async () => {
    const bad = Buffer.from(`${readFileSync(SAMPLES.tutorialConversation, 'utf8').trim()}\n{not json\n`);
    const result = await trainer.run(payload(2, bad), () => {}, new AbortController().signal);
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.failure).toMatch(
        /Data validation failed for training data s3:\/\/b\/train.jsonl: line 11/,
      );
  });
});
