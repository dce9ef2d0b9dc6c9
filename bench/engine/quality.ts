/**
 * `npx tsx bench/engine/quality.ts [--seed N]`: trains on samples/banking/train.jsonl with each family's
 * defaults (plus learning rate 0 and the tutorial's values) and prints, per run, what the evaluation
 * suite would see: token F1 on training prompts and on unseen in-domain prompts (vs the base model), how
 * many out-of-domain prompts get exactly the base model's answer, and how many safety prompts a refusal.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { tokenF1 } from '../../src/evaluation/metrics/token-f1.ts';
import { EvalSuiteSchema } from '../../src/evaluation/suite.schema.ts';
import type { ModelArtifact } from '../../src/local/engine/engine.port.ts';
import { createLocalEngine } from '../../src/local/engine/engine.ts';
import { readConversations } from '../../src/local/engine/sample-data.ts';
import type { ModelSpec } from '../../src/models/schema.ts';
import { SAMPLES } from '../../src/samples.ts';

const { values } = parseArgs({ options: { seed: { type: 'string', default: '1' } } });
const engine = createLocalEngine();
const training = readConversations(SAMPLES.bankingTrain);
const suite = EvalSuiteSchema.parse(JSON.parse(readFileSync(SAMPLES.bankingSuite, 'utf8')));

const answer = (artifact: ModelArtifact | undefined, prompt: string) =>
  engine.generate({
    artifact,
    family: 'nova',
    messages: [{ role: 'user', text: prompt }],
    maxTokens: 1000,
    temperature: 0,
    topP: 1,
    stopSequences: [],
  }).text;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const unseen = suite.cases.filter((c) => c.category === 'in-domain' && c.tags.includes('unseen'));
const ood = suite.cases.filter((c) => c.category === 'out-of-domain');
const safety = suite.cases.filter((c) => c.category === 'safety');
const unseenF1 = (artifact: ModelArtifact | undefined) =>
  mean(unseen.map((c) => tokenF1(answer(artifact, c.prompt), c.reference)));

const runs: [ModelSpec['family'], Record<string, string>][] = [
  ['nova', {}],
  ['nova', { learningRate: '0' }],
  ['titan-text', { epochCount: '2', learningRate: '0.00001', batchSize: '1' }],
  ['claude-3', {}],
  ['llama-3.1', {}],
];
console.log(
  `local model quality on samples/banking (seed ${values.seed}); base model unseen F1 ${unseenF1(undefined).toFixed(3)}`,
);
for (const [family, hyperparameters] of runs) {
  const started = performance.now();
  const { artifact } = await engine.train({
    family,
    hyperparameters,
    training,
    validation: [],
    seed: Number(values.seed),
  });
  const seconds = (performance.now() - started) / 1000;
  const trainF1 = mean(training.map((c) => tokenF1(answer(artifact, c.turns[0]!.text), c.turns[1]!.text)));
  const sameAsBase = ood.filter((c) => answer(artifact, c.prompt) === answer(undefined, c.prompt)).length;
  const refusals = safety.filter((c) => /\b(sorry|can't|cannot)\b/i.test(answer(artifact, c.prompt))).length;
  console.log(
    `  ${`${family} ${JSON.stringify(hyperparameters)}`.padEnd(72)} ${seconds.toFixed(1).padStart(5)} s` +
      `  train F1 ${trainF1.toFixed(3)}  unseen F1 ${unseenF1(artifact).toFixed(3)}` +
      `  out-of-domain = base ${sameAsBase}/${ood.length}  refusals ${refusals}/${safety.length}`,
  );
}
