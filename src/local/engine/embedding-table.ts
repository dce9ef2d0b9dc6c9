import type { SparseVector } from './features.ts';
import { createRng, mixSeed } from './prng.ts';

/**
 * The encoder's parameters: one dense row per hashed feature (a 2^18 x dim matrix). It is lazy: a row
 * nobody has trained is a deterministic Gaussian drawn from (seed, row), so the untrained encoder is a
 * random projection (which roughly preserves the cosine of the sparse features) and only trained rows
 * need storing. Rows are Float64 while training; the artifact keeps them as int8 with a per-row scale.
 */
export class EmbeddingTable {
  private readonly trained = new Map<number, Float64Array>();
  private readonly initCache = new Map<number, Float64Array>();

  constructor(
    readonly dim: number,
    readonly seed: number,
  ) {}

  /** Row as the model sees it (do not mutate; use `mutableRow` to train). */
  row(index: number): Float64Array {
    return this.trained.get(index) ?? this.initial(index);
  }

  mutableRow(index: number): Float64Array {
    let row = this.trained.get(index);
    if (!row) {
      row = Float64Array.from(this.row(index));
      this.trained.set(index, row);
    }
    return row;
  }

  setRow(index: number, values: Float64Array): void {
    this.trained.set(index, values);
  }

  trainedRows(): number[] {
    return [...this.trained.keys()].sort((a, b) => a - b);
  }

  private initialRow(index: number): Float64Array {
    const rng = createRng(mixSeed(this.seed, index));
    const scale = 1 / Math.sqrt(this.dim);
    const row = new Float64Array(this.dim);
    // Box-Muller, both outputs of each pair (half the log/sqrt/trig calls of one-at-a-time).
    for (let k = 0; k < this.dim; k += 2) {
      const r = Math.sqrt(-2 * Math.log(1 - rng.next())) * scale;
      const theta = 2 * Math.PI * rng.next();
      row[k] = r * Math.cos(theta);
      if (k + 1 < this.dim) row[k + 1] = r * Math.sin(theta);
    }
    return row;
  }

  /**
   * The row's value before any training (the frozen projection the answer side uses). Cached, trained
   * or not: the answer side reads the initial rows of words that training also moved.
   */
  initial(index: number): Float64Array {
    let init = this.initCache.get(index);
    if (!init) {
      init = this.initialRow(index);
      // Bound the cache: generation sees unbounded vocabularies; rows are cheap to regenerate.
      if (this.initCache.size > 100_000) this.initCache.clear();
      this.initCache.set(index, init);
    }
    return init;
  }

  /**
   * z = sum_f x_f * E[f] (+ bias) and its unit vector u. `frozen` encodes with the initial rows: the
   * answer side of the dual encoder is a fixed random projection plus a trained slot per answer.
   */
  encode(x: SparseVector, bias?: Float64Array, frozen = false): Encoded {
    const z = bias ? Float64Array.from(bias) : new Float64Array(this.dim);
    for (let i = 0; i < x.idx.length; i++) {
      const w = x.val[i]!;
      const row = frozen ? this.initial(x.idx[i]!) : this.row(x.idx[i]!);
      for (let k = 0; k < this.dim; k++) z[k]! += w * row[k]!;
    }
    let norm = 0;
    for (let k = 0; k < this.dim; k++) norm += z[k]! * z[k]!;
    norm = Math.sqrt(norm) || 1e-12;
    const u = new Float64Array(this.dim);
    for (let k = 0; k < this.dim; k++) u[k] = z[k]! / norm;
    return { u, norm };
  }
}

export interface Encoded {
  u: Float64Array;
  norm: number;
}

export function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k]! * b[k]!;
  return s;
}

/** Backpropagates through u = z/|z|: dL/dz = (dL/du - u (u . dL/du)) / |z|. */
export function backpropNormalize(enc: Encoded, du: Float64Array): Float64Array {
  const proj = dot(enc.u, du);
  const dz = new Float64Array(du.length);
  for (let k = 0; k < du.length; k++) dz[k] = (du[k]! - enc.u[k]! * proj) / enc.norm;
  return dz;
}
