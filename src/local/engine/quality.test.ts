import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { tokenF1 } from '../../evaluation/metrics/token-f1.ts';
import { EvalSuiteSchema } from '../../evaluation/suite.schema.ts';
import { SAMPLES } from '../../samples.ts';
import type { ModelArtifact, TrainInput } from './engine.port.ts';
import { createLocalEngine } from './engine.ts';
import { readConversations } from './sample-data.ts';

/**
 * What fine-tuning must achieve on the bundled banking set, with both the Nova defaults and the
 * tutorial's hyperparameters (2 epochs, learning rate 1e-5, batch 1 on Titan): training prompts
 * answered close to their references, unseen in-domain prompts clearly better than the base model,
 * out-of-domain prompts answered exactly as the base model answers them.
 */

const engine = createLocalEngine();
const training = readConversations(SAMPLES.bankingTrain);
const suite = EvalSuiteSchema.parse(JSON.parse(readFileSync(SAMPLES.bankingSuite, 'utf8')));
const answer = (artifact: ModelArtifact | undefined, prompt: string) =>
  engine.generate({
    artifact,
    family: 'nova',
    system: suite.system,
    messages: [{ role: 'user', text: prompt }],
    maxTokens: 1000,
    temperature: 0,
    topP: 1,
    stopSequences: [],
  }).text;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const trainingF1 = (artifact: ModelArtifact) =>
  mean(training.map((c) => tokenF1(answer(artifact, c.turns[0]!.text), c.turns[1]!.text)));

const runs: Record<string, Pick<TrainInput, 'family' | 'hyperparameters'>> = {
  'Nova defaults': { family: 'nova', hyperparameters: {} },
  "the tutorial's values": {
    family: 'titan-text',
    hyperparameters: { epochCount: '2', learningRate: '0.00001', batchSize: '1' },
  },
};

describe.each(Object.entries(runs))('fine-tuning on samples/banking with %s', (_, run) => {
  let artifact: ModelArtifact;
  beforeAll(async () => {
    ({ artifact } = await engine.train({ ...run, training, validation: [], seed: 1 }));
  });

  it('answers the training prompts close to their references (token F1 >= 0.6)', () => {
    expect(trainingF1(artifact)).toBeGreaterThanOrEqual(0.6);
  });

  it('beats the base model on unseen in-domain prompts by a clear margin', () => {
    const unseen = suite.cases.filter((c) => c.category === 'in-domain' && c.tags.includes('unseen'));
    const candidate = mean(unseen.map((c) => tokenF1(answer(artifact, c.prompt), c.reference)));
    const base = mean(unseen.map((c) => tokenF1(answer(undefined, c.prompt), c.reference)));
    expect(candidate - base).toBeGreaterThanOrEqual(0.2);
  });

  it('answers out-of-domain prompts exactly as the base model does', () => {
    for (const c of suite.cases.filter((c) => c.category === 'out-of-domain')) {
      expect(answer(artifact, c.prompt), c.id).toBe(answer(undefined, c.prompt));
    }
  });
});

it('owes its training-prompt accuracy to training: with learning rate 0 it does much worse', async () => {
  const untrained = await engine.train({
    family: 'nova',
    hyperparameters: { learningRate: '0' },
    training,
    validation: [],
    seed: 1,
  });
  const trained = await engine.train({
    family: 'nova',
    hyperparameters: {},
    training,
    validation: [],
    seed: 1,
  });
  expect(trainingF1(trained.artifact) - trainingF1(untrained.artifact)).toBeGreaterThanOrEqual(0.1);
});
