import { describe, expect, it } from 'vitest';
import { lossSection } from './report/html.ts';
import { parseTrainingMetricsCsv } from './training-metrics.ts';

describe('parseTrainingMetricsCsv', () => {
  it("reads Bedrock's columns by name", () => {
    const csv = 'step_number,epoch_number,training_loss,perplexity\n0,0,2.5,12.18\n1,0,1.75,5.75\n';
    expect(parseTrainingMetricsCsv(csv)).toEqual([
      { step: 0, epoch: 0, loss: 2.5 },
      { step: 1, epoch: 0, loss: 1.75 },
    ]);
  });
  it('accepts the validation file and another column order', () => {
    expect(parseTrainingMetricsCsv('validation_loss,step_number\n0.9,10\n')).toEqual([
      { step: 10, epoch: null, loss: 0.9 },
    ]);
  });
  it('names the line of a damaged row and the fix for a wrong file', () => {
    expect(() => parseTrainingMetricsCsv('step_number,training_loss\n0,1.0\n1,abc\n', 'm.csv')).toThrow(
      /m\.csv:3: not a number/,
    );
    expect(() => parseTrainingMetricsCsv('a,b\n1,2\n', 'x.csv')).toThrow(
      /x\.csv:1: expected columns step_number/,
    );
  });
  it('reads the reward of a reinforcement fine-tuning job, and the report charts it beside the loss', () => {
    const csv =
      'step_number,epoch_number,training_loss,perplexity,reward_mean,reward_min,reward_max\n1,1,2.0,7.39,0.25,0,1\n2,1,1.0,2.72,0.75,0,1\n';
    const points = parseTrainingMetricsCsv(csv);
    expect(points).toEqual([
      { step: 1, epoch: 1, loss: 2, reward: 0.25 },
      { step: 2, epoch: 1, loss: 1, reward: 0.75 },
    ]);
    const section = (trainingLoss: typeof points) => lossSection({ trainingLoss });
    expect(section(points)).toMatch(/Training loss and reward[\s\S]*Mean reward per step/);
    expect(section(points.map(({ reward: _r, ...p }) => p))).not.toMatch(/Mean reward per step/);
  });
});
