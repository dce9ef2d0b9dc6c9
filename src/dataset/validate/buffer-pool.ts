/**
 * Recycles chunk buffers so that validating a 1 GB file allocates a handful of buffers, not 250:
 * memory stays flat instead of waiting for the garbage collector to notice external memory.
 * Buffers come back after their chunk was validated (from a worker, by transfer).
 */
export class ChunkBufferPool {
  private readonly free: ArrayBuffer[] = [];

  constructor(private readonly capacity: number) {}

  acquire(minBytes: number): Buffer {
    const i = this.free.findIndex((b) => b.byteLength >= minBytes);
    if (i >= 0) return Buffer.from(this.free.splice(i, 1)[0]!);
    return Buffer.from(new ArrayBuffer(Math.max(this.capacity, minBytes)));
  }

  release(buffer: ArrayBuffer): void {
    // Keep only standard-size buffers; an outsized one (a very long line) is left to the GC.
    if (buffer.byteLength === this.capacity && this.free.length < 8) this.free.push(buffer);
  }
}
