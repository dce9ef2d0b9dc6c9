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
  /** For each feature, the entries whose key has it and its weight there (an inverted index). */
  postings: Map<number, { entries: number[]; values: number[] }>;
}

/** Keys and unit vectors of every memory entry, computed once per model (they change only while training). */
const entryCache = new WeakMap<LocalModel, EntryIndex>();

function encodeEntries(model: LocalModel): EntryIndex {
  const keys = model.memory.map(keyFeatures);
  const postings: EntryIndex['postings'] = new Map();
  keys.forEach((key, j) => {
    for (let i = 0; i < key.idx.length; i++) {
      let list = postings.get(key.idx[i]!);
      if (!list) {
        list = { entries: [], values: [] };
        postings.set(key.idx[i]!, list);
      }
      list.entries.push(j);
      list.values.push(key.val[i]!);
    }
  });
  return { keys, vectors: keys.map((k, j) => model.table.encode(k, model.slots[j], true).u), postings };
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

/**
 * The same priors through the inverted index: a prompt costs the entries that share a feature with it,
 * not every entry (serving a 20,000-record model). Features are visited in ascending order, as
 * `sparseDot` does, so both give the same numbers.
 */
function indexedPriors(index: EntryIndex, query: SparseVector): Float64Array {
  const out = new Float64Array(index.keys.length);
  for (let i = 0; i < query.idx.length; i++) {
    const list = index.postings.get(query.idx[i]!);
    if (!list) continue;
    const q = query.val[i]!;
    for (let n = 0; n < list.entries.length; n++) out[list.entries[n]!]! += q * list.values[n]!;
  }
  for (let j = 0; j < out.length; j++) out[j]! *= PRIOR_WEIGHT;
  return out;
}

export function similarities(model: LocalModel, query: SparseVector): number[] {
  const index = entryIndex(model);
  const prior = indexedPriors(index, query);
  const u = model.table.encode(query).u;
  return index.vectors.map((v, j) => prior[j]! + dot(u, v));
}
