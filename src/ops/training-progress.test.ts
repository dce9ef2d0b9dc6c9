import { describe, expect, it } from 'vitest';
import { metricsKey, parseStepCsv, stepProgress } from './training-progress.ts';

const csv = (rows: [number, number, number][]) =>
  `step_number,epoch_number,training_loss,perplexity\n${rows.map(([s, e, l]) => `${s},${e},${l},${Math.exp(l)}`).join('\n')}\n`;

describe('training progress from the step-wise metrics file', () => {
  it('finds the file where Bedrock writes it', () => {
    expect(
      metricsKey({
        jobArn: 'arn:aws:bedrock:us-east-1:1:model-customization-job/amazon.nova-micro-v1:0:128k/abc123',
        outputDataConfig: { s3Uri: 's3://b/out' },
      }),
    ).toEqual({
      bucket: 'b',
      key: 'out/model-customization-job-abc123/training_artifacts/step_wise_training_metrics.csv',
    });
  });

  it('estimates the time left from the batch size and record count, or once the first epoch is done', () => {
    const rows = parseStepCsv(
      csv([
        [1, 1, 2],
        [2, 1, 1.5],
        [3, 2, 1],
        [4, 2, 0.5],
      ]),
    );
    // Nova (no batch size): 2 steps per epoch seen, 3 epochs = 6 steps; 4 done in 8 s -> 4 s left.
    expect(stepProgress(rows, { hyperParameters: { epochCount: '3' } }, 8000)).toEqual({
      step: 4,
      epoch: 2,
      epochs: 3,
      loss: 0.5,
      etaSeconds: 4,
    });
    // In the first epoch without a batch size: no ETA yet.
    expect(
      stepProgress(rows.slice(0, 2), { hyperParameters: { epochCount: '3' } }, 4000)?.etaSeconds,
    ).toBeUndefined();
    // With a batch size: 10 records / batch 5 = 2 steps per epoch, 2 epochs = 4 steps; 1 done in 2 s.
    expect(
      stepProgress(rows.slice(0, 1), { hyperParameters: { epochCount: '2', batchSize: '5' } }, 2000, 10)
        ?.etaSeconds,
    ).toBe(6);
  });
});
