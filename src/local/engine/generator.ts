import type { Rng } from './prng.ts';
import { tokenize } from './tokenizer.ts';

/**
 * The output side: choose one candidate answer (argmax at temperature 0, otherwise a seeded sample
 * from the top-p nucleus of the softmax over similarity scores), then honour stop sequences and
 * maxTokens the way Bedrock reports them.
 */

export function pick(
  scores: number[],
  sharpness: number,
  temperature: number,
  topP: number,
  rng: Rng,
): number {
  let best = 0;
  for (let j = 1; j < scores.length; j++) if (scores[j]! > scores[best]!) best = j;
  if (temperature <= 0 || scores.length === 1) return best;
  const logits = scores.map((s) => s / (sharpness * temperature));
  const max = logits[best]!;
  const weights = logits.map((l) => Math.exp(l - max));
  const total = weights.reduce((a, b) => a + b, 0);
  const ranked = weights.map((w, j) => ({ j, p: w / total })).sort((a, b) => b.p - a.p || a.j - b.j);
  const nucleus: typeof ranked = [];
  let mass = 0;
  for (const r of ranked) {
    nucleus.push(r);
    mass += r.p;
    if (mass >= topP) break;
  }
  let u = rng.next() * mass;
  for (const r of nucleus) {
    u -= r.p;
    if (u <= 0) return r.j;
  }
  return nucleus.at(-1)!.j;
}

export interface Shaped {
  text: string;
  outputTokens: number;
  stopReason: 'end_turn' | 'max_tokens' | 'stop_sequence';
}

/** Cuts the answer at the first stop sequence or after `maxTokens` tokens, whichever comes first. */
export function shape(answer: string, maxTokens: number, stopSequences: string[]): Shaped {
  let text = answer;
  let stopReason: Shaped['stopReason'] = 'end_turn';
  let cut = -1;
  for (const stop of stopSequences) {
    if (stop === '') continue;
    const at = text.indexOf(stop);
    if (at >= 0 && (cut < 0 || at < cut)) cut = at;
  }
  if (cut >= 0) {
    text = text.slice(0, cut);
    stopReason = 'stop_sequence';
  }
  const tokens = tokenize(text);
  if (tokens.length > maxTokens) {
    text = maxTokens > 0 ? text.slice(0, tokens[maxTokens - 1]!.end) : '';
    return { text, outputTokens: Math.max(0, maxTokens), stopReason: 'max_tokens' };
  }
  return {
    text: stopReason === 'stop_sequence' ? text.trimEnd() : text,
    outputTokens: tokens.length,
    stopReason,
  };
}
