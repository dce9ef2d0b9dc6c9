/**
 * A fixed-size open-addressing set of 53-bit record hashes -> first line, in typed arrays (6 MB),
 * so duplicate detection costs the same memory for a 1 GB file as for a 1 MB one. It holds up to
 * `maxEntries` distinct records (far above Bedrock's 20,000-record maximum); beyond that new records
 * are still checked against the tracked ones but not added.
 */
export class SeenTable {
  private readonly keys: Float64Array;
  private readonly lines: Uint32Array;
  private readonly mask: number;
  private size = 0;
  readonly maxEntries: number;

  constructor(bits = 19) {
    this.keys = new Float64Array(1 << bits).fill(-1);
    this.lines = new Uint32Array(1 << bits);
    this.mask = (1 << bits) - 1;
    this.maxEntries = 1 << (bits - 1);
  }

  /** The first line seen with this hash, or undefined (and records it, if there is room). */
  checkAndAdd(hash: number, line: number): number | undefined | 'full' {
    let slot = hash & this.mask;
    for (;;) {
      const k = this.keys[slot]!;
      if (k === hash) return this.lines[slot];
      if (k === -1) break;
      slot = (slot + 1) & this.mask;
    }
    if (this.size >= this.maxEntries) return 'full';
    this.keys[slot] = hash;
    this.lines[slot] = line;
    this.size++;
    return undefined;
  }
}
