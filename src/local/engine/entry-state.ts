import type { EmbeddingTable } from './embedding-table.ts';
import type { SparseVector } from './features.ts';

/**
 * The memory entries' embeddings during training. The answer side of the dual encoder is the frozen
 * initial projection of the answer's features plus the entry's trained slot, so an optimiser step only
 * moves the entries whose slots changed (re-encoding every answer after every step grew with
 * records x answers and dominated training time on larger sets).
 */
export class EntryState {
  readonly z: Float64Array[];
  readonly u: Float64Array[];
  readonly norm: number[];

  constructor(
    table: EmbeddingTable,
    readonly keys: SparseVector[],
    slots: Float64Array[],
  ) {
    this.z = keys.map((key, j) => {
      const z = Float64Array.from(slots[j]!);
      for (let i = 0; i < key.idx.length; i++) {
        const row = table.initial(key.idx[i]!);
        const w = key.val[i]!;
        for (let k = 0; k < z.length; k++) z[k]! += w * row[k]!;
      }
      return z;
    });
    this.u = this.z.map((z) => new Float64Array(z.length));
    this.norm = this.z.map(() => 1);
    for (let j = 0; j < this.z.length; j++) this.renormalize(j);
  }

  slotChanged(entry: number, delta: Float64Array, dirty: Set<number>): void {
    const z = this.z[entry]!;
    for (let k = 0; k < z.length; k++) z[k]! += delta[k]!;
    dirty.add(entry);
  }

  renormalize(entry: number): void {
    const z = this.z[entry]!;
    let n = 0;
    for (let k = 0; k < z.length; k++) n += z[k]! * z[k]!;
    n = Math.sqrt(n) || 1e-12;
    this.norm[entry] = n;
    const u = this.u[entry]!;
    for (let k = 0; k < z.length; k++) u[k] = z[k]! / n;
  }
}
