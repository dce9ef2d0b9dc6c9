import { BASE_CORPUS } from './base-corpus.ts';
import { features } from './features.ts';
import { type LocalModel, similarities } from './model.ts';

/**
 * The gate between the fine-tuned answers and the base model. A prompt is "in the fine-tuned domain"
 * when its best score against a fine-tuned answer reaches the model's threshold; otherwise the base
 * model answers, exactly as it would without fine-tuning. The threshold is calibrated after training
 * on prompts that are certainly outside any customer-service domain: the base model's general
 * questions plus the probes below (general questions the base corpus does not contain).
 */
const GATE_PROBES = [
  'What is the boiling point of water?',
  'Who discovered penicillin?',
  'How many continents are there?',
  'What is the largest ocean on Earth?',
  'Can you summarize the plot of Hamlet?',
  'How do I change a flat tire?',
  'What is quantum computing?',
  'Why do cats purr?',
  'What is the meaning of life?',
  'How do I make a paper airplane?',
  'What is the population of China?',
  'Who invented the telephone?',
  'How do volcanoes form?',
  'What should I pack for a camping trip?',
  'Write a short poem about autumn.',
  'What is the difference between weather and climate?',
  'How does a refrigerator keep food cold?',
  'What are the rules of chess?',
  'How long should I boil an egg?',
  'Translate good morning into Spanish.',
  'What is a black hole?',
  'How do I meditate?',
  'Who won the World Cup in 2018?',
  'What is the square root of 144?',
];

/** Best score of a prompt against the fine-tuned (not base) memory entries. */
function bestTrainedScore(model: LocalModel, prompt: string): number {
  const sims = similarities(model, features(prompt));
  let best = Number.NEGATIVE_INFINITY;
  sims.forEach((s, j) => {
    if (model.memory[j]!.source === 'train') best = Math.max(best, s);
  });
  return best;
}

/**
 * The threshold sits a margin above the 90th percentile of the out-of-domain scores. Not above the
 * maximum: a bag-of-words model matches "How do I change a flat tire?" to "change your PIN", and a
 * threshold above such outliers would also shut out real in-domain paraphrases. The trade-off is
 * documented: about one general question in ten can still get a fine-tuned answer.
 */
const GATE_QUANTILE = 0.9;
const GATE_MARGIN = 0.05;

export function calibrateThreshold(model: LocalModel): number {
  const outside = [
    ...BASE_CORPUS.filter((e) => e.kind === 'general' || e.kind === 'chat').map((e) => e.question),
    ...GATE_PROBES,
  ];
  const scores = outside.map((q) => bestTrainedScore(model, q)).sort((a, b) => a - b);
  return quantile(scores, GATE_QUANTILE) + GATE_MARGIN;
}

/** Linear-interpolated quantile of sorted values. */
function quantile(sorted: number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}
