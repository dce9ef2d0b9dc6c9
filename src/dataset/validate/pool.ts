import { Worker } from 'node:worker_threads';
import type { ChunkOptions, ChunkResult } from './chunk.ts';
import { workerEntry } from './worker-bundle.ts';

/**
 * Each worker's young generation. 8 MB lets a chunk's records (line, parsed record, decoded text) die
 * young: a worker scavenges half as often as with 4 MB and promotes almost nothing, so it needs no
 * periodic full collection (gc.ts). Larger sizes save little more CPU but add RSS on files with long
 * (>128 KB) records, whose strings count against the young generation (bench/validate: 1 GB file
 * ~118 MB peak RSS; 600 MB of 2 KB–200 KB records ~145 MB).
 */
const YOUNG_MB = 8;
/**
 * A fixed set of validation workers. Chunks go round-robin; each worker answers in the order it
 * received, and the caller merges results in file order, so line numbers stay exact.
 */
export class ValidationPool {
  private readonly workers: Worker[];
  private readonly waiting = new Map<
    number,
    { resolve: (r: ChunkResult) => void; reject: (e: unknown) => void }
  >();
  private seq = 0;
  private failure: unknown;

  static async create(
    size: number,
    options: ChunkOptions,
    onBufferReturned: (buffer: ArrayBuffer) => void,
  ): Promise<ValidationPool> {
    return new ValidationPool(await workerEntry(), size, options, onBufferReturned);
  }

  private constructor(
    entry: URL,
    size: number,
    options: ChunkOptions,
    private readonly onBufferReturned: (buffer: ArrayBuffer) => void,
  ) {
    this.workers = Array.from({ length: size }, () => {
      // A small young generation keeps each worker's heap (and so the process's RSS) flat.
      const worker = new Worker(entry, {
        workerData: options,
        resourceLimits: { maxYoungGenerationSizeMb: YOUNG_MB },
      });
      worker.on('message', (msg: { seq: number; result: ChunkResult; buffer: ArrayBuffer }) => {
        this.onBufferReturned(msg.buffer);
        const w = this.waiting.get(msg.seq);
        this.waiting.delete(msg.seq);
        w?.resolve(msg.result);
      });
      worker.on('error', (e) => this.fail(e));
      worker.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`validation worker exited with code ${code}`));
      });
      return worker;
    });
  }

  private fail(e: unknown): void {
    this.failure ??= e;
    for (const w of this.waiting.values()) w.reject(e);
    this.waiting.clear();
  }

  /** Sends one chunk (its memory moves to the worker) and resolves with the worker's findings. */
  run(bytes: Buffer, first: boolean): Promise<ChunkResult> {
    if (this.failure) return Promise.reject(this.failure);
    const seq = this.seq++;
    const worker = this.workers[seq % this.workers.length]!;
    return new Promise((resolve, reject) => {
      this.waiting.set(seq, { resolve, reject });
      // Chunks from the reader own their ArrayBuffer (allocUnsafeSlow), so transferring it is safe.
      const view = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      worker.postMessage({ seq, bytes: view, first }, [bytes.buffer as ArrayBuffer]);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
