import { describe, expect, it } from 'vitest';
import { jobProgress } from './job-progress.ts';

describe('local job progress', () => {
  it('logs step, epoch, loss and ETA and rewrites the metrics file while training, at most every interval', async () => {
    let t = 0;
    const lines: string[] = [];
    const files: string[] = [];
    const p = jobProgress(
      'my-job',
      { log: (l) => lines.push(l), writeCsv: async (c) => void files.push(c) },
      { everyMs: 1000, logEveryMs: 2000, now: () => t },
    );
    const plan = { totalSteps: 10, stepsPerEpoch: 5, epochs: 2 };
    for (let step = 1; step <= 10; step++) {
      t = step * 500;
      p.onStep({ step, epoch: step <= 5 ? 1 : 2, loss: 1 / step, perplexity: Math.exp(1 / step) }, plan);
    }
    await p.settled();
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe('job my-job training: step 4/10, epoch 1/2, loss 0.2500, ETA 3s');
    expect(files).toHaveLength(5);
    expect(files.at(-1)!.trim().split('\n')).toHaveLength(1 + 10);
  });

  it('shows the reward of a reinforcement fine-tuning step in the log line and the live metrics file', async () => {
    let t = 0;
    const lines: string[] = [];
    const files: string[] = [];
    const p = jobProgress(
      'rft-job',
      { log: (l) => lines.push(l), writeCsv: async (c) => void files.push(c) },
      { everyMs: 0, logEveryMs: 0, now: () => t },
    );
    t = 1000;
    p.onStep({ step: 1, epoch: 1, loss: 0.5, perplexity: Math.exp(0.5), reward: 0.625 });
    await p.settled();
    expect(lines).toEqual(['job rft-job training: step 1, epoch 1, loss 0.5000, reward 0.625']);
    expect(files.at(-1)!.split('\n')[0]).toBe(
      'step_number,epoch_number,training_loss,perplexity,reward_mean',
    );
    expect(files.at(-1)!.split('\n')[1]).toMatch(/,0\.625$/);
  });
});
