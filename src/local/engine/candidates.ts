import type { SparseVector } from './features.ts';
import type { Rng } from './prng.ts';

/**
 * Which memory entries a training step scores its prompts against. A small memory is scored in full
 * (the exact contrastive softmax). A large one is scored against a sample, so a step costs the same
 * whatever the number of distinct answers and training grows linearly with records (scoring every
 * answer made it records x answers: 3,000 records x 5 epochs took ten minutes). The sample is shared
 * by the batch (sampled softmax with in-batch negatives): every target of the batch, plus negatives
 * drawn uniformly from the memory and "lexical" negatives that share a feature with one of the batch's
 * prompts, i.e. the answers retrieval could confuse it with, which uniform sampling would rarely pick.
 */

/** Up to this many entries, every step scores the whole memory (exact softmax). */
export const EXACT_MAX_ENTRIES = 256;
/** Uniform negatives per step when sampling. */
export const UNIFORM_NEGATIVES = 64;
/** Lexical negatives per prompt when sampling. */
export const LEXICAL_NEGATIVES = 8;

export class CandidateSampler {
  /** Entries whose key has a feature, by feature (only built when sampling). */
  private readonly postings = new Map<number, number[]>();
  private readonly mark: Int32Array;
  private stamp = 0;
  readonly exact: boolean;
  private readonly all: number[] = [];

  constructor(keys: SparseVector[], exactMax = EXACT_MAX_ENTRIES) {
    this.exact = keys.length <= exactMax;
    this.mark = new Int32Array(keys.length);
    if (this.exact) {
      for (let j = 0; j < keys.length; j++) this.all.push(j);
      return;
    }
    keys.forEach((key, j) => {
      for (const f of key.idx) {
        const list = this.postings.get(f);
        if (list) list.push(j);
        else this.postings.set(f, [j]);
      }
    });
  }

  get size(): number {
    return this.mark.length;
  }

  /**
   * The entries to score `queries` against: all of them when exact; otherwise `targets` first, then
   * the negatives (deduplicated, in draw order, so a seed fixes the set).
   */
  draw(queries: SparseVector[], targets: number[], rng: Rng): number[] {
    if (this.exact) return this.all;
    const stamp = ++this.stamp;
    const out: number[] = [];
    const add = (j: number) => {
      if (this.mark[j] !== stamp) {
        this.mark[j] = stamp;
        out.push(j);
      }
    };
    for (const t of targets) add(t);
    for (const q of queries) {
      for (let n = 0; n < LEXICAL_NEGATIVES && q.idx.length > 0; n++) {
        const list = this.postings.get(q.idx[Math.floor(rng.next() * q.idx.length)]!);
        if (list) add(list[Math.floor(rng.next() * list.length)]!);
      }
    }
    for (let n = 0; n < UNIFORM_NEGATIVES; n++) add(Math.floor(rng.next() * this.size));
    return out;
  }
}
