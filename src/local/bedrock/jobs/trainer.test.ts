import { describe, expect, it } from 'vitest';
import type { StepMetric, TrainInput } from '../../engine/engine.port.ts';
import { workerTrainer } from './trainer.ts';

const trainer = workerTrainer({
  url: new URL('./fixtures/busy-engine.ts', import.meta.url).href,
  exportName: 'createBusyEngine',
});
const input = (steps: number): TrainInput => ({
  family: 'nova',
  hyperparameters: { steps: String(steps) },
  training: [],
  validation: [],
  seed: 1,
});

describe('workerTrainer', () => {
  it('trains in a worker thread: steps stream back and the main event loop stays free', async () => {
    const steps: StepMetric[] = [];
    const ticks: number[] = [];
    const timer = setInterval(() => ticks.push(performance.now()), 10);
    const output = await trainer.train(input(20), (m) => steps.push(m), new AbortController().signal);
    clearInterval(timer);
    expect(output.trainingSteps).toHaveLength(20);
    expect(steps.map((s) => s.step)).toEqual([...Array(20).keys()]);
    // 20 busy steps of 25 ms: had they run on this thread, no 10 ms timer could have fired in between.
    const gaps = ticks.slice(1).map((t, i) => t - ticks[i]!);
    expect(ticks.length).toBeGreaterThan(10);
    expect(Math.max(...gaps)).toBeLessThan(200);
  });

  it('stops between steps when aborted', async () => {
    const controller = new AbortController();
    const steps: StepMetric[] = [];
    const run = trainer.train(
      input(400),
      (m) => {
        steps.push(m);
        if (m.step === 3) controller.abort();
      },
      controller.signal,
    );
    await expect(run).rejects.toThrow(/stopped/);
    expect(steps.length).toBeLessThan(20);
  });
});
