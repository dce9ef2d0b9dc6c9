import { createHash } from 'node:crypto';
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ChunkOptions, ChunkResult } from './chunk.ts';

const YOUNG_MB = 4;
const WORKER_SOURCE = fileURLToPath(new URL('./worker.ts', import.meta.url));

/**
 * The worker as one plain-JavaScript file. Bundling it (esbuild, ~0.1 s) instead of loading TypeScript
 * through tsx in every worker saves each worker a module loader thread and tens of MB of memory.
 * Cached in the temp dir under the bundle's content hash; falls back to the tsx entry if esbuild fails.
 */
async function workerEntry(): Promise<URL> {
  try {
    const { build } = await import('esbuild');
    const out = await build({
      entryPoints: [WORKER_SOURCE],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      write: false,
      logLevel: 'silent',
    });
    const code = out.outputFiles[0]!.contents;
    const file = join(
      tmpdir(),
      `tunekit-validate-worker-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`,
    );
    if (!existsSync(file)) {
      writeFileSync(`${file}.${process.pid}`, code);
      renameSync(`${file}.${process.pid}`, file);
    }
    return pathToFileURL(file);
  } catch {
    return new URL('./worker-entry.mjs', import.meta.url);
  }
}

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
