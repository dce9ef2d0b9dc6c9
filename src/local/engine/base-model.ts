import { BASE_CORPUS, BASE_FALLBACK } from './base-corpus.ts';
import { featurize, type SparseVector, sparseDot } from './features.ts';

/**
 * The untrained "foundation model": retrieval over the base corpus with the raw hashed features (an
 * identity encoder, nothing learned). Its answers are generic by construction, which is what a
 * pretrained model that has never seen the user's bank looks like from the outside.
 */

/** Below this cosine nothing in the corpus is about the prompt, and the model asks to rephrase. */
const BASE_MIN_SIMILARITY = 0.12;
/** Softmax temperature of base similarities when sampling (they are smaller than learned ones). */
export const BASE_TEMPERATURE = 0.05;

let keys: SparseVector[] | undefined;

function baseKeys(): SparseVector[] {
  keys ??= BASE_CORPUS.map((e) =>
    featurize([
      { text: e.question, weight: 1 },
      { text: e.answer, weight: 0.3 },
    ]),
  );
  return keys;
}

/** Candidate answers of the base model for a prompt, with their similarity scores. */
export function baseCandidates(query: SparseVector): { texts: string[]; scores: number[] } {
  const scores = baseKeys().map((k) => sparseDot(query, k));
  if (Math.max(...scores) < BASE_MIN_SIMILARITY) return { texts: [BASE_FALLBACK], scores: [1] };
  return { texts: BASE_CORPUS.map((e) => e.answer), scores };
}
