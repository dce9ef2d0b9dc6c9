import type { EmbeddingTable } from './embedding-table.ts';
import type { SparseVector } from './features.ts';

/**
 * The memory entries' embeddings during training, kept up to date incrementally: after an optimiser
 * step only the rows that changed are folded into the entries that contain them, instead of
 * re-encoding every answer (which dominated the step time).
 */
export class EntryState {
  readonly z: Float64Array[];
  readonly u: Float64Array[];
  readonly norm: number[];
  /** feature row -> entries that contain it, with the feature's weight */
  private readonly byRow = new Map<number, { entry: number; weight: number }[]>();

  constructor(
    private readonly table: EmbeddingTable,
    readonly keys: SparseVector[],
    slots: Float64Array[],
  ) {
    this.z = keys.map((key, j) => {
      const z = Float64Array.from(slots[j]!);
      for (let i = 0; i < key.idx.length; i++) {
        const row = table.row(key.idx[i]!);
        const w = key.val[i]!;
        for (let k = 0; k < z.length; k++) z[k]! += w * row[k]!;
        const list = this.byRow.get(key.idx[i]!) ?? [];
        list.push({ entry: j, weight: w });
        this.byRow.set(key.idx[i]!, list);
      }
      return z;
    });
    this.u = this.z.map((z) => new Float64Array(z.length));
    this.norm = this.z.map(() => 1);
    for (let j = 0; j < this.z.length; j++) this.renormalize(j);
  }

  /** Folds a change of one embedding row (new minus old) into the entries that use it. */
  rowChanged(row: number, delta: Float64Array, dirty: Set<number>): void {
    for (const { entry, weight } of this.byRow.get(row) ?? []) {
      const z = this.z[entry]!;
      for (let k = 0; k < z.length; k++) z[k]! += weight * delta[k]!;
      dirty.add(entry);
    }
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

  get dim(): number {
    return this.table.dim;
  }
}
