import { fnv1a } from './prng.ts';
import { words } from './tokenizer.ts';

/**
 * Hashed sparse features of a text: stemmed words, word bigrams and character 4-grams, hashed into a
 * 2^18-dimensional space with a random sign (the "hashing trick"), then L2-normalised. They are the
 * input of both the base model (used as they are) and the fine-tuned encoder (projected and learned).
 */

const FEATURE_BITS = 18;
export const FEATURE_DIM = 1 << FEATURE_BITS;

/** Sorted feature indices with their signed weights; unit length unless empty. */
export interface SparseVector {
  idx: Int32Array;
  val: Float64Array;
}

/** Function words carry little meaning for "which answer fits", so they count for less. */
const STOP = new Set(
  (
    'a an and are as at be been but by can could do does did for from has have how i if in into is it its ' +
    'me my of on or our so than that the their them then there these they this to us was we were what ' +
    'when where which who why will with would you your yours am any some about just should shall may ' +
    "please want need get got i'm i've don't can't it's"
  ).split(' '),
);

function add(acc: Map<number, number>, key: string, weight: number): void {
  const h = fnv1a(key);
  const index = h & (FEATURE_DIM - 1);
  const sign = h & 0x80000000 ? -1 : 1;
  acc.set(index, (acc.get(index) ?? 0) + sign * weight);
}

function accumulate(acc: Map<number, number>, text: string, scale: number): void {
  const ws = words(text);
  for (let i = 0; i < ws.length; i++) {
    const w = ws[i]!;
    const stop = STOP.has(w);
    add(acc, `w:${w}`, (stop ? 0.15 : 1) * scale);
    const next = ws[i + 1];
    if (next !== undefined && !(stop && STOP.has(next))) add(acc, `b:${w} ${next}`, 0.5 * scale);
    if (!stop && w.length >= 4) {
      const padded = `#${w}#`;
      for (let j = 0; j + 4 <= padded.length; j++) add(acc, `c:${padded.slice(j, j + 4)}`, 0.25 * scale);
    }
  }
}

function toSparse(acc: Map<number, number>): SparseVector {
  const entries = [...acc.entries()].filter(([, v]) => v !== 0).sort((a, b) => a[0] - b[0]);
  let norm = 0;
  for (const [, v] of entries) norm += v * v;
  norm = Math.sqrt(norm) || 1;
  return {
    idx: Int32Array.from(entries.map(([i]) => i)),
    val: Float64Array.from(entries.map(([, v]) => v / norm)),
  };
}

/** Features of several texts, each weighted (e.g. the last user turn counts more than earlier ones). */
export function featurize(parts: { text: string; weight: number }[]): SparseVector {
  const acc = new Map<number, number>();
  for (const part of parts) {
    // Normalise each part first so a long part does not drown a short one of equal weight.
    const single = new Map<number, number>();
    accumulate(single, part.text, 1);
    const v = toSparse(single);
    for (let i = 0; i < v.idx.length; i++) {
      const k = v.idx[i]!;
      acc.set(k, (acc.get(k) ?? 0) + v.val[i]! * part.weight);
    }
  }
  return toSparse(acc);
}

/** Features of one text at full weight (a memory entry's answer, a single prompt). */
export const features = (text: string): SparseVector => featurize([{ text, weight: 1 }]);

/** Dot product of two sorted sparse vectors (= cosine, both being unit length). */
export function sparseDot(a: SparseVector, b: SparseVector): number {
  let i = 0;
  let j = 0;
  let sum = 0;
  while (i < a.idx.length && j < b.idx.length) {
    const x = a.idx[i]!;
    const y = b.idx[j]!;
    if (x === y) sum += a.val[i++]! * b.val[j++]!;
    else if (x < y) i++;
    else j++;
  }
  return sum;
}

/**
 * Dot products of one sparse vector with many (`keys[j]` for each j of `which`): the query is spread
 * into `scratch` (FEATURE_DIM long, all zero; left all zero) so each key costs one pass over its own
 * features, without the branches of a merge.
 */
export function sparseDots(
  query: SparseVector,
  keys: SparseVector[],
  which: number[],
  scratch: Float64Array,
): number[] {
  for (let i = 0; i < query.idx.length; i++) scratch[query.idx[i]!] = query.val[i]!;
  const out = which.map((j) => {
    const key = keys[j]!;
    let sum = 0;
    for (let i = 0; i < key.idx.length; i++) sum += key.val[i]! * scratch[key.idx[i]!]!;
    return sum;
  });
  for (let i = 0; i < query.idx.length; i++) scratch[query.idx[i]!] = 0;
  return out;
}
