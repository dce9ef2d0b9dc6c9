import { describe, expect, it } from 'vitest';
import { TunekitError } from '../../errors.ts';
import { LOCAL_BASE_LR, NOVA_LOCAL_BATCH, planTraining } from './hyperparameters.ts';

describe('planTraining', () => {
  it('maps the Nova defaults to the local base learning rate and the fixed local batch', () => {
    expect(planTraining('nova', {})).toEqual({
      epochs: 2,
      batchSize: NOVA_LOCAL_BATCH,
      learningRate: LOCAL_BASE_LR,
      warmupSteps: 10,
    });
  });

  it("maps the tutorial's Titan values (2 epochs, lr 1e-5, batch 1) relative to Titan's defaults", () => {
    const plan = planTraining('titan-text', { epochCount: '2', learningRate: '0.00001', batchSize: '1' });
    expect(plan.epochs).toBe(2);
    expect(plan.batchSize).toBe(1);
    expect(plan.learningRate).toBeCloseTo(LOCAL_BASE_LR * Math.sqrt(1 / NOVA_LOCAL_BATCH));
    expect(plan.warmupSteps).toBe(5);
  });

  it('scales the learning rate with the ratio to the family default, within a clamp', () => {
    const base = planTraining('llama-3.1', {}).learningRate;
    expect(planTraining('llama-3.1', { learningRate: '0.0005' }).learningRate).toBeCloseTo(base * 5);
    expect(planTraining('llama-3.1', { learningRate: '0.1' }).learningRate).toBeCloseTo(base * 10);
    expect(planTraining('nova', { learningRate: '0.000001' }).learningRate).toBeCloseTo(LOCAL_BASE_LR * 0.1);
    expect(planTraining('titan-text', { learningRate: '0' }).learningRate).toBe(0);
  });

  it('maps Claude 3 multiplier, batch size and early stopping', () => {
    const plan = planTraining('claude-3', {
      learningRateMultiplier: '2',
      batchSize: '8',
      earlyStoppingPatience: '3',
    });
    expect(plan.learningRate).toBeCloseTo(LOCAL_BASE_LR * 2);
    expect(plan.batchSize).toBe(8);
    expect(plan.earlyStopping).toEqual({ threshold: 0.001, patience: 3 });
  });

  it('rejects a value that is not a number, naming the hyperparameter', () => {
    expect(() => planTraining('nova', { epochCount: 'two' })).toThrow(TunekitError);
    expect(() => planTraining('nova', { epochCount: 'two' })).toThrow(/epochCount="two"/);
  });
});
