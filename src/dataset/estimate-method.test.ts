import { describe, expect, it } from 'vitest';
import { estimateMethodCost } from './estimate-method.ts';
import { tempFile } from './test-support/records.ts';

const rftFile = () =>
  tempFile(
    `${Array.from({ length: 100 }, (_, i) =>
      JSON.stringify({
        messages: [{ role: 'user', content: `What is ${i} + ${i}?` }],
        reference_answer: 2 * i,
      }),
    ).join('\n')}\n`,
  );
const NOVA_2_LITE = 'amazon.nova-2-lite-v1:0:256k';

describe('estimateMethodCost', () => {
  it('reinforcement: counts the sampled answers as an upper bound and leaves the unknown price unknown', async () => {
    const e = await estimateMethodCost(
      { path: rftFile() },
      {
        model: NOVA_2_LITE,
        method: 'reinforcement',
        rft: { epochCount: 2, trainingSamplePerPrompt: 4, inferenceMaxTokens: 500 },
      },
    );
    expect(e.reinforcement).toMatchObject({ prompts: 100, maxGeneratedTokens: 100 * 2 * 4 * 500 });
    expect(e.training.usd).toBeNull();
    expect(e.training.price.source).toBe('https://aws.amazon.com/bedrock/pricing/');
    expect(e.firstMonthKnownTotal).toBeNull();
  });

  it('refuses fine-tuning epochs for another method, and a distillation without a teacher', async () => {
    await expect(
      estimateMethodCost({ path: rftFile() }, { model: NOVA_2_LITE, method: 'reinforcement', epochs: 2 }),
    ).rejects.toThrow(/--epochs prices fine-tuning; reinforcement has no fine-tuning epochs/);
    await expect(
      estimateMethodCost({ path: rftFile() }, { model: 'nova-micro', method: 'distillation' }),
    ).rejects.toThrow(/needs the teacher/);
  });

  it('distillation without an answer length: the teacher answers are unknown, not guessed', async () => {
    const e = await estimateMethodCost(
      { path: rftFile() },
      { model: 'nova-micro', method: 'distillation', teacherModel: 'nova-pro' },
    );
    expect(e.teacher?.input.usd).not.toBeNull();
    expect(e.teacher?.output.usd).toBeNull();
    expect(e.teacher?.assumption).toMatch(/maxResponseLengthForInference/);
    expect(e.firstMonthKnownTotal).toBeNull();
  });
});
