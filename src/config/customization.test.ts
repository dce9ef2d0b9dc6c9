import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/e2e/helpers/cli.ts';
import { loadConfig } from './load.ts';

const load = (config: object) => () =>
  loadConfig({ dir: tempDir({ 'tunekit.config.json': JSON.stringify(config) }) });

describe('customization.method', () => {
  it('defaults to fine-tuning', () => {
    expect(load({})().config.customization.method).toBe('fine-tuning');
  });

  it('takes a distillation with a teacher that can teach the student', () => {
    const { config } = load({
      baseModel: 'amazon.nova-micro-v1:0:128k',
      customization: {
        method: 'distillation',
        distillation: { teacherModel: 'amazon.nova-premier-v1:0', maxResponseLengthForInference: 1000 },
      },
    })();
    expect(config.customization.distillation?.teacherModel).toBe('amazon.nova-premier-v1:0');
  });

  it('refuses a method the base model does not support, naming the key and the models that do', () => {
    expect(
      load({
        baseModel: 'amazon.nova-micro-v1:0:128k',
        customization: { method: 'reinforcement', reinforcement: { grader: 'graders/grader.ts' } },
      }),
    ).toThrow(
      /customization\.method: Amazon Nova Micro .* does not support reinforcement .*amazon\.nova-2-lite-v1:0:256k/,
    );
  });

  it('refuses an unknown teacher and a teacher that cannot teach the student', () => {
    expect(
      load({ customization: { method: 'distillation', distillation: { teacherModel: 'gpt-4o' } } }),
    ).toThrow(
      /customization\.distillation\.teacherModel: "gpt-4o" is not a distillation teacher.*amazon\.nova-premier-v1:0/,
    );
    expect(
      load({
        baseModel: 'amazon.nova-pro-v1:0:300k',
        customization: { method: 'distillation', distillation: { teacherModel: 'amazon.nova-pro-v1:0' } },
      }),
    ).toThrow(/Amazon Nova Pro cannot teach Amazon Nova Pro.*amazon\.nova-premier-v1:0/);
  });

  it("requires the method's options and rejects another method's", () => {
    expect(load({ customization: { method: 'distillation' } })).toThrow(
      /customization\.distillation: method "distillation" needs its options/,
    );
    expect(
      load({
        customization: { reinforcement: { grader: 'g.ts' } },
        baseModel: 'amazon.nova-2-lite-v1:0:256k',
      }),
    ).toThrow(
      /customization\.reinforcement: options of method "reinforcement" are set but "method" is "fine-tuning"/,
    );
  });

  it("checks RFT hyperparameters against botocore's ranges and rejects unknown keys", () => {
    const rft = (hyperparameters: object) =>
      load({
        baseModel: 'amazon.nova-2-lite-v1:0:256k',
        customization: { method: 'reinforcement', reinforcement: { grader: 'g.ts', hyperparameters } },
      });
    expect(rft({ batchSize: 8 })).toThrow(/customization\.reinforcement\.hyperparameters\.batchSize/);
    expect(rft({ reasoningEffort: 'max' })).toThrow(/reasoningEffort/);
    expect(rft({ epochs: 2 })).toThrow(/hyperparameters\.epochs: unknown key \(known here: epochCount/);
    expect(
      rft({ batchSize: 16, trainingSamplePerPrompt: 4 })().config.customization.reinforcement
        ?.hyperparameters,
    ).toEqual({
      batchSize: 16,
      trainingSamplePerPrompt: 4,
    });
  });
});
