/**
 * `npm run bench:engine`: trains the local model on samples/banking/train.jsonl with the default
 * base model's default hyperparameters (Nova), then answers every training prompt, and prints what it
 * measured: wall time, steps, losses, training tokens/s, generation tokens/s and the artifact size.
 * Then trains synthetic sets of 1,000, 5,000 and 20,000 records (Bedrock's maximum for Nova) to
 * Completed through the local Bedrock job path and prints them side by side (see scale.ts).
 * Options: --family <nova|titan-text|llama-3.1|claude-3|...>, --hp key=value (repeatable), --seed N,
 * --sizes 1000,5000,20000 (empty: banking only).
 */
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { createLocalEngine } from '../../src/local/engine/engine.ts';
import { readConversations } from '../../src/local/engine/sample-data.ts';
import type { ModelSpec } from '../../src/models/schema.ts';
import { SAMPLES } from '../../src/samples.ts';
import { benchScale } from './scale.ts';

const { values } = parseArgs({
  options: {
    family: { type: 'string', default: 'nova' },
    hp: { type: 'string', multiple: true, default: [] },
    seed: { type: 'string', default: '1' },
    sizes: { type: 'string', default: '1000,5000,20000' },
  },
});
const family = values.family as ModelSpec['family'];
const hyperparameters = Object.fromEntries(values.hp.map((kv) => kv.split('=') as [string, string]));

const engine = createLocalEngine();
const training = readConversations(SAMPLES.bankingTrain);

const started = performance.now();
const out = await engine.train({
  family,
  hyperparameters,
  training,
  validation: [],
  seed: Number(values.seed),
});
const trainSeconds = (performance.now() - started) / 1000;

const genStarted = performance.now();
let generated = 0;
for (const c of training) {
  const reply = engine.generate({
    artifact: out.artifact,
    family,
    messages: [c.turns[0]!],
    maxTokens: 1000,
    temperature: 0,
    topP: 1,
    stopSequences: [],
  });
  generated += reply.outputTokens;
}
const genSeconds = (performance.now() - genStarted) / 1000;

const rows: [string, string][] = [
  ['records', String(training.length)],
  ['family / hyperparameters', `${family} ${JSON.stringify(hyperparameters)}`],
  ['training wall time', `${trainSeconds.toFixed(2)} s`],
  ['steps', String(out.trainingSteps.length)],
  ['first-step loss', out.trainingSteps[0]!.loss.toFixed(4)],
  ['final loss', out.finalTrainingLoss.toFixed(4)],
  ['trained tokens (records x epochs)', String(out.trainedTokens)],
  ['training tokens/s', out.tokensPerSecond.toFixed(0)],
  ['generation: replies', String(training.length)],
  ['generation tokens/s', (generated / genSeconds).toFixed(0)],
  ['generation ms/reply', ((genSeconds * 1000) / training.length).toFixed(2)],
  ['artifact size (JSON)', `${(JSON.stringify(out.artifact).length / 1024).toFixed(0)} KiB`],
];
const width = Math.max(...rows.map(([k]) => k.length));
console.log('tunekit local engine benchmark (samples/banking/train.jsonl)');
for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);

const sizes = values.sizes
  .split(',')
  .filter((x) => x.trim() !== '')
  .map(Number);
if (sizes.length > 0) {
  const table = await benchScale(sizes, Number(values.seed));
  const cell = (xs: string[]) => xs.map((x) => x.padStart(10)).join('');
  const line = (label: string, f: (r: (typeof table)[number]) => string) =>
    console.log(`  ${label.padEnd(width)}  ${cell(table.map(f))}`);
  console.log('\nsynthetic sets to Completed through the local Bedrock job path (Nova Micro defaults)');
  line('records', (r) => String(r.records));
  line('distinct answers', (r) => String(r.distinctAnswers));
  line('seconds to Completed (wall)', (r) => r.wallSeconds.toFixed(1));
  line('CPU seconds (all threads)', (r) => r.cpuSeconds.toFixed(1));
  line('steps', (r) => String(r.steps));
  line('final training loss', (r) => r.finalLoss.toFixed(4));
  line('held-out paraphrases right', (r) => r.heldOutAccuracy.toFixed(3));
  line('generation ms/reply', (r) => r.generationMsPerReply.toFixed(2));
  console.log(
    `  (${cpus().length} CPUs; load average ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}: wall time grows with the machine's load, CPU seconds do not)`,
  );
}
