import { dot, type EmbeddingTable } from './embedding-table.ts';
import { type SparseVector, sparseDot } from './features.ts';
import { keyFeatures, type MemoryEntry } from './memory.ts';

/**
 * A fine-tuned local model. A memory entry's score for a prompt is
 *   PRIOR_WEIGHT * cos(sparse features of prompt, of answer)        (a fixed lexical prior)
 *   + cos(learned prompt embedding, learned entry embedding)        (what fine-tuning fits)
 * The learned side is a dual encoder (one embedding table encodes prompts and answers) plus a
 * trainable slot vector per entry; training fits which words matter and which phrasings lead to which
 * answer. The prior is the base model's own lexical matching, at half weight.
 */
export interface LocalModel {
  table: EmbeddingTable;
  memory: MemoryEntry[];
  /** One trainable vector per memory entry, added to its encoded key. */
  slots: Float64Array[];
  /** Softmax temperature of the scores (training and sampling). */
  temperature: number;
  /** Minimum score of a fine-tuned answer; below it the prompt is outside the domain and the base model answers. */
  threshold: number;
}

export const PRIOR_WEIGHT = 0.5;

export interface EntryIndex {
  keys: SparseVector[];
  vectors: Float64Array[];
}

/** Keys and unit vectors of every memory entry, computed once per model (they change only while training). */
const entryCache = new WeakMap<LocalModel, EntryIndex>();

function encodeEntries(model: LocalModel): EntryIndex {
  const keys = model.memory.map(keyFeatures);
  return { keys, vectors: keys.map((k, j) => model.table.encode(k, model.slots[j], true).u) };
}

function entryIndex(model: LocalModel): EntryIndex {
  let index = entryCache.get(model);
  if (!index) {
    index = encodeEntries(model);
    entryCache.set(model, index);
  }
  return index;
}

/** The lexical prior of every entry for a prompt (constant while training, so callers may cache it). */
export function priors(keys: SparseVector[], query: SparseVector): number[] {
  return keys.map((k) => PRIOR_WEIGHT * sparseDot(query, k));
}

function combine(prior: number[], vectors: Float64Array[], u: Float64Array): number[] {
  return vectors.map((v, j) => prior[j]! + dot(u, v));
}

export function similarities(model: LocalModel, query: SparseVector): number[] {
  const index = entryIndex(model);
  return combine(priors(index.keys, query), index.vectors, model.table.encode(query).u);
}
