import { beforeAll, describe, expect, it } from 'vitest';
import { TunekitError } from '../../errors.ts';
import { SAMPLES } from '../../samples.ts';
import type { GenerateInput, StepMetric, TrainInput, TrainOutput } from './engine.port.ts';
import { createLocalEngine } from './engine.ts';
import { readConversations } from './sample-data.ts';

/** Behaviour of training and generation on small data (the banking quality test is separate). */

const engine = createLocalEngine();
const tutorial = readConversations(SAMPLES.tutorialConversation);
const more = readConversations(SAMPLES.bankingTrainMore);

const input = (overrides: Partial<TrainInput> = {}): TrainInput => ({
  family: 'titan-text',
  hyperparameters: { epochCount: '3', batchSize: '2', learningRate: '0.00001' },
  training: tutorial,
  validation: [],
  seed: 42,
  ...overrides,
});

const ask = (artifact: GenerateInput['artifact'], text: string, extra: Partial<GenerateInput> = {}) =>
  engine.generate({
    artifact,
    family: 'titan-text',
    messages: [{ role: 'user', text }],
    maxTokens: 512,
    temperature: 0,
    topP: 1,
    stopSequences: [],
    ...extra,
  });

const mean = (steps: StepMetric[]) => steps.reduce((n, s) => n + s.loss, 0) / steps.length;

/** One run with the default input, shared by the tests that only read it. */
let trained: TrainOutput;
const seen: StepMetric[] = [];
beforeAll(async () => {
  trained = await engine.train(input(), (m) => seen.push(m));
});

describe('LocalEngine.train', () => {
  it('reports every step, and the loss falls', () => {
    const out = trained;
    expect(out.trainingSteps).toEqual(seen);
    expect(seen).toHaveLength(3 * 5); // 10 records / batch 2 x 3 epochs
    expect(seen.map((s) => s.step)).toEqual(seen.map((_, i) => i + 1));
    expect(seen.at(-1)!.epoch).toBe(3);
    expect(mean(seen.slice(-5))).toBeLessThan(mean(seen.slice(0, 5)) * 0.5);
    for (const s of seen) expect(s.perplexity).toBeCloseTo(Math.exp(s.loss));
    expect(out.finalTrainingLoss).toBe(seen.at(-1)!.loss);
    expect(out.trainedTokens).toBeGreaterThan(3 * 10 * 50);
    expect(out.tokensPerSecond).toBeGreaterThan(0);
  });

  it('is deterministic for a seed, and a different seed starts from different weights', async () => {
    const a = trained;
    const b = await engine.train(input());
    const c = await engine.train(input({ seed: 7 }));
    expect(JSON.stringify(a.artifact)).toBe(JSON.stringify(b.artifact));
    expect(a.trainingSteps).toEqual(b.trainingSteps);
    expect(c.trainingSteps[0]!.loss).not.toBe(a.trainingSteps[0]!.loss);
    expect(JSON.stringify(c.artifact)).not.toBe(JSON.stringify(a.artifact));
    const prompt = 'How do I dispute a charge on my credit card?';
    expect(ask(a.artifact, prompt, { temperature: 1, seed: 3 })).toEqual(
      ask(b.artifact, prompt, { temperature: 1, seed: 3 }),
    );
  });

  it('honours epochs, batch size and learning rate', async () => {
    const base = trained;
    const epochs = await engine.train(
      input({ hyperparameters: { epochCount: '1', batchSize: '2', learningRate: '0.00001' } }),
    );
    const batch = await engine.train(
      input({ hyperparameters: { epochCount: '3', batchSize: '5', learningRate: '0.00001' } }),
    );
    const slow = await engine.train(
      input({ hyperparameters: { epochCount: '3', batchSize: '2', learningRate: '0.000001' } }),
    );
    expect(epochs.trainingSteps).toHaveLength(5);
    expect(batch.trainingSteps).toHaveLength(6);
    expect(slow.trainingSteps).toHaveLength(15);
    // A tenth of the learning rate learns less in the same number of steps.
    expect(slow.finalTrainingLoss).toBeGreaterThan(base.finalTrainingLoss * 2);
    expect(epochs.trainedTokens * 3).toBe(base.trainedTokens);
  });

  it('reports validation loss per epoch on held-out conversations', async () => {
    const out = await engine.train(input({ validation: more.slice(0, 4) }));
    expect(out.validationSteps.map((s) => s.epoch)).toEqual([1, 2, 3]);
    expect(out.finalValidationLoss).toBe(out.validationSteps.at(-1)!.loss);
    // Validation answers are never added to the model.
    expect(ask(out.artifact, more[0]!.turns[0]!.text).text).not.toBe(more[0]!.turns[1]!.text);
  });

  it("applies Claude's early stopping on validation loss", async () => {
    // Held-out paraphrases of the tutorial prompts: validation loss falls, then levels off.
    const answers = new Set(tutorial.map((c) => c.turns[1]!.text));
    const prompts = new Set(tutorial.map((c) => c.turns[0]!.text));
    const validation = readConversations(SAMPLES.bankingTrain).filter(
      (c) => answers.has(c.turns[1]!.text) && !prompts.has(c.turns[0]!.text),
    );
    const run = (patience: string) =>
      engine.train(
        input({
          family: 'claude-3',
          validation,
          hyperparameters: {
            epochCount: '10',
            batchSize: '4',
            earlyStoppingThreshold: '0.001',
            earlyStoppingPatience: patience,
          },
        }),
      );
    const strict = await run('1');
    const lenient = await run('3');
    const epochs = (out: TrainOutput) => out.trainingSteps.at(-1)!.epoch;
    expect(epochs(lenient)).toBe(epochs(strict) + 2);
    expect(epochs(lenient)).toBeLessThan(10);
    expect(strict.validationSteps).toHaveLength(epochs(strict));
    expect(strict.trainingSteps).toHaveLength(epochs(strict) * 3); // 10 records / batch 4
    const losses = strict.validationSteps.map((s) => s.loss);
    expect(losses[1]!).toBeLessThan(losses[0]!);
  });

  it('stops between steps when aborted', async () => {
    const controller = new AbortController();
    const seen: number[] = [];
    const run = engine.train(
      input(),
      (m) => {
        seen.push(m.step);
        if (m.step === 3) controller.abort();
      },
      controller.signal,
    );
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen).toEqual([1, 2, 3]);
  });

  it('keeps the event loop turning while it trains, so a stop request arriving later is honoured', async () => {
    const controller = new AbortController();
    let steps = 0;
    const banking = readConversations(SAMPLES.bankingTrain);
    const hyperparameters = { epochCount: '10', batchSize: '1', learningRate: '0.00001' };
    const run = engine.train(input({ training: banking, hyperparameters }), () => steps++, controller.signal);
    setTimeout(() => controller.abort(), 30);
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(steps).toBeGreaterThan(0);
    expect(steps).toBeLessThan(banking.length * 10);
  });

  it('rejects training data without a single user -> assistant exchange', async () => {
    const training = [{ turns: [{ role: 'user' as const, text: 'hello' }] }];
    await expect(engine.train(input({ training }))).rejects.toMatchObject({ code: 'ENGINE.NO_EXAMPLES' });
  });

  it('continues training from a custom model and keeps what it learned before', async () => {
    const first = trained;
    const second = await engine.train(input({ base: first.artifact, training: more, seed: 9 }));
    const newPrompt = more[0]!.turns[0]!.text;
    expect(ask(second.artifact, newPrompt).text).toBe(more[0]!.turns[1]!.text);
    expect(ask(first.artifact, newPrompt).text).not.toBe(more[0]!.turns[1]!.text);
    const oldPrompt = tutorial[3]!.turns[0]!.text;
    expect(ask(second.artifact, oldPrompt).text).toBe(tutorial[3]!.turns[1]!.text);
  });
});

describe('LocalEngine.generate', () => {
  it('answers as the base model without an artifact, with generic text', () => {
    const out = ask(undefined, 'What is the process to dispute a credit card transaction?');
    expect(out.text).toMatch(/contact|card issuer/i);
    expect(out.text).not.toBe(tutorial[0]!.turns[1]!.text);
    expect(out.stopReason).toBe('end_turn');
    expect(out.inputTokens).toBe(
      engine.countTokens('What is the process to dispute a credit card transaction?'),
    );
    expect(out.outputTokens).toBe(engine.countTokens(out.text));
  });

  it('honours maxTokens and stop sequences, and counts the system prompt as input', () => {
    const { artifact } = trained;
    const prompt = tutorial[1]!.turns[0]!.text;
    const full = ask(artifact, prompt);
    expect(full.text).toBe(tutorial[1]!.turns[1]!.text);
    const cut = ask(artifact, prompt, { maxTokens: 5 });
    expect(cut).toMatchObject({ outputTokens: 5, stopReason: 'max_tokens' });
    expect(full.text.startsWith(cut.text)).toBe(true);
    const stopped = ask(artifact, prompt, { stopSequences: ['Bill Pay'] });
    expect(stopped.stopReason).toBe('stop_sequence');
    expect(stopped.text).not.toContain('Bill Pay');
    const system = 'You are a helpful banking assistant.';
    const withSystem = ask(artifact, prompt, { system });
    expect(withSystem.inputTokens).toBe(full.inputTokens + 7);
    expect(withSystem.text).toBe(full.text);
  });

  it('uses the conversation so far for a follow-up turn', () => {
    const { artifact } = trained;
    const out = engine.generate({
      artifact,
      family: 'titan-text',
      messages: [
        { role: 'user', text: 'I have a question about my mortgage.' },
        { role: 'assistant', text: 'Of course, what would you like to know?' },
        { role: 'user', text: 'What happens if I miss a payment?' },
      ],
      maxTokens: 512,
      temperature: 0,
      topP: 1,
      stopSequences: [],
    });
    expect(out.text).toBe(tutorial[6]!.turns[1]!.text);
  });

  it('survives a JSON round trip and rejects a damaged artifact with a typed error', () => {
    const { artifact } = trained;
    const copy = JSON.parse(JSON.stringify(artifact));
    const prompt = tutorial[2]!.turns[0]!.text;
    expect(ask(copy, prompt)).toEqual(ask(artifact, prompt));
    expect(() => ask({ ...copy, slots: 'AAAA' }, prompt)).toThrow(TunekitError);
    expect(() => ask({ ...copy, version: 99 }, prompt)).toThrow(/not a tunekit local model/);
  });
});
